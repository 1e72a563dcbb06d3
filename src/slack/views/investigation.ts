/**
 * "What did this session do?" and "Ways back in": pure Block Kit builders over the investigation's
 * domain types. Every source the bot could not read is named with its cause, never shown as empty.
 */
import type { Button, KnownBlock } from '@slack/types';
import type { ClassifiedChange, Readable, SessionActivityRead, UnreadableCause, WayBackIn } from '../../domain/investigation';
import { WAY_BACK_IN_CLASSES } from '../../domain/setup-changes';
import type { LoginEvent, SfUser } from '../../domain/types';
import { ACTIONS, INVESTIGATE_ACTIONS, type SessionButtonValue, type UserButtonValue } from './action-ids';
import { actions, button, context, divider, header, section } from './blocks';
import { loginLine } from './history';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { formatCount, plural, safe, slackDate, truncate } from './text';

const MAX_LINES = 15;
const MAX_LINE_CHARS = 190;

export interface InvestigationView {
  user: SfUser;
  window: { from: Date; to: Date; sessionIds: string[]; sourceIps: string[] };
  read: SessionActivityRead;
  changes: Readable<ClassifiedChange>;
  calls: number;
  /** The button value that asked (session or user), so "Show API calls" asks the same again. */
  value: SessionButtonValue | UserButtonValue;
}

const CAUSE_WORDS: Record<UnreadableCause, string> = {
  permission: 'missing permission',
  licence: 'needs a licence',
  salesforce: 'Salesforce error',
};

function unreadableLine(what: string, r: { cause: UnreadableCause; detail: string }): string {
  return `:grey_question: *${what}: unknown* (${CAUSE_WORDS[r.cause]}). ${safe(r.detail, 300)}`;
}

function lines(items: readonly string[], more: number, noun: string): string {
  const shown = items.slice(0, MAX_LINES);
  const hidden = items.length - shown.length + more;
  return [...shown, ...(hidden > 0 ? [`_+${plural(hidden, `more ${noun}`)} not shown_`] : [])].join('\n');
}

function changeLine({ change, cls }: ClassifiedChange): string {
  const via = change.delegateUser ? ` _(through Login-As by ${safe(change.delegateUser, 80)})_` : '';
  const label = cls ? `*${WAY_BACK_IN_CLASSES[cls.cls].label}*${cls.source === 'catalogue' ? '' : ' _(code not confirmed)_'}: ` : '';
  return truncate(`${slackDate(change.at)} · ${label}${safe(change.display ?? change.action, 140)} \`${safe(change.action, 60)}\`${via}`, MAX_LINE_CHARS + 120);
}

function setupSection(changes: Readable<ClassifiedChange>): KnownBlock[] {
  if (changes.kind === 'unreadable') return [section(unreadableLine('Setup changes', changes))];
  const risky = changes.rows.filter((c) => c.cls);
  const other = changes.rows.filter((c) => !c.cls);
  const cut = changes.truncated ? '\n_The audit trail had more rows than the bot reads at once; older ones are not shown._' : '';
  if (changes.rows.length === 0) return [section(`*Setup changes:* none made from this account in the window.${cut}`)];
  const out: KnownBlock[] = [];
  out.push(
    section(
      risky.length > 0
        ? `*:rotating_light: Ways back in (${formatCount(risky.length)})*\n${lines(risky.map(changeLine), 0, 'change')}${cut}`
        : `*Ways back in:* none among the Setup changes.${cut}`,
    ),
  );
  if (other.length > 0) out.push(section(`*Other Setup changes (${formatCount(other.length)})*\n${lines(other.map(changeLine), 0, 'change')}`));
  return out;
}

function loginsSection(logins: Readable<LoginEvent>): KnownBlock {
  if (logins.kind === 'unreadable') return section(unreadableLine('Logins', logins));
  if (logins.rows.length === 0) return section('*Logins around the session:* none recorded.');
  return section(
    `*Logins around the session*\n${lines(
      logins.rows.map((l) => truncate(loginLine(l), MAX_LINE_CHARS)),
      logins.truncated ? 1 : 0,
      'login',
    )}`,
  );
}

