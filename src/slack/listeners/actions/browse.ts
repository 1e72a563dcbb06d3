import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { SlackDeps } from '../../deps';
import { decodeValue, isHistoryValue, isPageValue, isUserValue } from '../../views/action-ids';
import { errorMessage } from '../../views';
import { allowed, answering, historyAnswer, reply, sessionsAnswer } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * Replace the message clicked on only when it was the clicker's own ephemeral answer; a button on
 * a channel message (an alert) must never overwrite it for everyone, so the answer goes below.
 */
function replacesOwnAnswer(args: ButtonArgs): boolean {
  // Bolt types `container` as any; Slack documents is_ephemeral on message containers.
  return (args.body.container as { is_ephemeral?: unknown }).is_ephemeral === true;
}

/**
 * The read-only buttons of a /sessions answer: Login history, Show more, and picking one user
 * out of several. Each click is authorised again (a message can be seen by others than its
 * first reader) and answered in place or below.
 */
function browseButton(deps: SlackDeps, what: string, run: (value: ReturnType<typeof decodeValue>, args: ButtonArgs) => Promise<boolean>) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, respond } = args;
    await ack();
    await answering(deps, respond, what, async () => {
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', what))) return;
      const ok = await run(decodeValue(args.action.value), args);
      if (!ok) await reply(respond, errorMessage('That button is out of date; run /sessions again.'));
    });
  };
}

export function historyButton(deps: SlackDeps) {
  return browseButton(deps, 'login history', async (value, { respond }) => {
    if (!isHistoryValue(value) && !isUserValue(value)) return false;
    const days = isHistoryValue(value) ? value.d : deps.loginHistoryDays;
    await reply(respond, await historyAnswer(deps, { byId: value.u }, days));
    return true;
  });
}

export function pageButton(deps: SlackDeps) {
  return browseButton(deps, 'sessions page', async (value, args) => {
    const { respond } = args;
    if (!isPageValue(value)) return false;
    await reply(respond, await sessionsAnswer(deps, { byId: value.u }, value.p), replacesOwnAnswer(args));
    return true;
  });
}

export function pickUserButton(deps: SlackDeps) {
  return browseButton(deps, 'pick user', async (value, args) => {
    const { respond } = args;
    if (isHistoryValue(value)) {
      await reply(respond, await historyAnswer(deps, { byId: value.u }, value.d), replacesOwnAnswer(args));
      return true;
    }
    if (!isUserValue(value)) return false;
    await reply(respond, await sessionsAnswer(deps, { byId: value.u }, 1), replacesOwnAnswer(args));
    return true;
  });
}
