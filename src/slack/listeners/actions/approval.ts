import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { approvalRefusal, denialRefusal, type Clicker } from '../../../requests/approval-rules';
import type { RequestDeps, SlackDeps } from '../../deps';
import { clickRefusal, errorMessage, refusalMessage } from '../../views';
import { answering, reply } from '../shared';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

async function clickerOf(deps: SlackDeps, args: ButtonArgs): Promise<Clicker> {
  const { body } = args;
  const decision = await deps.access.decide(body.user.id, body.team?.id ?? body.user.team_id, 'approver', `${args.action.action_id} ${args.action.value ?? ''}`);
  if (decision.allowed) return { id: body.user.id, email: decision.person.email, isApprover: true, isGuest: false };
  const isGuest = /guest|bot|deactivated|external|another workspace/.test(decision.reason);
  return { id: body.user.id, email: decision.person?.email ?? null, isApprover: false, isGuest };
}

/**
 * Approve / Deny / Ask again on a request message. Everything is checked at click time; a
 * refused click changes nothing and gets an explanation only the clicker sees.
 */
export function approveButton(deps: SlackDeps, requests: RequestDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, respond, action } = args;
    await ack();
    await answering(deps, respond, 'approve', async () => {
      const request = action.value ? await requests.get(action.value) : null;
      if (!request) {
        await reply(respond, errorMessage('That request does not exist.'));
        return;
      }
      const clicker = await clickerOf(deps, args);
      const refusal = approvalRefusal(request, clicker, deps.now());
      if (refusal === 'expired') await requests.service.expireDue();
      if (refusal) {
        await reply(respond, clickRefusal(refusal));
        return;
      }
      const { outcome } = await requests.service.approve(request.id, clicker.id);
      if (outcome === 'duplicate') await reply(respond, clickRefusal('already_approved_by_you'));
      if (outcome === 'not_pending') await reply(respond, clickRefusal('already_decided'));
    });
  };
}

export function denyButton(deps: SlackDeps, requests: RequestDeps) {
  return async (args: ButtonArgs): Promise<void> => {
    const { ack, respond, action } = args;
    await ack();
    await answering(deps, respond, 'deny', async () => {
      const request = action.value ? await requests.get(action.value) : null;
      if (!request) {
        await reply(respond, errorMessage('That request does not exist.'));
        return;
      }
      const clicker = await clickerOf(deps, args);
      const refusal = denialRefusal(request, clicker, deps.now());
      if (refusal === 'expired') await requests.service.expireDue();
      if (refusal) {
        await reply(respond, clickRefusal(refusal));
        return;
      }
      if (!(await requests.service.deny(request.id, clicker.id))) await reply(respond, clickRefusal('already_decided'));
    });
  };
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
