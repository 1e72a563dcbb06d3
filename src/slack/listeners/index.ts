import type { App } from '@slack/bolt';
import type { SlackDeps } from '../deps';
import { ACTIONS } from '../views/action-ids';
import { historyButton, pageButton, pickUserButton } from './actions/browse';
import { sessionsCommand, type CommandHandler } from './commands/sessions';

export interface ListenerExtensions {
  commandHandlers?: CommandHandler[];
  register?: (app: App) => void;
}

export function registerListeners(app: App, deps: SlackDeps, ext: ListenerExtensions = {}): void {
  app.command('/sessions', sessionsCommand(deps, ext.commandHandlers ?? []));
  app.action(ACTIONS.history, historyButton(deps));
  app.action(ACTIONS.page, pageButton(deps));
  app.action(ACTIONS.pickUser, pickUserButton(deps));
  ext.register?.(app);
}
