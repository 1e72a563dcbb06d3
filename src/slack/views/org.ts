/**
 * The org view: every live Salesforce session of the org, grouped the way an investigator reads
 * Setup → Session Management, each person's line with *Show sessions*; paged within Block Kit's
 * 50 blocks and text limits, with *Export CSV*. Pure: no I/O.
 */
import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../../domain/format';
import type { CountBy, OrgLine, OrgLineKind, OrgPerson, OrgSummary, OrgViewSource } from '../../operations/org-view';
import { encodeOrgPage, ORG_ACTIONS } from './action-ids';
import { actions, button, context, header, section, type ButtonSpec } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { formatCount, plural, safe, slackDate, truncate } from './text';

/**
 * Person lines per page: with the summary, six headings and the buttons a page stays below 40 of
 * Slack's 50 blocks, and — each line cut at LINE_TEXT_MAX — below the ~12,000 characters of block
 * text Slack accepts, however long the names.
 */
export const ORG_LINES_PER_PAGE = 25;
const LINE_TEXT_MAX = 220;
/** Countries named on one line; the count says how many there are. */
const COUNTRIES_NAMED = 8;
/** Kinds of count shown per column before "…and N more". */
const COUNTS_SHOWN = 12;

const HEADINGS: Readonly<Record<OrgLineKind, string>> = {
  countries: 'Signed in from several countries at once',
  'past-policy': 'Sessions of people kept in use past a working day',
  integration: 'Integration sessions past rotation',
  tokens: "Integrations' OAuth tokens past rotation",
  holder: 'Most sessions',
  alerts: 'Open alerts',
};
const KIND_ORDER: readonly OrgLineKind[] = ['countries', 'past-policy', 'integration', 'tokens', 'holder', 'alerts'];

export interface OrgMessageInput {
  summary: OrgSummary;
  /** 1-based. */
  page: number;
  /** The kept read the page buttons point at (src/wiring/org.ts); without it a page click reads the org again. */
  snapshotId?: string;
}

/** How many pages the view has. */
export function orgPageCount(summary: OrgSummary): number {
  return Math.max(1, Math.ceil(summary.lines.length / ORG_LINES_PER_PAGE));
}

export function orgMessage({ summary, page: wanted, snapshotId }: OrgMessageInput): SlackMessage {
  const pages = orgPageCount(summary);
  const page = Math.min(Math.max(1, wanted), pages);
  const blocks: KnownBlock[] = [];
  if (page === 1) {
    blocks.push(...orgSummaryBlocks(summary));
  } else {
    blocks.push(context([`*Salesforce sessions in the org*, page ${page} of ${pages} · ${sourceText(summary.source, summary.now)}`], 'org_page_head'));
  }
  const start = (page - 1) * ORG_LINES_PER_PAGE;
  const shown = summary.lines.slice(start, start + ORG_LINES_PER_PAGE);
  // A kind's heading goes where its lines are; an empty kind's heading goes where it would fall in reading order.
  const kindAt = (i: number): number => KIND_ORDER.indexOf((summary.lines[i] as OrgLine).kind);
  const fromKind = page === 1 ? 0 : kindAt(start - 1);
  const toKind = page === pages ? KIND_ORDER.length - 1 : kindAt(start + shown.length - 1);
  for (let k = fromKind; k <= toKind; k++) {
    const kind = KIND_ORDER[k] as OrgLineKind;
    const lines = shown.filter((l) => l.kind === kind);
    const all = summary.lines.filter((l) => l.kind === kind).length;
    if (all > 0 && lines.length === 0) continue;
    const continued = lines.length > 0 && summary.lines.findIndex((l) => l.kind === kind) < start;
    blocks.push(context([headingText(kind, all, lines.length, continued, summary)], `org_h_${kind}`));
    for (const line of lines) {
      blocks.push(section(truncate(lineText(line, summary), LINE_TEXT_MAX), `org_${kind}_${summary.lines.indexOf(line)}`, button(showSessions(line.person))));
    }
  }
  const nav: ButtonSpec[] = [];
  const snapshot = snapshotId ?? null;
  if (page > 1) nav.push({ text: 'Previous', actionId: ORG_ACTIONS.previousPage, value: encodeOrgPage({ page: page - 1, snapshot }) });
  if (page < pages) nav.push({ text: `Next (${page + 1} of ${pages})`, actionId: ORG_ACTIONS.page, value: encodeOrgPage({ page: page + 1, snapshot }) });
  nav.push({ text: 'Export CSV', actionId: ORG_ACTIONS.exportCsv, value: 'csv', accessibilityLabel: 'Send me every live session as a CSV file' });
  blocks.push(actions(nav.map(button), 'org_nav'));
  return { text: fallback(summary, page, pages), blocks };
}

