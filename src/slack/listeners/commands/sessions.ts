import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { parseSessionsCommand, type SessionsCommand } from '../../command';
import type { SlackDeps } from '../../deps';
import { errorMessage, helpMessage } from '../../views';
import { orgAnswer } from '../actions/org';
import { allowed, answering, historyAnswer, reply, selectorFor, sessionsAnswer } from '../shared';

export type CommandHandler = (cmd: SessionsCommand, args: AllMiddlewareArgs & SlackCommandMiddlewareArgs) => Promise<boolean>;

/**
 * `/sessions …`: ack at once (Slack allows 3 s), then check who is asking and answer through
 * respond(), ephemeral to the requester. `extra` lets other features (audit) add sub-commands.
 */
export function sessionsCommand(deps: SlackDeps, extra: CommandHandler[] = []) {
  return async (args: AllMiddlewareArgs & SlackCommandMiddlewareArgs): Promise<void> => {
    const { command, ack, respond, client } = args;
    await ack();
    await answering(deps, respond, 'slash command', async () => {
      const who = { userId: command.user_id, teamId: command.team_id };
      if (!(await allowed(deps, respond, who, 'admin', `${command.command} ${command.text}`.trim()))) return;
      const parsed = parseSessionsCommand(command.text);
      for (const handler of extra) {
        if (await handler(parsed, args)) return;
      }
      switch (parsed.kind) {
        case 'invalid':
          await reply(respond, errorMessage(`${parsed.problem}.`.replace(/\.\.$/, '.')));
          return;
        case 'org':
          await reply(respond, await orgAnswer(deps, 1));
          return;
        case 'show':
        case 'history': {
          const selector = await selectorFor(client, parsed.user);
          if ('problem' in selector) {
            await reply(respond, errorMessage(selector.problem));
            return;
          }
          const message =
            parsed.kind === 'show' ? await sessionsAnswer(deps, selector, 1) : await historyAnswer(deps, selector, parsed.days ?? deps.loginHistoryDays);
          await reply(respond, message);
          return;
        }
        default:
          await reply(respond, helpMessage(command.command, deps.loginHistoryDays));
      }
    });
  };
}
