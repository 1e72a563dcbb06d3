import { context, section } from './blocks';
import type { SlackMessage } from './message';
import { escapeMrkdwn, oneLine, truncate } from './text';

/**
 * Usage for the slash command; `commandName` is what Slack sent ("/sessions", or a renamed
 * command); `historyDays` is the configured Login History window.
 */
export function helpMessage(commandName: string, historyDays: number): SlackMessage {
  const cmd = truncate(oneLine(commandName) || '/sessions', 40);
  // Written raw and escaped once: a bare <user> would be parsed by Slack as a link or mention.
  const usage = [
    `\`${cmd}\` or \`${cmd} org\`: every live session of the org, as Setup → Session Management shows it, grouped for an investigation, with Export CSV.`,
    `\`${cmd} <email|username|@mention>\`: live Salesforce sessions of a user, riskiest first, with buttons to request removal or containment.`,
    `\`${cmd} history <user> [days]\`: the user's logins over the last ${historyDays} days (or [days]), failures marked.`,
    `\`${cmd} audit <user|request id>\`: who requested, approved and ran which actions.`,
    `\`${cmd} suppressions\`: alerts marked expected that still apply, with how many each kept out of the channel.`,
    `\`${cmd} outbox\` / \`${cmd} outbox replay <row>\`: messages Slack refused for good, and sending one again.`,
    `\`${cmd} help\`: this message.`,
  ];
  return {
    text: escapeMrkdwn(
      `How to use ${cmd}: ${cmd} (the whole org), ${cmd} <email|username|@mention>, ${cmd} history <user> [days], ${cmd} audit <user|request id>, ${cmd} help.`,
    ),
    blocks: [
      section(`*Session Warden* shows and ends Salesforce sessions.\n${usage.map((u) => `• ${escapeMrkdwn(u)}`).join('\n')}`, 'help'),
      context(['Every action needs a second admin to approve it. Only Session Warden admins and approvers can use this command.'], 'help_note'),
    ],
  };
}