/** The summary without person lines or buttons: the top of page 1, and what App Home shows above its own lines. */
export function orgSummaryBlocks(summary: OrgSummary): KnownBlock[] {
  const t = summary.totals;
  const counts = [
    `*${plural(t.sessions, 'live session')}* in ${plural(t.families, 'login')}`,
    `*${plural(t.people, 'person', 'people')}* online${t.apiOnlyPeople > 0 ? ` (${formatCount(t.apiOnlyPeople)} through integrations only)` : ''}`,
    plural(t.integrationSessions, 'integration session'),
    ...(t.botOwn > 0 ? [`${formatCount(t.botOwn)} of them the bot's own`] : []),
    ...(t.unknownPlace > 0 ? [`${formatCount(t.unknownPlace)} with no known place`] : []),
  ];
  const alerts = summary.alerts;
  const alertText =
    alerts.count === 0
      ? 'No open alerts.'
      : `*${alerts.capped ? 'at least ' : ''}${plural(alerts.count, 'open alert')}*: ${(['high', 'medium', 'low'] as const)
          .filter((s) => alerts.bySeverity[s] > 0)
          .map((s) => `${formatCount(alerts.bySeverity[s])} ${s}`)
          .join(', ')}`;
  const block: KnownBlock = {
    type: 'section',
    block_id: 'org_counts',
    fields: [
      { type: 'mrkdwn', text: truncate(`*By session type*\n${countLines(summary.bySessionType)}`, 2000) },
      { type: 'mrkdwn', text: truncate(`*By login type*\n${countLines(summary.byLoginType)}`, 2000) },
    ],
  };
  return [
    header('Salesforce sessions in the org'),
    section(`${counts.join(' · ')}\n${alertText}`, 'org_totals'),
    ...(summary.totals.sessions > 0 ? [block] : []),
    context([sourceText(summary.source, summary.now)], 'org_source'),
  ];
}

/** People named per kind on the App Home tab, which has no response_url for Show sessions: the lines are text there. */
export const HOME_ORG_LINES_PER_KIND = 5;

/**
 * The org view on App Home: the same summary, each kind with its first few people, and where to
 * get the rest (`/sessions`, with Show sessions and Export CSV). `summary` null: the monitor's
 * mirror is not fresh, and the tab does not call Salesforce.
 */
export function homeOrgBlocks(summary: OrgSummary | null): KnownBlock[] {
  if (!summary) {
    return [
      section(
        "*Salesforce sessions in the org*\nNot shown: the monitor's copy of the org is not fresh (the monitor is off, behind, or has not read the org yet), and this tab never calls Salesforce. Run `/sessions` for a fresh read (one Salesforce call per 2,000 sessions).",
        'home_org_none',
      ),
    ];
  }
  const blocks = orgSummaryBlocks(summary).filter((b) => b.type !== 'header');
  blocks.unshift(section('*Salesforce sessions in the org*', 'home_org_title'));
  for (const kind of KIND_ORDER) {
    const lines = summary.lines.filter((l) => l.kind === kind);
    const shown = lines.slice(0, HOME_ORG_LINES_PER_KIND).map((l) => `• ${truncate(lineText(l, summary), LINE_TEXT_MAX)}`);
    const more = lines.length - shown.length;
    const body = [
      headingText(kind, lines.length, lines.length, false, summary),
      ...shown,
      ...(more > 0 ? [`…and ${formatCount(more)} more in \`/sessions\``] : []),
    ];
    blocks.push(section(truncate(body.join('\n'), 3000), `home_org_${kind}`));
  }
  return blocks;
}

/** Where the numbers come from and what they cost, with the mirror's age. */
export function sourceText(source: OrgViewSource, now: Date): string {
  if (source.kind === 'mirror') {
    return (
      `From the monitor's copy, no Salesforce call: new sessions as of ${ago(source.polledAt, now)}, ` +
      `ended ones dropped at its full read ${ago(source.scannedAt, now)}.`
    );
  }
  const why =
    source.mirror === 'off'
      ? 'the monitor is off'
      : source.mirrorPolledAt
        ? `the monitor's copy is not fresh (last poll ${ago(source.mirrorPolledAt, now)})`
        : 'the monitor has not read the org yet';
  const short = source.extraCalls > 0 ? `; Salesforce sent shorter pages than asked, which cost ${plural(source.extraCalls, 'more call')}` : '';
  return `Read from Salesforce at ${slackDate(now)}: ${plural(source.calls, 'API call')} (one per 2,000 sessions)${short}; ${why}.`;
}

function ago(at: Date, now: Date): string {
  return `${formatDuration(Math.max(0, now.getTime() - at.getTime()))} ago`;
}

function countLines(counts: readonly CountBy[]): string {
  if (counts.length === 0) return 'none';
  const shown = counts.slice(0, COUNTS_SHOWN).map((c) => `${safe(c.label, 60)}: ${formatCount(c.count)}`);
  const rest = counts.length - COUNTS_SHOWN;
  return [...shown, ...(rest > 0 ? [`…and ${plural(rest, 'more type')}`] : [])].join('\n');
}

