/** Slack's left column: workspace, channels, the bot's DM, and the demo's attacker switch. */
import type { Conversation } from '../../protocol';
import type { Selection } from './selection';

function ChannelLink(props: { channel: Conversation; selected: boolean; onSelect: () => void }) {
  return (
    <li>
      <button
        type="button"
        class={props.selected ? 'app-nav-item app-nav-item-selected' : 'app-nav-item'}
        aria-current={props.selected ? 'page' : undefined}
        onClick={props.onSelect}
      >
        <span class="app-nav-hash" aria-hidden="true">
          #
        </span>
        {props.channel.name}
      </button>
    </li>
  );
}

export function Sidebar(props: {
  workspace: string;
  channels: Conversation[];
  selection: Selection;
  botName: string;
  onSelect: (selection: Selection) => void;
  attacker: boolean;
  attackerBusy: boolean;
  onAttacker: (on: boolean) => void;
}) {
  const { selection } = props;
  const appSelected = selection.kind === 'app';
  return (
    <nav class="app-sidebar" aria-label="Workspace">
      <header class="app-workspace">{props.workspace}</header>
      <section class="app-nav-section">
        <h2 class="app-nav-heading">Channels</h2>
        <ul class="app-nav-list">
          {props.channels.map((channel) => (
            <ChannelLink
              key={channel.id}
              channel={channel}
              selected={selection.kind === 'channel' && selection.id === channel.id}
              onSelect={() => props.onSelect({ kind: 'channel', id: channel.id })}
            />
          ))}
        </ul>
      </section>
      <section class="app-nav-section">
        <h2 class="app-nav-heading">Apps</h2>
        <ul class="app-nav-list">
          <li>
            <button
              type="button"
              class={appSelected ? 'app-nav-item app-nav-item-selected' : 'app-nav-item'}
              aria-current={appSelected ? 'page' : undefined}
              // Slack opens an app on its Messages tab unless Home was the last one seen.
              onClick={() => props.onSelect(appSelected ? selection : { kind: 'app', tab: 'messages' })}
            >
              <span class="app-nav-app-icon" aria-hidden="true">
                SW
              </span>
              {props.botName}
            </button>
          </li>
        </ul>
      </section>
      <footer class="app-sidebar-foot">
        <label class="app-switch">
          <input
            type="checkbox"
            role="switch"
            aria-label="Attacker"
            checked={props.attacker}
            aria-checked={props.attacker}
            disabled={props.attackerBusy}
            onChange={(event) => props.onAttacker(event.currentTarget.checked)}
          />
          <span class="app-switch-track" aria-hidden="true" />
          <span class="app-switch-text">
            Attacker {props.attacker ? 'on' : 'off'}
            <small>hostile logins for the compromised colleague</small>
          </span>
        </label>
      </footer>
    </nav>
  );
}
