import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseSessionsCommand, type SessionsCommand } from '../../command';
import type { SlackDeps } from '../../deps';
import { errorMessage, helpMessage, refusalMessage } from '../../views';
import { answering, reply, selectorFor, sessionsAnswer } from '../shared';
import { historyAnswer } from '../history';

export type CommandHandler = (cmd: SessionsCommand, args: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => Promise<boolean>;

/**
 * `/sessions …`: ack at once (Slack allows 3 s), then check who is asking and answer through
 * respond(), ephemeral to the requester. `extra` lets later features (audit) add sub-commands.
 */
export function sessionsCommand(deps: SlackDeps, extra: CommandHandler[] = []) {
  return async (args: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    const { command, ack, respond, client } = args;
    await ack();
    await answering(deps, respond, 'slash command', async () => {
      const decision = await deps.access.decide(command.user_id, command.team_id, 'admin', `${command.command} ${command.text}`.trim());
      if (!decision.allowed) {
        await reply(respond, refusalMessage());
        return;
      }
      const parsed = parseSessionsCommand(command.text);
      for (const handler of extra) {
        if (await handler(parsed, args)) return;
      }
      switch (parsed.kind) {
        case 'help':
          await reply(respond, helpMessage(command.command));
          return;
        case 'invalid':
          await reply(respond, errorMessage(`${parsed.problem}.`.replace(/\.\.$/, '.')));
          return;
        case 'show':
        case 'history': {
          const selector = await selectorFor(client, parsed.user);
          if ('problem' in selector) {
            await reply(respond, errorMessage(selector.problem));
            return;
          }
          const message =
            parsed.kind === 'show'
              ? await sessionsAnswer(deps, selector, 1)
              : await historyAnswer(deps, selector, parsed.days ?? deps.loginHistoryDays);
          await reply(respond, message);
          return;
        }
        default:
          await reply(respond, helpMessage(command.command));
      }
    });
  };
}
