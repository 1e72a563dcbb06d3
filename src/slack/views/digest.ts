/**
 * An alert storm in the security channel: ONE message for a poll that found more new problems
 * than ALERT_DIGEST_THRESHOLD — how many per rule, the ten worst each with the alert's own
 * buttons, and "Show the rest", which pages through the others privately for whoever clicks
 * (each page within Block Kit's 50 blocks). Pure: no I/O.
 */
import type { Button, KnownBlock } from '@slack/types';
import type { Finding, Session, Severity, SfUser } from '../../domain/types';
import type { RuleMeta } from '../../rules/rule';
import { DIGEST_ACTIONS, encodeDigestPageValue } from './action-ids';
import { alertButtons } from './alert';
import { actions, button, context, header, LIMITS, section } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { formatCount, oneLine, plural, safe, slackDate, truncate } from './text';

/** How many alerts the digest message itself shows, with their buttons. */
export const DIGEST_WORST_SHOWN = 10;
/** Alerts per "Show the rest" page: two blocks each, so a page stays far below Slack's 50 blocks. */
export const DIGEST_PAGE_SIZE = 20;

/** One alert of a digest, as it is now (an alert resolved since the storm shows so, without buttons). */
export interface DigestAlertView {
  finding: Finding;
  rule: Pick<RuleMeta, 'title'>;
  user: Pick<SfUser, 'name' | 'username' | 'email' | 'profileName'>;
  /** The sessions the alert names that are still known: what its Remove button would end. */
  sessions: readonly Session[];
  open: boolean;
}

export interface DigestRuleCount {
  rule: string;
  title: string;
  severity: Severity;
  count: number;
}

export interface DigestMessageInput {
  digestId: string;
  total: number;
  counts: readonly DigestRuleCount[];
  /** The worst alerts, worst first; only the first DIGEST_WORST_SHOWN are shown. */
  worst: readonly DigestAlertView[];
  now: Date;
}

export interface DigestPageInput {
  digestId: string;
  total: number;
  /** 1-based page of the alerts after the ten worst. */
  page: number;
  /** The alerts of this page, worst first. */
  items: readonly DigestAlertView[];
  now: Date;
}

const SEVERITY_MARKS: Readonly<Record<Severity, string>> = {
  high: ':red_circle: High',
  medium: ':large_orange_circle: Medium',
  low: ':large_yellow_circle: Low',
};

/** Per alert line: with two blocks an alert and twenty a page, the page stays under Slack's text cap. */
const ITEM_BUDGET = 400;

/** How many pages the alerts after the ten worst fill. */
export function digestPages(total: number): number {
  return Math.max(0, Math.ceil((total - DIGEST_WORST_SHOWN) / DIGEST_PAGE_SIZE));
}

/** Where page `page` starts among the digest's alerts (worst first, 0-based). */
export function digestPageOffset(page: number): number {
  return DIGEST_WORST_SHOWN + (Math.max(1, page) - 1) * DIGEST_PAGE_SIZE;
}

function itemText(item: DigestAlertView, index: number): string {
  const { finding, user } = item;
  const who = `*${safe(user.name || user.username, 120)}* (${safe(user.username, 120)})`;
  const status = item.open ? '' : ' · :white_check_mark: _no longer open_';
  return truncate(
    `${formatCount(index)}. ${SEVERITY_MARKS[finding.severity]} · *${safe(oneLine(item.rule.title), 120) || safe(finding.rule, 60)}* — ${who}${status}\n${safe(finding.message, 300)}`,
    ITEM_BUDGET,
  );
}

/** An alert's line and, while it is open, the alert's own buttons (Remove these sessions, Contain, Login history, Show sessions). */
function itemBlocks(item: DigestAlertView, index: number, idPrefix: string): KnownBlock[] {
  const blocks: KnownBlock[] = [section(itemText(item, index), `${idPrefix}_item_${index}`)];
  if (item.open) {
    const { buttons } = alertButtons({ finding: item.finding, user: item.user }, item.sessions);
    blocks.push(actions(buttons, `${idPrefix}_actions_${index}`));
  }
  return blocks;
}