function verificationsSection(read: SessionActivityRead): KnownBlock {
  const v = read.verifications;
  if (v.kind === 'unreadable') return section(unreadableLine('Identity verification (MFA)', v));
  if (v.rows.length === 0) return section('*Identity verification (MFA):* no prompts recorded around the login.');
  const text = v.rows.map((r) =>
    truncate(
      [
        slackDate(r.at),
        safe(r.activity ?? 'activity unknown', 40),
        safe(r.method ?? 'method unknown', 40),
        `*${safe(r.status ?? 'status unknown', 40)}*`,
        safe(r.sourceIp ?? 'IP unknown', 45),
      ].join(' · '),
      MAX_LINE_CHARS,
    ),
  );
  return section(`*Identity verification (MFA)*\n${lines(text, v.truncated ? 1 : 0, 'prompt')}`);
}

function apiSection(input: InvestigationView): { blocks: KnownBlock[]; button: Button | null } {
  const { read } = input;
  const files = read.eventLogs;
  if (files.kind === 'unreadable') return { blocks: [section(unreadableLine('API calls (event log files)', files))], button: null };
  const usage = files.rows.filter((f) => f.eventType === 'ApiTotalUsage');
  const note =
    'Matched by user, address, app and time, not by session: the free API Total Usage log has no session key. Daily files cover whole days (UTC) and appear the day after.';
  if (read.apiCalls === null) {
    const licensed = read.eventMonitoring === 'licensed';
    if (usage.length === 0 && !licensed) return { blocks: [section(`*API calls:* no API Total Usage file covers the window yet. _${note}_`)], button: null };
    const cost = Math.min(usage.length, 3) + (licensed ? 1 : 0);
    const what = [
      ...(usage.length > 0 ? [`${plural(usage.length, 'API Total Usage file')} cover the window`] : []),
      ...(licensed ? ['the session’s Event Monitoring events can be read'] : []),
    ].join('; ');
    return {
      blocks: [section(`*API calls:* ${what}; reading them costs ${plural(cost, 'API call')}.`)],
      button: button({ text: 'Show API calls', actionId: INVESTIGATE_ACTIONS.apiCalls, value: input.value }),
    };
  }
  if (read.apiCalls.kind === 'unreadable') return { blocks: [section(unreadableLine('API calls', read.apiCalls))], button: null };
  const groups = read.apiCalls.rows;
  if (groups.length === 0) return { blocks: [section(`*API calls:* none from the session's addresses in the files read. _${note}_`)], button: null };
  const text = groups.map((g) =>
    truncate(
      `${formatCount(g.count)}× ${safe(g.method ?? '?', 10)} ${safe(g.entity ?? g.resource ?? 'unknown object', 80)} · ${safe(g.family ?? '', 20)} · ${safe(g.app ?? 'app unknown', 60)} · ${safe(g.clientIp ?? 'IP unknown', 45)}`,
      MAX_LINE_CHARS,
    ),
  );
  return {
    blocks: [section(`*API calls (${formatCount(groups.reduce((n, g) => n + g.count, 0))})*\n${lines(text, 0, 'kind of call')}`), context([note])],
    button: null,
  };
}

function sessionEventsSection(read: SessionActivityRead): KnownBlock[] {
  const events = read.sessionEvents;
  if (events === null) return [];
  if (events.kind === 'unreadable') return [section(unreadableLine('Session events (Event Monitoring)', events))];
  if (events.rows.length === 0) return [section('*Session events (Event Monitoring):* no queries or reports from the session’s addresses in the window.')];
  const text = events.rows.map((e) =>
    truncate(
      `${slackDate(e.at)} · ${e.source === 'ReportEvent' ? 'Report' : 'API'} ${safe(e.operation ?? '?', 30)} · ${safe(e.entities ?? (e.reportId ? `report ${e.reportId}` : 'objects unknown'), 80)}${e.rows === null ? '' : ` · ${formatCount(e.rows)} rows`}`,
      MAX_LINE_CHARS,
    ),
  );
  return [section(`*Session events (Event Monitoring, ${formatCount(events.rows.length)})*\n${lines(text, events.truncated ? 1 : 0, 'event')}`)];
}

function cannotShow(read: SessionActivityRead): string {
  switch (read.eventMonitoring) {
    case 'licensed':
      return read.sessionEvents === null
        ? 'The org has Event Monitoring: *Show API calls* also reads the session’s queries and reports (ApiEvent, ReportEvent), for one more call. Lightning page views and bulk results are not read by the bot.'
        : 'Read from Event Monitoring: queries (ApiEvent) and reports (ReportEvent), matched to the session by user, address and time. Lightning page views and bulk results are not read by the bot.';
    case 'not-licensed':
      return 'Not shown: reports run, records viewed or exported, Lightning pages. Those per-session events need Event Monitoring (Shield or the add-on); this org has only the free log files.';
    case 'unknown':
      return 'Whether the org has Event Monitoring is unknown: the bot cannot list its event log files.';
  }
}

