import type { App } from '@slack/bolt';
import type { RequestDeps, SlackDeps } from '../deps';
import { ACTIONS } from '../views/action-ids';
import { askAgainButton, approveButton, denyButton } from './actions/approval';
import { requestButton } from './actions/request';
import { requestSubmission } from './views/request-submission';

const REQUEST_BUTTONS = [
  ACTIONS.removeSession,
  ACTIONS.removeAll,
  ACTIONS.freeze,
  ACTIONS.unfreeze,
  ACTIONS.resetPassword,
  ACTIONS.revokeTokens,
  ACTIONS.deactivate,
  ACTIONS.contain,
];

/** Request buttons, the request modal, and Approve / Deny / Ask again. */
export function registerApprovalListeners(app: App, deps: SlackDeps, requests: RequestDeps): void {
  for (const id of REQUEST_BUTTONS) app.action(id, requestButton(deps));
  app.view('action_request', requestSubmission(deps, requests));
  app.action(ACTIONS.approve, approveButton(deps, requests));
  app.action(ACTIONS.deny, denyButton(deps, requests));
  app.action(ACTIONS.askAgain, askAgainButton(deps, requests));
}
