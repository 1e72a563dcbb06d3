import type { WebClient } from '@slack/web-api';
import type { Colleague } from '../domain/ask';
import type { ColleagueDirectory } from '../operations/ask-user';
import { errorSummary } from './access';

/** The fields of users.lookupByEmail's user object the ask needs (Slack documents them on users.info). */
interface LookedUpUser {
  id?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  tz?: string;
}

/**
 * The colleague behind a Salesforce e-mail, in Slack (users.lookupByEmail; needs users:read.email).
 * Someone the bot must not DM — no account (`users_not_found`), a deactivated account, a guest
 * (who may be an outsider sharing the e-mail domain) or a bot — is "unreachable" with the reason.
 * Any other Slack error is thrown, naming Slack, so the person pressing Ask learns Slack failed.
 */
export class SlackColleagueDirectory implements ColleagueDirectory {
  constructor(private readonly client: WebClient) {}

  async byEmail(email: string): Promise<Colleague> {
    let user: LookedUpUser | undefined;
    try {
      user = ((await this.client.users.lookupByEmail({ email })) as { user?: LookedUpUser }).user;
    } catch (err) {
      const code = errorSummary(err).error;
      if (code === 'users_not_found') return { kind: 'unreachable', reason: 'no_account' };
      throw new Error(`Slack could not look the colleague up by e-mail (users.lookupByEmail: ${code ?? errorSummary(err).message})`, { cause: err });
    }
    if (!user?.id) return { kind: 'unreachable', reason: 'no_account' };
    if (user.deleted) return { kind: 'unreachable', reason: 'deactivated' };
    if (user.is_bot) return { kind: 'unreachable', reason: 'bot' };
    if (user.is_restricted || user.is_ultra_restricted) return { kind: 'unreachable', reason: 'guest' };
    return { kind: 'found', slackUserId: user.id, tz: user.tz ?? null };
  }
}
