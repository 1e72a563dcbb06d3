import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ClickOrigin } from '../../../operations';
import type { SlackDeps } from '../../deps';
import { accessUncheckedMessage, clickRefusal, decisionAck, errorMessage } from '../../views';
import { allowed, answering, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** The request message the button was on, when it was on a channel message. */
function originOf(body: BlockButtonAction): ClickOrigin | undefined {
  // Bolt types `container` as any; Slack documents these three fields for a message container.
  const container = body.container as { type?: unknown; channel_id?: unknown; message_ts?: unknown };
  const channelId = body.channel?.id ?? container.channel_id;
  const ts = body.message?.ts ?? container.message_ts;
  return container.type === 'message' && typeof channelId === 'string' && typeof ts === 'string' ? { channelId, ts } : undefined;
}

/**
 * Approve and Deny: the request service checks the clicker against the two-person rule at this
 * moment and acts; a refused click changes nothing and gets an explanation only the clicker sees.
 * An accepted one is told what happened, truthfully, even while Slack cannot show it yet.
 */
function decisionButton(deps: SlackDeps, how: 'approve' | 'deny') {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, respond, action, body } = args;
    await ack();
    await answering(deps, respond, how, async () => {
      if (!action.value) {
        await reply(respond, errorMessage('That request does not exist.'));
        return;
      }
      // Checked before the request service, like every other listener: a decision from another install counts for nothing.
      const teamId = body.team?.id ?? body.user.team_id;
      const enterpriseId = body.enterprise?.id ?? null;
      if (deps.access.foreignPayload(teamId, enterpriseId)) {
        deps.logger.warn({ slackUser: body.user.id, team: teamId, enterprise: enterpriseId, decision: how }, 'refused a decision from another workspace');
        await reply(respond, clickRefusal('guest'));
        return;
      }
      const result = await deps.ops[how](action.value, body.user.id, originOf(body));
      if (!('refusal' in result)) {
        await reply(respond, decisionAck(how, result.request, result.approvalsMissing));
        return;
      }
      // Slack could not say who clicked: a passing outage asks for a retry, a lasting fault names what to fix.
      await reply(respond, result.unavailable ? accessUncheckedMessage(result.unavailable) : clickRefusal(result.refusal));
    });
  };
}

export const approveButton = (deps: SlackDeps) => decisionButton(deps, 'approve');
export const denyButton = (deps: SlackDeps) => decisionButton(deps, 'deny');

export function askAgainButton(deps: SlackDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, respond, action, body } = args;
    await ack();
    await answering(deps, respond, 'ask again', async () => {
      if (!(await allowed(deps, respond, { userId: body.user.id, teamId: body.team?.id ?? body.user.team_id }, 'admin', 'ask again'))) return;
      const again = action.value ? await deps.ops.askAgain(action.value, body.user.id) : null;
      if (!again) await reply(respond, errorMessage('Only an expired request can be asked again.'));
    });
  };
}
