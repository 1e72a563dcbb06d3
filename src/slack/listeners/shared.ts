import { randomBytes } from 'node:crypto';
import type { RespondFn } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import type { UserSelector } from '../../domain/types';
import { assessSessions } from '../../rules/assess';
import type { UserRef } from '../command';
import type { SlackDeps } from '../deps';
import { errorSummary } from '../access';
import { errorMessage, notFoundMessage, pickUserMessage } from '../views';
import type { SlackMessage } from '../views/message';
import { sessionsMessage } from '../views/sessions';

/** A short id that ties a Slack reply to the log lines with the detail. */
export function newReference(): string {
  return `ref-${randomBytes(4).toString('hex')}`;
}

export async function reply(respond: RespondFn, message: SlackMessage, replaceOriginal = false): Promise<void> {
  await respond({ response_type: 'ephemeral', replace_original: replaceOriginal, text: message.text, blocks: message.blocks });
}

/**
 * Runs a listener's work after ack(). Anything thrown is logged with a reference and answered
 * with a sentence — never a stack trace — so the person in Slack knows what happened.
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

export function describeSelector(selector: UserSelector): string {
  return 'byId' in selector ? selector.byId : selector.byEmailOrUsername;
}

/** The /sessions answer for a selector: the user's sessions, a picker, or "not found". */
export async function sessionsAnswer(deps: SlackDeps, selector: UserSelector, page: number): Promise<SlackMessage> {
  const now = deps.now();
  const activity = await deps.activity.read(selector, {
    now,
    loginWindowHours: deps.policy.failedLoginWindowMinutes >= 24 * 60 ? deps.policy.failedLoginWindowMinutes / 60 : 24,
    loginLimit: 200,
  });
  if (activity.users.length === 0) return notFoundMessage(describeSelector(selector));
  if (activity.users.length > 1) return pickUserMessage(activity.users, describeSelector(selector));
  const [user] = activity.users;
  if (!user) return notFoundMessage(describeSelector(selector));
  const botUserId = deps.salesforceUserId() ?? '';
  const assessment = assessSessions({
    sessions: activity.sessions.filter((s) => s.userId === user.id),
    logins: activity.recentLogins.filter((l) => l.userId === user.id),
    grants: activity.grants ?? [],
    policy: deps.policy,
    now,
    botUserId,
  });
  return sessionsMessage({ user, assessment, page, now, policy: deps.policy, botUserId, canAct: user.id !== botUserId });
}