export function investigationMessage(input: InvestigationView): SlackMessage {
  const { user, window } = input;
  const name = user.name || user.username;
  const sessions = plural(window.sessionIds.length, 'session family', 'session families');
  const ips = window.sourceIps.slice(0, 5).map((ip) => safe(ip, 45));
  const api = apiSection(input);
  const blocks: KnownBlock[] = [
    header(`What ${name}'s session did`),
    context([
      `${safe(user.username, 120)} · ${sessions} · from ${slackDate(window.from)} to ${slackDate(window.to)}${ips.length > 0 ? ` · ${ips.join(', ')}` : ''}`,
    ]),
    ...setupSection(input.changes),
    divider(),
    loginsSection(input.read.logins),
    verificationsSection(input.read),
    ...api.blocks,
    ...sessionEventsSection(input.read),
    context([cannotShow(input.read), `Cost: ${plural(input.calls, 'Salesforce API call')}.`]),
  ];
  const buttons: Button[] = [];
  if (api.button) buttons.push(api.button);
  buttons.push(button({ text: 'Login history', actionId: ACTIONS.history, value: { u: user.id } }));
  blocks.push(actions(buttons, 'investigation_actions'));
  const risky = input.changes.kind === 'read' ? input.changes.rows.filter((c) => c.cls).length : null;
  const text = truncate(
    `What ${name}'s session did: ${risky === null ? 'Setup changes unknown' : `${plural(risky, 'way', 'ways')} back in among the Setup changes`}.`,
    MAX_FALLBACK_TEXT,
  );
  return { text, blocks };
}

function wayLine(w: WayBackIn): string {
  const when = w.at ? `${slackDate(w.at)} · ` : '';
  const flag = w.unconfirmed ? ' _(code not confirmed)_' : '';
  return truncate(`• ${when}*${safe(w.label, 80)}*${flag}: ${safe(w.what, 160)}\n   ↳ ${safe(w.advice, 220)}`, 600);
}

export interface WaysBackInView {
  user: Pick<SfUser, 'id' | 'username' | 'name'>;
  items: WayBackIn[];
  unknown: string[];
  calls: number;
  /** Set when the bot may request a revoke: the grants it names get a button through the approval flow. */
  canRequest: boolean;
}

/** The thread reply after a Contain: what could still let the attacker in, and what to do. */
export function waysBackInMessage(input: WaysBackInView): SlackMessage {
  const name = safe(input.user.name || input.user.username, 120);
  const blocks: KnownBlock[] = [];
  if (input.items.length === 0 && input.unknown.length === 0) {
    blocks.push(
      section(`*Ways back in for ${name}:* none found — no Setup change from the account during its sessions opens one, and no OAuth grant is left.`),
    );
  } else {
    blocks.push(section(`*:rotating_light: Ways back in for ${name}: ${formatCount(input.items.length)}*`));
    const texts = input.items.map(wayLine);
    for (let i = 0; i < texts.length && blocks.length < 40; i += 8) blocks.push(section(texts.slice(i, i + 8).join('\n')));
    if (input.unknown.length > 0) blocks.push(section(input.unknown.map((u) => `:grey_question: ${safe(u, 400)}`).join('\n')));
  }
  const revocable = input.items.some((w) => w.remedy?.kind === 'revoke-grant');
  const buttons: Button[] = [];
  if (input.canRequest && revocable) buttons.push(button({ text: 'Revoke OAuth tokens…', actionId: ACTIONS.revokeTokens, value: { u: input.user.id } }));
  buttons.push(button({ text: 'Show sessions', actionId: ACTIONS.pickUser, value: { u: input.user.id } }));
  blocks.push(actions(buttons, 'ways_back_in_actions'));
  blocks.push(context([`Read from Setup Audit Trail and OAuth grants for the ended sessions' window · ${plural(input.calls, 'Salesforce API call')}.`]));
  const text = truncate(`Ways back in for ${input.user.name || input.user.username}: ${formatCount(input.items.length)}.`, MAX_FALLBACK_TEXT);
  return { text, blocks };
}
