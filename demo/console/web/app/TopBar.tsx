/** The bar above everything: who the page is showing Slack as, and the console's log of notices. */
import type { ConsoleNotice, Person } from '../../protocol';
import { clockTime } from './time-format';

export function personLabel(person: Person): string {
  return `${person.realName} — ${person.roleLabel}`;
}

export function TopBar(props: { people: Person[]; viewer: string; onViewer: (id: string) => void; notices: ConsoleNotice[]; timeZone: string }) {
  return (
    <header class="app-topbar">
      <label class="app-viewer">
        <span class="app-viewer-caption">Viewing as</span>
        <select aria-label="Viewing as" value={props.viewer} onChange={(event) => props.onViewer(event.currentTarget.value)}>
          {props.people.map((person) => (
            <option key={person.id} value={person.id}>
              {personLabel(person)}
            </option>
          ))}
        </select>
      </label>
      <details class="app-log">
        <summary>Console log ({props.notices.length})</summary>
        <ol class="app-log-list">
          {props.notices.length === 0 && <li class="app-empty">Nothing yet.</li>}
          {[...props.notices].reverse().map((notice) => (
            <li key={`${notice.at}|${notice.text}`} class={`app-log-${notice.level}`}>
              <time>{clockTime(notice.at, props.timeZone)}</time> {notice.text}
            </li>
          ))}
        </ol>
      </details>
    </header>
  );
}
