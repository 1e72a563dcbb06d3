import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import {
  ACTIONS,
  ALERT_ACTIONS,
  ASK_ACTIONS,
  DIGEST_ACTIONS,
  INVESTIGATE_ACTIONS,
  ORG_ACTIONS,
  REQUEST_ACTION_IDS,
  REQUEST_CALLBACK_ID,
  SUPPRESSION_ACTIONS,
} from '../views';
import { SUPPRESS_CALLBACK_ID } from '../views/suppress-modal';
import { askAgainButton, approveButton, denyButton } from './actions/approval';
import { askNoButton, askUserButton, askYesButton } from './actions/ask-user';
import { historyButton, pageButton, pickUserButton } from './actions/browse';
import { markExpectedButton } from './actions/mark-expected';
import { removeSuppressionButton } from './actions/remove-suppression';
import { digestPageButton } from './actions/digest';
import { orgExportButton, orgPageButton, orgShowSessionsButton } from './actions/org';
import { investigateApiCallsButton, investigateRequestButton, investigateSessionButton } from './actions/investigate';
import { requestButton } from './actions/request';
import { auditCommand } from './commands/audit';
import { outboxCommand } from './commands/outbox';
import { sessionsCommand } from './commands/sessions';
import { suppressionsCommand } from './commands/suppressions';
import { appHomeOpened } from './events/app-home';
import { requestSubmission } from './views/request-submission';
import { suppressSubmission } from './views/suppress-submission';

/** One place that maps every command, button and modal to its listener. */
export function registerListeners(app: App, deps: SlackDeps): void {
  app.command('/sessions', sessionsCommand(deps, [auditCommand(deps), suppressionsCommand(deps), outboxCommand(deps)]));
  app.action(ACTIONS.history, historyButton(deps));
  app.action(ACTIONS.page, pageButton(deps));
  app.action(ACTIONS.pickUser, pickUserButton(deps));
  for (const id of [...REQUEST_ACTION_IDS, ALERT_ACTIONS.removeSessions]) app.action(id, requestButton(deps));
  app.view(REQUEST_CALLBACK_ID, requestSubmission(deps));
  app.action(ACTIONS.approve, approveButton(deps));
  app.action(ACTIONS.deny, denyButton(deps));
  app.action(ACTIONS.askAgain, askAgainButton(deps));
  app.action(DIGEST_ACTIONS.showRest, digestPageButton(deps));
  app.event('app_home_opened', appHomeOpened(deps));
  app.action(SUPPRESSION_ACTIONS.markExpected, markExpectedButton(deps));
  app.view(SUPPRESS_CALLBACK_ID, suppressSubmission(deps));
  app.action(SUPPRESSION_ACTIONS.remove, removeSuppressionButton(deps));
  app.action(ASK_ACTIONS.ask, askUserButton(deps));
  app.action(ASK_ACTIONS.yes, askYesButton(deps));
  app.action(ASK_ACTIONS.no, askNoButton(deps));
  app.action(INVESTIGATE_ACTIONS.session, investigateSessionButton(deps));
  app.action(INVESTIGATE_ACTIONS.apiCalls, investigateApiCallsButton(deps));
  app.action(INVESTIGATE_ACTIONS.request, investigateRequestButton(deps));
  for (const id of [ORG_ACTIONS.page, ORG_ACTIONS.previousPage]) app.action(id, orgPageButton(deps));
  app.action(ORG_ACTIONS.showSessions, orgShowSessionsButton(deps));
  app.action(ORG_ACTIONS.exportCsv, orgExportButton(deps));
}
