import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { ACTIONS, ALERT_ACTIONS, REQUEST_ACTION_IDS, REQUEST_CALLBACK_ID } from '../views';
import { askAgainButton, approveButton, denyButton } from './actions/approval';
import { historyButton, pageButton, pickUserButton } from './actions/browse';
import { requestButton } from './actions/request';
import { auditCommand } from './commands/audit';
import { sessionsCommand } from './commands/sessions';
import { requestSubmission } from './views/request-submission';

/** One place that maps every command, button and modal to its listener. */
export function registerListeners(app: App, deps: SlackDeps): void {
  app.command('/sessions', sessionsCommand(deps, [auditCommand(deps)]));
  app.action(ACTIONS.history, historyButton(deps));
  app.action(ACTIONS.page, pageButton(deps));
  app.action(ACTIONS.pickUser, pickUserButton(deps));
  for (const id of [...REQUEST_ACTION_IDS, ALERT_ACTIONS.removeSessions]) app.action(id, requestButton(deps));
  app.view(REQUEST_CALLBACK_ID, requestSubmission(deps));
  app.action(ACTIONS.approve, approveButton(deps));
  app.action(ACTIONS.deny, denyButton(deps));
  app.action(ACTIONS.askAgain, askAgainButton(deps));
}
