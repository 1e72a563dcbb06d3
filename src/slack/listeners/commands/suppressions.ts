import type { SlackDeps } from '../../deps';
import { suppressionsListMessage } from '../../views/suppressions';
import { reply } from '../shared';
import type { CommandHandler } from './sessions';

/** `/sessions suppressions`: the suppressions in force, with their counts and Remove buttons. */
export function suppressionsCommand(deps: SlackDeps): CommandHandler {
  return async (parsed, { respond }) => {
    if (parsed.kind !== 'suppressions') return false;
    const { suppressions, users } = await deps.suppressions.list();
    await reply(respond, suppressionsListMessage({ suppressions, users, now: deps.now() }));
    return true;
  };
}
