import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { approvalRefusal, denialRefusal, type Clicker, type ClickRefusal } from '../../../requests/approval-rules';
import type { ActionRequest } from '../../../requests/types';
import type { RequestDeps, SlackDeps } from '../../deps';
import { clickRefusal, errorMessage, refusalMessage } from '../../views';
import { answering, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

async function clickerOf(deps: SlackDeps, args: ButtonArgs): Promise<Clicker> {
  const { body } = args;
  const decision = await deps.access.decide(body.user.id, body.team?.id ?? body.user.team_id, 'approver', `${args.action.action_id} ${args.action.value ?? ''}`);
  if (decision.allowed) return { id: body.user.id, email: decision.person.email, isApprover: true, isGuest: false };
  return { id: body.user.id, email: decision.person?.email ?? null, isApprover: false, isGuest: decision.ineligible };
}

/**
 * Approve and Deny share one shape: find the request, check the clicker against the rules at
 * click time, then act. A refused click changes nothing and gets an explanation only the
 * clicker sees.
 */
function decisionButton(
  deps: SlackDeps,
  requests: RequestDeps,
  what: string,
  refusalOf: (request: ActionRequest, clicker: Clicker, now: Date) => ClickRefusal | null,
  act: (request: ActionRequest, clicker: Clicker) => Promise<ClickRefusal | null>,
) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, respond, action } = args;
    await ack();
    await answering(deps, respond, what, async () => {
      const request = action.value ? await requests.get(action.value) : null;
      if (!request) {
        await reply(respond, errorMessage('That request does not exist.'));
        return;
      }
      const clicker = await clickerOf(deps, args);
      const refusal = refusalOf(request, clicker, deps.now()) ?? (await act(request, clicker));
      // A click after the deadline is the moment to mark the request expired in Slack too.
      if (refusal === 'expired') await requests.service.expireDue();
      if (refusal) await reply(respond, clickRefusal(refusal));
    });
  };
}

export function approveButton(deps: SlackDeps, requests: RequestDeps) {
  return decisionButton(deps, requests, 'approve', approvalRefusal, async (request, clicker) => {
    const { outcome } = await requests.service.approve(request.id, clicker.id);
    return outcome === 'duplicate' ? 'already_approved_by_you' : outcome === 'not_pending' ? 'already_decided' : null;
  });
}

export function denyButton(deps: SlackDeps, requests: RequestDeps) {
  return decisionButton(deps, requests, 'deny', denialRefusal, async (request, clicker) =>
    (await requests.service.deny(request.id, clicker.id)) ? null : 'already_decided',
  );
}

export function askAgainButton(deps: SlackDeps, requests: RequestDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, respond, action, body } = args;
    await ack();
    await answering(deps, respond, 'ask again', async () => {
      const decision = await deps.access.decide(body.user.id, body.team?.id ?? body.user.team_id, 'admin', 'ask again');
      if (!decision.allowed) {
        await reply(respond, refusalMessage());
        return;
      }
      const again = action.value ? await requests.service.askAgain(action.value, body.user.id, requests.ttlMinutes) : null;
      if (!again) await reply(respond, errorMessage('Only an expired request can be asked again.'));
    });
  };
}
