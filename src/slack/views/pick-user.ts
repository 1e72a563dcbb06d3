/** Shown when a query matches several Salesforce users: one button per candidate. */
import type { KnownBlock } from '@slack/types';
import type { SfUser } from '../../domain/types';
import { ACTIONS } from './action-ids';
import { LIMITS, button, context, section } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { blockTextLength, formatCount, safe, truncate } from './text';
import { userStatusWords } from './sessions';

/** The intro section and the "not shown" context leave 48 blocks for candidates. */
const MAX_CANDIDATES = LIMITS.blocksPerMessage - 2;

function looksLikeEmail(query: string): boolean {
  return /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/.test(query.trim());
}

export function pickUserMessage(candidates: readonly SfUser[], query: string): SlackMessage {
  const q = safe(query, 200);
  const intro = looksLikeEmail(query) ? `Several Salesforce users have the e-mail ${q} — pick one` : `Several Salesforce users match ${q} — pick one`;
  const blocks: KnownBlock[] = [section(`*${intro}*`, 'pick_intro')];
  const moreNote = (hidden: number): string => `${formatCount(hidden)} more not shown: search by Salesforce username to narrow it down.`;
  // The worst-case note is reserved so adding it can never push the message over the budget.
  let room = LIMITS.messageBlockText - blockTextLength([...blocks, context([moreNote(candidates.length)])]);
  const shown: SfUser[] = [];
  const used = new Set<string>();
  for (const [i, user] of candidates.entries()) {
    if (shown.length >= MAX_CANDIDATES) break;
    const status = userStatusWords(user).join(', ');
    const profile = user.profileName ? ` · ${safe(user.profileName, 80)}` : '';
    // Ids should be unique; the index keeps block_ids unique even if a caller passes a duplicate.
    const blockId = used.has(user.id) ? `pick_${i}_${user.id}` : `pick_${user.id}`;
    const block = section(
      `*${safe(user.name, 120)}*\n${safe(user.username, 120)} · ${status}${profile}`,
      blockId.slice(0, 255),
      button({
        text: 'Show sessions',
        actionId: ACTIONS.pickUser,
        value: { u: user.id },
        accessibilityLabel: `Show sessions of ${user.name} (${user.username})`,
      }),
    );
    const size = blockTextLength([block]);
    if (size > room) break;
    room -= size;
    used.add(user.id);
    shown.push(user);
    blocks.push(block);
  }
  if (candidates.length > shown.length) blocks.push(context([moreNote(candidates.length - shown.length)], 'pick_more'));
  const names = shown.map((u) => `${u.name} (${u.username})`).join(', ');
  return { text: truncate(`${intro}: ${safe(names, MAX_FALLBACK_TEXT)}`, MAX_FALLBACK_TEXT), blocks };
}