function countsText(counts: readonly DigestRuleCount[]): string {
  const lines = counts.map((c) => `• ${SEVERITY_MARKS[c.severity]} · *${safe(oneLine(c.title), 120)}* — ${formatCount(c.count)}`);
  return truncate(`*New alerts by rule*\n${lines.join('\n')}`, 2_000);
}

function pageButton(digestId: string, page: number, text: string, pages: number): Button {
  return button({
    text,
    actionId: DIGEST_ACTIONS.showRest,
    value: encodeDigestPageValue({ d: digestId, p: page }),
    accessibilityLabel: `Page ${page} of ${pages} of the other alerts of this digest, shown only to you`,
  });
}

/** The digest message: counts per rule, the ten worst with their buttons, and "Show the rest" when there is a rest. */
export function digestMessage(input: DigestMessageInput): SlackMessage {
  const { digestId, total, counts, now } = input;
  const worst = input.worst.slice(0, DIGEST_WORST_SHOWN);
  const blocks: KnownBlock[] = [header(`${formatCount(total)} new alerts in one poll`)];
  blocks.push(section(countsText(counts), 'digest_counts'));
  const rest = Math.max(0, total - worst.length);
  const shown = worst.length === total ? `All ${plural(total, 'alert')}, worst first:` : `The ${formatCount(worst.length)} worst (severity, then rule):`;
  blocks.push(section(`*${shown}*`, 'digest_worst_title'));
  worst.forEach((item, i) => blocks.push(...itemBlocks(item, i + 1, 'digest')));
  const meta = [`As of ${slackDate(now)} · one message instead of ${formatCount(total)}, to stay within Slack's pace`];
  if (rest > 0) meta.push(`*Show the rest* lists the other ${plural(rest, 'alert')} to you only, ${formatCount(DIGEST_PAGE_SIZE)} at a time.`);
  blocks.push(context(meta, 'digest_meta'));
  const pages = digestPages(total);
  if (pages > 0) blocks.push(actions([pageButton(digestId, 1, 'Show the rest', pages)], 'digest_more'));
  const top = counts
    .slice(0, 5)
    .map((c) => `${c.title} ${formatCount(c.count)}`)
    .join(', ');
  const fallback = `${formatCount(total)} new alerts in one poll: ${top}`;
  return { text: truncate(fallback, MAX_FALLBACK_TEXT), blocks: blocks.slice(0, LIMITS.blocksPerMessage) };
}

/** One page of the alerts after the ten worst, for the person who clicked "Show the rest" (ephemeral). */
export function digestPageMessage(input: DigestPageInput): SlackMessage {
  const { digestId, total, now } = input;
  const pages = digestPages(total);
  const page = Math.min(Math.max(1, input.page), Math.max(1, pages));
  const first = digestPageOffset(page) + 1;
  const items = input.items.slice(0, DIGEST_PAGE_SIZE);
  const last = first + items.length - 1;
  const blocks: KnownBlock[] = [
    section(
      `*Alerts ${formatCount(first)}–${formatCount(last)} of ${formatCount(total)}* of the digest, worst first · page ${formatCount(page)} of ${formatCount(pages)}`,
      'digest_page_title',
    ),
  ];
  items.forEach((item, i) => blocks.push(...itemBlocks(item, first + i, 'digest_page')));
  if (items.length === 0) blocks.push(section('_No alerts on this page._', 'digest_page_empty'));
  blocks.push(context([`As of ${slackDate(now)} · only you can see this`], 'digest_page_meta'));
  if (page < pages) blocks.push(actions([pageButton(digestId, page + 1, 'Next page', pages)], 'digest_page_nav'));
  return { text: truncate(`Alerts ${first}–${last} of ${total} of the digest (page ${page} of ${pages})`, MAX_FALLBACK_TEXT), blocks };
}
