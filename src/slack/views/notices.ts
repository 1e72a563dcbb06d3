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

export const REFUSAL_TEXT = 'Only Session Warden admins and approvers can use /sessions. Ask #security if you need access.';

export function refusalMessage(): SlackMessage {
  return { text: REFUSAL_TEXT, blocks: [section(`:no_entry: ${REFUSAL_TEXT}`, 'refusal')] };
}

/**
 * When Slack could not tell who clicked: never a refusal, since nothing is known about the person.
 * A passing failure asks them to retry (nothing happened); a lasting one (bad token, missing
 * scope) names what the operator must fix. Takes the failure's fields, not an Error.
 */
export function accessUncheckedMessage(failure: { transient: boolean; sentence: string; retryAfterSec?: number }): SlackMessage {
  if (failure.transient) {
    const wait =
      failure.retryAfterSec !== undefined && failure.retryAfterSec > 60 ? `in about ${Math.ceil(failure.retryAfterSec / 60)} minutes` : 'in a minute';
    const sentence = `I could not check your access right now (Slack did not answer); try again ${wait}. Nothing was done.`;
    return { text: sentence, blocks: [section(`:hourglass: ${sentence}`, 'access_unchecked')] };
  }
  const sentence = `I could not check your access, so nothing was done. ${safe(failure.sentence, 500)}`;
  return { text: truncate(sentence, MAX_FALLBACK_TEXT), blocks: [section(`:warning: ${sentence}`, 'access_unchecked')] };
}
