import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { InvestigationAnswer } from '../../../operations/investigate';
import type { SlackDeps } from '../../deps';
import { decodeRequestIdValue, decodeValue, isSessionValue, isUserValue, type SessionButtonValue, type UserButtonValue } from '../../views/action-ids';
import { errorMessage, notFoundMessage } from '../../views';
import { investigationMessage } from '../../views/investigation';
import type { SlackMessage } from '../../views/message';
import { allowed, answering, matchMessage, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

function answerMessage(answer: InvestigationAnswer, value: SessionButtonValue | UserButtonValue): SlackMessage {
  if (answer.kind === 'no_sessions') {
    return errorMessage(`${answer.user.name || answer.user.username} has no live Salesforce sessions: there is no session window to look into.`);
  }
  if (answer.kind === 'no_such_session') return errorMessage('That session has ended since; run /sessions again to see the live ones.');
  return matchMessage(answer, ({ investigation }) => investigationMessage({ ...investigation, value }));
}

/**
 * "What did it do?" on a session row, an alert or a request: a private answer to the clicker.
 * Read-only, so anyone who may use /sessions may ask; the click is authorised again.
 */
function investigateButton(deps: SlackDeps, withApiCalls: boolean) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, respond } = args;
    await ack();
    await answering(deps, respond, 'investigate session', async () => {
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', 'investigate a session'))) return;
      const value = decodeValue(args.action.value);
      if (!isSessionValue(value) && !isUserValue(value)) {
        await reply(respond, errorMessage('That button is out of date; run /sessions again.'));
        return;
      }
      const target = isSessionValue(value) ? { userId: value.u, sessionId: value.s } : { userId: value.u };
      await reply(respond, answerMessage(await deps.investigate.sessions(target, { withApiCalls }), value));
    });
  };
}

export const investigateSessionButton = (deps: SlackDeps) => investigateButton(deps, false);
export const investigateApiCallsButton = (deps: SlackDeps) => investigateButton(deps, true);

/** On a request: the sessions it concerned, as recorded when it was made (they may have ended since). */
export function investigateRequestButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, body, respond } = args;
    await ack();
    await answering(deps, respond, 'investigate request', async () => {
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', 'investigate a request'))) return;
      const requestId = decodeRequestIdValue(args.action.value);
      const answer = requestId ? await deps.investigate.request(requestId) : null;
      if (!answer) {
        await reply(respond, notFoundMessage(requestId ?? 'that request'));
        return;
      }
      await reply(respond, investigationMessage({ ...answer, value: { u: answer.user.id } }));
    });
  };
}
