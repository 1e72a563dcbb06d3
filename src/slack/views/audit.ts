/** `/sessions audit <user | request id>` and `/sessions audit verify`: the audit trail as Slack shows it. */
import type { KnownBlock } from '@slack/types';
import { context, header, section } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { formatCount, plural, safe, slackDate, truncate } from './text';

import type { AuditLine } from '../../domain/audit-line';

export type { AuditLine };

export interface AuditTrailInput {
  title: string;
  entries: readonly AuditLine[];
  now: Date;
}

export type AuditVerifyResult = { ok: true; checked: number } | { ok: false; checked: number; brokenAt: number; reason: string };

export const MAX_AUDIT_LINES = 40;
// Sections hold 3,000 characters; a little room is left for the truncation marker.
const SECTION_BUDGET = 2_900;
// Keeps the message under Slack's ~12,000-character block text cap with the header and context.
const MESSAGE_BUDGET = 10_000;

function actorText(actor: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(actor) ? `<@${actor}>` : `_${safe(actor, 40)}_`;
}

function auditLine(e: AuditLine): string {
  const request = e.requestId ? ` · \`${safe(e.requestId, 40)}\`` : '';
  const detail = e.detail.trim() ? ` — ${safe(e.detail, 160)}` : '';
  return `\`#${e.seq}\` ${slackDate(e.at)}${request} · ${actorText(e.actor)} · *${safe(e.event, 40)}*${detail}`;
}

/** Packs lines into as few sections as the per-section limit allows. */
function packSections(lines: readonly string[]): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  let current: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (current.length > 0 && size + 1 + line.length > SECTION_BUDGET) {
      blocks.push(section(current.join('\n')));
      current = [];
      size = 0;
    }
    current.push(line);
    size += (current.length > 1 ? 1 : 0) + line.length;
  }
  if (current.length > 0) blocks.push(section(current.join('\n')));
  return blocks;
}

/** The audit trail, newest first, at most 40 entries. */
export function auditTrailMessage(input: AuditTrailInput): SlackMessage {
  const sorted = [...input.entries].sort((a, b) => b.seq - a.seq);
  const lines: string[] = [];
  let used = 0;
  for (const e of sorted.slice(0, MAX_AUDIT_LINES)) {
    const line = auditLine(e);
    if (used + line.length > MESSAGE_BUDGET) break;
    lines.push(line);
    used += line.length;
  }
  const blocks: KnownBlock[] = [header(input.title)];
  if (lines.length === 0) {
    blocks.push(section('No audit entries yet.', 'audit_empty'));
  } else {
    blocks.push(...packSections(lines));
  }
  const shown =
    sorted.length > lines.length
      ? `${formatCount(lines.length)} newest of ${plural(sorted.length, 'entry', 'entries')}`
      : plural(lines.length, 'entry', 'entries');
  blocks.push(context([`Newest first · ${shown} · as of ${slackDate(input.now)} · check the chain with \`/sessions audit verify\``], 'audit_meta'));
  const text = `${input.title}: ${shown}`;
  return { text: truncate(text, MAX_FALLBACK_TEXT), blocks };
}

/** The result of re-hashing the audit chain. */
export function auditVerifyMessage(result: AuditVerifyResult): SlackMessage {
  if (result.ok) {
    const sentence = `Audit trail intact: ${plural(result.checked, 'entry', 'entries')} checked, every hash matches its chain.`;
    return { text: sentence, blocks: [section(`:white_check_mark: ${sentence}`, 'audit_verify')] };
  }
  const reason = safe(result.reason, 500);
  const sentence = `Audit trail broken at entry #${result.brokenAt}: ${reason}. ${plural(result.checked, 'entry', 'entries')} checked. Entries from there on cannot be trusted; tell the security lead.`;
  return { text: truncate(sentence, MAX_FALLBACK_TEXT), blocks: [section(`:rotating_light: ${sentence}`, 'audit_verify')] };
}
