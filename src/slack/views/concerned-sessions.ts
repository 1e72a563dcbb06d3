/**
 * The session families a request ends, one line each with what the rules said about them. The
 * request modal (the requester) and the request message (the approvers) both render them from
 * here, so both name the same sessions in the same words.
 */
import { formatAge } from '../../domain/format';
import { plural, safe, slackDate, truncate } from './text';

/** One session family an action ends (a login and the sessions it spawned). */
import type { ConcernedFamily } from '../../domain/blast-radius';

/** A session family the action would end (see domain/blast-radius.ts). */
export type ConcernedSessionView = ConcernedFamily;

export interface ConcernedText {
  text: string;
  /** The findings written under a session line, so a later list does not repeat them. */
  findingsShown: ReadonlySet<string>;
}

/** Enough to tell which sessions end; beyond this the approver needs a count, not a wall of lines. */
export const CONCERNED_SHOWN = 10;
const FINDINGS_PER_SESSION = 3;
const FINDING_MAX = 250;
// Room kept for the closing "…and N more logins" line.
const MORE_LINE_ROOM = 40;

function isValidDate(d: Date): boolean {
  return Number.isFinite(d.getTime());
}

/** Inline code: a backtick would close the span early, so it is shown as a quote instead. */
function code(text: string, max: number): string {
  return `\`${safe(text.replace(/`/g, "'"), max)}\``;
}

/** "• `203.0.113.9` · Moscow, RU · UI / Application · logged in <date> · 3 h 10 min old · 2 more sessions in this login". */
export function concernedLine(c: ConcernedSessionView, now: Date): string {
  const types = c.loginType ? `${safe(c.sessionType, 40)} / ${safe(c.loginType, 40)}` : safe(c.sessionType, 40);
  const parts = [c.ip ? code(c.ip, 45) : 'unknown IP', c.place ? safe(c.place, 80) : 'unknown place', types];
  parts.push(isValidDate(c.loginAt) ? `logged in ${slackDate(c.loginAt)}` : 'login time unknown');
  // Age counts from the session's creation, as the timeout rule does.
  if (isValidDate(c.createdAt)) parts.push(`${formatAge(c.createdAt, now)} old`);
  if (c.children > 0) parts.push(`${plural(c.children, 'more session')} in this login`);
  return `• ${parts.join(' · ')}`;
}

function entryOf(c: ConcernedSessionView, now: Date): { text: string; findings: string[] } {
  const findings = c.findings.slice(0, FINDINGS_PER_SESSION);
  const lines = [concernedLine(c, now), ...findings.map((f) => `      ↳ ${safe(f, FINDING_MAX)}`)];
  const more = c.findings.length - findings.length;
  if (more > 0) lines.push(`      ↳ …and ${plural(more, 'more finding')}`);
  return { text: lines.join('\n'), findings };
}

/**
 * Up to CONCERNED_SHOWN families, each with its findings right under it, as many as fit in
 * `budget` characters; the rest are counted in a closing "…and N more logins" line.
 */
export function concernedText(concerned: readonly ConcernedSessionView[], now: Date, budget: number): ConcernedText {
  const lines: string[] = [];
  const findingsShown = new Set<string>();
  let used = 0;
  for (const c of concerned.slice(0, CONCERNED_SHOWN)) {
    const entry = entryOf(c, now);
    const room = budget - used - (lines.length + 1 < concerned.length ? MORE_LINE_ROOM : 0);
    // The first session is always named, cut if it must be: an approver must see at least that one.
    const text = lines.length === 0 ? truncate(entry.text, room) : entry.text;
    if (text.length > room) break;
    lines.push(text);
    used += text.length + 1;
    // A cut entry may have lost findings; those stay for the list that follows.
    if (text === entry.text) for (const f of entry.findings) findingsShown.add(f);
  }
  const more = concerned.length - lines.length;
  if (more > 0) lines.push(`…and ${plural(more, 'more login')}`);
  return { text: lines.join('\n'), findingsShown };
}
