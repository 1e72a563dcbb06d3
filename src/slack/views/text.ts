/**
 * Slack-specific text helpers for the Block Kit builders: mrkdwn escaping, viewer-local dates,
 * limit-aware truncation and a conservative measure of how much text a message carries.
 */
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { KnownBlock } from '@slack/types';

dayjs.extend(utc);

/**
 * Slack treats only &, < and > as control characters in mrkdwn; escaping them means a crafted
 * name like "<!channel>" or "<https://evil|click>" is shown literally instead of pinging or linking.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Turns line breaks and runs of whitespace into one space, for strings that must stay on one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Escaped, single-line, length-capped form of a user-controlled string. */
export function safe(text: string, max = 200): string {
  return truncate(escapeMrkdwn(oneLine(text)), max);
}

const ELLIPSIS = '…';

/**
 * Cuts text to at most `max` characters, ending with "…" when it had to cut. Never cuts inside an
 * HTML entity (&amp;) or a Slack <…> token (dates, mentions), which would render as garbage or be
 * rejected, and never splits a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  if (max === 1) return ELLIPSIS;
  let end = max - 1;
  // Avoid leaving half of a surrogate pair.
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  let cut = text.slice(0, end);
  const amp = cut.lastIndexOf('&');
  if (amp !== -1 && !cut.slice(amp).includes(';') && /^&[a-z]{0,4}$/i.test(cut.slice(amp))) {
    cut = cut.slice(0, amp);
  }
  const open = cut.lastIndexOf('<');
  if (open !== -1 && !cut.slice(open).includes('>')) {
    cut = cut.slice(0, open);
  }
  return cut.trimEnd() + ELLIPSIS;
}

/** "2026-11-26 10:00 UTC": what clients that cannot render <!date> show instead. */
export function utcLabel(date: Date): string {
  return `${dayjs.utc(date).format('YYYY-MM-DD HH:mm')} UTC`;
}

/**
 * A date Slack renders in each viewer's own time zone ("Yesterday 10:00"), with a UTC fallback
 * for notifications and old clients.
 */
export function slackDate(date: Date): string {
  const epoch = Math.floor(date.getTime() / 1000);
  return `<!date^${epoch}^{date_short_pretty} {time}|${utcLabel(date)}>`;
}

/** "1,667": thousands separators without depending on the host's locale. */
export function formatCount(n: number): string {
  return Math.trunc(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1 session" / "12 sessions". */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${formatCount(n)} ${n === 1 ? singular : pluralForm}`;
}

/**
 * Total length of all text a message's blocks carry (every `text` string of text objects,
 * headers, fields, context elements, buttons and confirm dialogs). Slack's undocumented
 * `msg_blocks_too_long` cap is about 12,000 of these; builders keep well under it.
 */
export function blockTextLength(blocks: readonly KnownBlock[]): number {
  let total = 0;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [key, value] of Object.entries(node)) {
      if (typeof value === 'string') {
        if (key === 'text' || key === 'alt_text' || key === 'accessibility_label') total += value.length;
      } else {
        visit(value);
      }
    }
  };
  visit(blocks);
  return total;
}
