import type { SlackDeps } from '../../deps';
import { errorMessage } from '../../views';
import { deadLetterList } from '../../views/dead-letter';
import { section } from '../../views/blocks';
import { reply } from '../shared';
import type { CommandHandler } from './sessions';

const LISTED = 20;
const USAGE = 'usage: /sessions outbox (the dead-lettered Slack messages) or /sessions outbox replay <row>';

/**
 * `/sessions outbox [replay <row>]`: read from the command's own text, since "outbox" would
 * otherwise be taken for a user to look up. Who may use it was checked by /sessions already.
 */
export function outboxCommand(deps: SlackDeps): CommandHandler {
  return async (_parsed, { command, respond }) => {
    const words = command.text.trim().split(/\s+/);
    if (words[0]?.toLowerCase() !== 'outbox') return false;
    if (words.length === 1) {
      await reply(respond, deadLetterList(await deps.outbox.deadLetters(LISTED)));
      return true;
    }
    if (words.length !== 3 || words[1]?.toLowerCase() !== 'replay' || !/^[1-9]\d{0,14}$/.test(words[2] ?? '')) {
      await reply(respond, errorMessage(`${USAGE}.`));
      return true;
    }
    const outcome = await deps.outbox.replay(Number(words[2]), command.user_id);
    if ('problem' in outcome) {
      await reply(respond, errorMessage(`Outbox row ${words[2]} is not dead-lettered (unknown, already replayed, or delivered); nothing changed.`));
      return true;
    }
    const done = `:arrows_counterclockwise: Outbox row ${outcome.replayed.row} is queued again and goes out within seconds; the replay is in the audit trail.`;
    await reply(respond, { text: done, blocks: [section(done, 'outbox_replayed')] });
    return true;
  };
}
