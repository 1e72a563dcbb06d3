/** Short ephemeral replies: errors, nothing found, not allowed. */
import type { KnownBlock } from '@slack/types';
import { context, section } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { safe, truncate } from './text';

/**
 * A one-sentence failure with an optional reference the admin can quote to whoever reads the
 * logs. Takes a sentence, never an Error, so stack traces cannot leak into Slack.
 */
export function errorMessage(sentence: string, requestId?: string): SlackMessage {
  const body = safe(sentence, 1_000) || 'Something went wrong.';
  const blocks: KnownBlock[] = [section(`:warning: ${body}`, 'error')];
  const ref = requestId?.trim() ? safe(requestId, 100) : null;
  if (ref) blocks.push(context([`Reference: ${ref}`], 'reference'));
  return { text: truncate(ref ? `${body} (reference ${ref})` : body, MAX_FALLBACK_TEXT), blocks };
}

export function notFoundMessage(query: string): SlackMessage {
  const q = safe(query, 200) || '(empty)';
  const sentence = `No Salesforce user matches *${q}*. Try their e-mail address, Salesforce username or @mention.`;
  return { text: `No Salesforce user matches ${q}.`, blocks: [section(`:mag: ${sentence}`, 'not_found')] };
}

export const REFUSAL_TEXT =
  'Only Session Warden admins and approvers can use /sessions. Ask #security if you need access.';

export function refusalMessage(): SlackMessage {
  return { text: REFUSAL_TEXT, blocks: [section(`:no_entry: ${REFUSAL_TEXT}`, 'refusal')] };
}