function headingText(kind: OrgLineKind, all: number, onPage: number, continued: boolean, summary: OrgSummary): string {
  const title = `*${HEADINGS[kind]}*`;
  const policy =
    kind === 'past-policy'
      ? ` (working day ${formatDuration(summary.policy.workdayHours * 3_600_000)})`
      : kind === 'integration' || kind === 'tokens'
        ? ` (rotation ${summary.policy.tokenMaxAgeDays} days)`
        : '';
  if (kind === 'tokens' && summary.tokens.state === 'unknown') {
    // Unknown is never "nobody": say what kept the bot from reading them.
    return summary.tokens.why === 'not-in-mirror'
      ? `${title}${policy}: not read — the monitor's copy holds sessions, not tokens (Show sessions lists a person's tokens)`
      : `${title}${policy}: unknown — Salesforce refused the read (${safe(summary.tokens.detail, 200)}); other people's tokens need Customize Application`;
  }
  if (kind === 'tokens' && all > 0 && summary.tokens.state === 'read' && !summary.tokens.complete)
    return `${title}${policy}: at least ${plural(all, 'integration')} (the oldest tokens only)${peoplesTokens(kind, summary)}`;
  if (kind === 'tokens' && all > 0)
    return `${title}${policy}: ${plural(all, 'integration')}${continued ? `, continued (${formatCount(onPage)} here)` : ''}${peoplesTokens(kind, summary)}`;
  if (all === 0) return `${title}${policy}: ${kind === 'alerts' ? 'none' : 'nobody'}${peoplesTokens(kind, summary)}`;
  if (kind === 'holder') return `${title}: the top ${formatCount(all)}${continued ? ', continued' : ''}`;
  return `${title}${policy}: ${plural(all, 'person', 'people')}${continued ? `, continued (${formatCount(onPage)} here)` : ''}`;
}

/** People's own app tokens are old by design (a phone keeps its refresh token): counted, not listed, as the monitor does. */
function peoplesTokens(kind: OrgLineKind, summary: OrgSummary): string {
  if (kind !== 'tokens' || summary.tokens.state !== 'read' || summary.tokens.people === 0) return '';
  return `; ${plural(summary.tokens.people, "person's app token", "people's app tokens")} as old not listed (phones keep theirs by design; Show sessions lists a person's)`;
}

function who(person: OrgPerson, source: OrgViewSource): string {
  // The monitor names only the people its alerts are about; the Show sessions button names anyone.
  const unnamed = source.kind === 'mirror' ? "name not in the monitor's copy" : 'name not known';
  const name = person.name ? `*${safe(person.name, 60)}*` : `*${safe(person.userId, 20)}* (${unnamed})`;
  return person.username ? `${name} ${safe(person.username, 60)}` : name;
}

function lineText(line: OrgLine, summary: OrgSummary): string {
  switch (line.kind) {
    case 'countries':
      return `${who(line.person, summary.source)}: ${formatCount(line.countries.length)} countries at once (${namedCountries(line.countries)}), ${plural(line.sessions, 'session')}`;
    case 'past-policy':
      return (
        `${who(line.person, summary.source)}: ${plural(line.families, 'login')} kept in use past a working day; oldest since ${slackDate(line.oldestCreatedAt)} ` +
        `(${formatDuration(summary.now.getTime() - line.oldestCreatedAt.getTime())})` +
        (line.beyondMaxAge ? `; in use for ${plural(summary.policy.keptAliveDays, 'day')} or more, as a replayed stolen cookie is` : '')
      );
    case 'integration':
      return `${who(line.person, summary.source)}: ${plural(line.families, 'integration session')} past rotation; oldest alive ${line.oldestDays} days (policy ${summary.policy.tokenMaxAgeDays})`;
    case 'tokens':
      return `${who(line.person, summary.source)}: ${plural(line.count, 'token')} past rotation (${line.apps.map((a) => safe(a, 60)).join(', ')}); oldest ${line.oldestDays} days (policy ${summary.policy.tokenMaxAgeDays})`;
    case 'holder':
      return `${who(line.person, summary.source)}: ${plural(line.sessions, 'session')} in ${plural(line.families, 'login')}`;
    case 'alerts':
      return `${who(line.person, summary.source)}: ${plural(line.count, 'open alert')}, worst ${line.worst} (${line.rules.map((r) => safe(r, 40)).join(', ')})`;
  }
}

function namedCountries(countries: readonly string[]): string {
  const named = countries.slice(0, COUNTRIES_NAMED).map((c) => safe(c, 10));
  return countries.length > COUNTRIES_NAMED ? `${named.join(', ')} and ${formatCount(countries.length - COUNTRIES_NAMED)} more` : named.join(', ');
}

function showSessions(person: OrgPerson): ButtonSpec {
  return {
    text: 'Show sessions',
    actionId: ORG_ACTIONS.showSessions,
    value: { u: person.userId },
    accessibilityLabel: `Show the sessions of ${truncate(person.name ?? person.username ?? person.userId, 40)}`,
  };
}

function fallback(summary: OrgSummary, page: number, pages: number): string {
  const t = summary.totals;
  const countries = summary.lines.filter((l) => l.kind === 'countries').length;
  const text =
    `Salesforce sessions in the org${pages > 1 ? ` (page ${page} of ${pages})` : ''}: ${plural(t.sessions, 'live session')}, ` +
    `${plural(t.people, 'person', 'people')} online, ${plural(countries, 'person', 'people')} in several countries at once.`;
  return truncate(text, MAX_FALLBACK_TEXT);
}
