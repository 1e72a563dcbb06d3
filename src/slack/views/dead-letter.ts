import { section } from './blocks';
import type { SlackMessage } from './message';
import { safe, truncate } from './text';

/** The notice's name in the outbox (`notice:dead-letter`): one waiting notice at a time. */
export const DEAD_LETTER_NOTICE = 'dead-letter';

const WHAT: Record<string, string> = {
  post: 'a request message',
  update: 'an update of a request message',
  reply: "a reply in a request's thread",
  respond: 'a private answer to a requester',
  alert_post: 'an alert',
  alert_update: 'an update of an alert',
  alert_image: "an alert's map",
  notice: 'a notice',
  alert_digest: 'an alert digest',
  ask_post: 'a "was this you?" message',
  ask_update: 'an update of a "was this you?" message',
};

/** Tells the security channel that Slack refused a message for good, and how an operator replays it. */
export function deadLetterNotice(row: { id: number; kind: string; reason: string; requestId?: string }): SlackMessage {
  const what = WHAT[row.kind] ?? `a ${safe(row.kind, 40)} message`;
  const about = row.requestId ? ` about request \`${safe(row.requestId, 40)}\`` : '';
  const sentence =
    `:warning: Slack refused ${what}${about} for good (${safe(row.reason, 300)}); it is kept as outbox row ${row.id}. ` +
    'On the server, `npm run outbox -- list` shows the dead-lettered messages and `npm run outbox -- replay <row>` sends one again once the cause is fixed. There may be more than this one.';
  return { text: truncate(sentence, 3_000), blocks: [section(sentence, 'dead_letter')] };
}

/** `/sessions outbox`: the dead-lettered messages, newest first, with how to replay one. */
export function deadLetterList(
  letters: readonly { row: number; kind: string; requestId: string | null; alertKey: string | null; lastError: string | null; deadSince: Date | null }[],
): SlackMessage {
  if (letters.length === 0) {
    const none = ':white_check_mark: No dead-lettered Slack messages: everything the bot owed Slack was delivered or is still being retried.';
    return { text: none, blocks: [section(none, 'dead_letters')] };
  }
  const lines = letters.map((l) => {
    const about = l.requestId ? ` · request \`${safe(l.requestId, 40)}\`` : l.alertKey ? ` · alert \`${safe(l.alertKey, 80)}\`` : '';
    const since = l.deadSince ? ` · since ${l.deadSince.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
    return `• *#${l.row}* ${WHAT[l.kind] ?? safe(l.kind, 40)}${about}${since}: ${safe(l.lastError ?? '(no error recorded)', 200)}`;
  });
  const head = `*Dead-lettered Slack messages* (newest first, ${letters.length} shown). \`/sessions outbox replay <row>\` sends one again once the cause is fixed.`;
  const text = truncate([head, ...lines].join('\n'), 2_900);
  return { text: `Dead-lettered Slack messages: ${letters.length}.`, blocks: [section(text, 'dead_letters')] };
}
