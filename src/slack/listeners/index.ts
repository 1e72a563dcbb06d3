import type { App } from '@slack/bolt';
import type { RequestDeps, SlackDeps } from '../deps';
import { ACTIONS } from '../views/action-ids';
import { historyButton, pageButton, pickUserButton } from './actions/browse';
import { registerApprovalListeners } from './approvals';
import { auditCommand } from './commands/audit';
import { sessionsCommand } from './commands/sessions';

/** One place that maps every command, button and modal to its listener. */
export function registerListeners(app: App, deps: SlackDeps, requests: RequestDeps): void {
  app.command('/sessions', sessionsCommand(deps, [auditCommand(deps, requests)]));
  app.action(ACTIONS.history, historyButton(deps));
  app.action(ACTIONS.page, pageButton(deps));
  app.action(ACTIONS.pickUser, pickUserButton(deps));
  registerApprovalListeners(app, deps, requests);
}
