import { randomBytes } from 'node:crypto';
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { UserSelector } from '../../domain/types';
import type { UserLoginHistory, UserMatch, UserSessions } from '../../operations';
import type { SlackPerson, Role } from '../access';
import { errorSummary } from '../access';
import type { UserRef } from '../command';
import type { SlackDeps } from '../deps';
import { accessUncheckedMessage, errorMessage, loginHistoryMessage, notFoundMessage, pickUserMessage, refusalMessage, sessionsMessage } from '../views';
import type { SlackMessage } from '../views/message';

/** A short id that ties a Slack reply to the log lines with the detail. */
export function newReference(): string {
  return `ref-${randomBytes(4).toString('hex')}`;
}

export async function reply(respond: RespondFn, message: SlackMessage, replaceOriginal = false): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: replaceOriginal, text: message.text, blocks: message.blocks });
}

/**
 * Runs a listener's work after ack(). Anything thrown is logged with a reference and answered
 * with a sentence that names its cause — never a stack trace — so the person knows what happened.
 */
export async function answering(deps: SlackDeps, respond: RespondFn, what: string, work: (ref: string) => Promise<void>): Promise<void> {
  const ref = newReference();
  try {
    await work(ref);
  } catch (err) {
    deps.logger.error({ ref, what, err }, 'request failed');
    try {
      await reply(respond, errorMessage(deps.describeError(err), ref));
    } catch (replyErr) {
      deps.logger.error({ ref, err: errorSummary(replyErr) }, 'could not tell the user about the failure');
    }
  }
}

/**
 * Who is asking, checked now. Answers the person itself when they may not go ahead (a refusal,
 * or "try again" when Slack could not tell) and returns null; otherwise the person.
 */
export async function allowed(
  deps: SlackDeps,
  respond: RespondFn,
  who: { userId: string; teamId: string | undefined },
  role: Role,
  what: string,
): Promise<SlackPerson | null> {
  const decision = await deps.access.decide(who.userId, who.teamId, role, what);
  if (decision.allowed) return decision.person;
  await reply(respond, decision.failure ? accessUncheckedMessage(decision.failure) : refusalMessage());
  return null;
}

/** A mention becomes the Slack profile e-mail; anything else is matched as typed. */
export async function selectorFor(client: WebClient, ref: UserRef): Promise<UserSelector | { problem: string }> {
  if (ref.kind === 'identifier') return { byEmailOrUsername: ref.value };
  try {
    const res = (await client.users.info({ user: ref.slackUserId })) as { user?: { profile?: { email?: string }; is_bot?: boolean } };
    const email = res.user?.profile?.email;
    if (res.user?.is_bot) return { problem: `<@${ref.slackUserId}> is a bot, not a person with a Salesforce login.` };
    if (!email) return { problem: `I can't see an e-mail for <@${ref.slackUserId}> in Slack; try their e-mail or Salesforce username.` };
    return { byEmailOrUsername: email };
  } catch (err) {
    const code = errorSummary(err).error;
    if (code === 'user_not_found') return { problem: 'That Slack user does not exist in this workspace.' };
    throw err;
  }
}

/** A user match as a message: the picker, "not found", or what `render` makes of the one user. */
export function matchMessage<T>(match: UserMatch<T>, render: (found: Extract<UserMatch<T>, { kind: 'found' }>) => SlackMessage): SlackMessage {
  if (match.kind === 'pick') return pickUserMessage(match.users, match.query);
  if (match.kind === 'not_found') return notFoundMessage(match.query);
  return render(match);
}

export async function sessionsAnswer(deps: SlackDeps, selector: UserSelector, page: number): Promise<SlackMessage> {
  const now = deps.now();
  return matchMessage<UserSessions>(await deps.ops.lookupSessions(selector), (found) =>
    sessionsMessage({ ...found, page, now, policy: deps.ops.policy, historyDays: deps.loginHistoryDays }),
  );
}

export async function historyAnswer(deps: SlackDeps, selector: UserSelector, days: number): Promise<SlackMessage> {
  const now = deps.now();
  return matchMessage<UserLoginHistory>(await deps.ops.loginHistory(selector, days), (found) =>
    loginHistoryMessage({ ...found, limit: deps.loginHistoryLimit, now }),
  );
}
