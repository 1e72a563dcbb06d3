/**
 * The "Login history" answer: one compact line per LoginHistory row, newest first, split over
 * sections so no section exceeds 20 lines or Slack's 3,000-character section limit.
 */
import type { KnownBlock } from '@slack/types';
import type { LoginEvent, LoginSummary, SfUser } from '../../domain/types';
import { placeLabel } from '../../domain/geo';
import { failureLabel } from '../../domain/login-status';
import { LIMITS, context, header, section } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { blockTextLength, formatCount, plural, safe, slackDate, truncate } from './text';

export interface LoginHistoryInput {
  user: SfUser;
  events: LoginEvent[];
  summary: LoginSummary;
  days: number;
  /** How many rows were asked for; when events reach it, older logins may exist. */
  limit: number;
  now: Date;
}

export const MAX_LINES_PER_SECTION = 20;
const MAX_LINE_CHARS = 400;
/** header, user context, summary, "not shown" context. */
const FIXED_BLOCKS = 4;
const MAX_COUNTRIES_LISTED = 10;

export function historySummaryLine(summary: LoginSummary, days: number): string {
  const parts = [`${plural(summary.total, 'login')} in ${plural(days, 'day')}`, plural(summary.failures, 'failure')];
  const listed = summary.countries.slice(0, MAX_COUNTRIES_LISTED).map((c) => safe(c, 40));
  const more = summary.countries.length > listed.length ? `, +${summary.countries.length - listed.length} more` : '';
  parts.push(`${plural(summary.countries.length, 'country', 'countries')}${listed.length > 0 ? ` (${listed.join(', ')}${more})` : ''}`);
  parts.push(plural(summary.distinctIps, 'IP'));
  return parts.join(' · ');
}

export function loginLine(event: LoginEvent): string {
  const status = event.success ? 'Success' : `:x: *${safe(failureLabel(event.status), 80)}*`;
  const place = placeLabel(event.place, 'short');
  const parts = [slackDate(event.loginTime), status, safe(event.sourceIp ?? 'IP unknown', 45)];
  if (place) parts.push(safe(place, 80));
  for (const v of [event.loginType, event.application, event.browser, event.platform]) {
    if (v && v.trim() !== '') parts.push(safe(v, 60));
  }
  return truncate(parts.join(' · '), MAX_LINE_CHARS);
}

/** Groups lines into section texts of at most 20 lines and 3,000 characters. */
function chunk(lines: readonly string[]): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = (current.length > 0 ? 1 : 0) + line.length;
    if (current.length >= MAX_LINES_PER_SECTION || length + added > LIMITS.sectionText) {
      chunks.push(current.join('\n'));
      current = [];
      length = 0;
    }
    current.push(line);
    length += (current.length > 1 ? 1 : 0) + line.length;
  }
  if (current.length > 0) chunks.push(current.join('\n'));
  return chunks;
}

export function loginHistoryMessage(input: LoginHistoryInput): SlackMessage {
  const { user, summary, days, now } = input;
  const limit = Math.max(0, Math.trunc(input.limit));
  const events = [...input.events].sort((a, b) => b.loginTime.getTime() - a.loginTime.getTime()).slice(0, limit);
  const who = user.name || user.username;

  const top: KnownBlock[] = [
    header(`Login history: ${who}`),
    context([`${safe(user.username, 120)} · last ${plural(days, 'day')} · as of ${slackDate(now)}`], 'user'),
  ];
  if (events.length === 0) {
    top.push(section(`No logins in the last ${plural(days, 'day')}.`, 'summary'));
    return {
      text: truncate(`No logins in the last ${plural(days, 'day')} for ${safe(who, 200)}.`, MAX_FALLBACK_TEXT),
      blocks: top,
    };
  }
  top.push(section(`*${historySummaryLine(summary, days)}*`, 'summary'));

  // Lines are added newest first while both the block cap and the text budget allow; the
  // longest possible note is reserved up front so the budget still holds once it is added.
  const total = Math.max(summary.total, events.length);
  const note = (shown: number, cut: boolean): string =>
    `Showing the newest ${formatCount(shown)} of ${formatCount(total)} logins${cut ? '; ask for fewer days to see more' : ''}.`;
  let room = LIMITS.messageBlockText - blockTextLength([...top, context([note(total, true)])]);
  const maxSections = LIMITS.blocksPerMessage - FIXED_BLOCKS;
  const lines: string[] = [];
  for (const event of events) {
    const line = loginLine(event);
    if (line.length + 1 > room || chunk([...lines, line]).length > maxSections) break;
    lines.push(line);
    room -= line.length + 1;
  }

  const blocks: KnownBlock[] = [...top];
  chunk(lines).forEach((text, i) => blocks.push(section(text, `logins_${i + 1}`)));
  if (lines.length < total) blocks.push(context([note(lines.length, lines.length < events.length)], 'not_shown'));

  return {
    text: truncate(`Login history for ${safe(who, 200)}: ${historySummaryLine(summary, days)}.`, MAX_FALLBACK_TEXT),
    blocks,
  };
}
