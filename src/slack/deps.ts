import type { Logger } from '../logger';
import type { Operations } from '../operations';
import type { AccessControl } from './access';
import type { SlackMessage } from './views/message';

/**
 * What the Slack listeners need: the operations (what the bot does, Slack-free), who may use
 * them, and how to word a failure. Listeners parse, call and render; nothing else.
 */
export interface SlackDeps {
  logger: Logger;
  access: AccessControl;
  ops: Operations;
  /** Days of Login History shown when none is given (LOGIN_HISTORY_DAYS). */
  loginHistoryDays: number;
  loginHistoryLimit: number;
  /** Turns any failure into a sentence that names its cause (Slack, Salesforce, the database, the bot). */
  describeError: (err: unknown) => string;
  now: () => Date;
  /** Posts to a response_url through the outbox (retried, kept across restarts, only to Slack's hook host). */
  replyLater: (responseUrl: string, message: SlackMessage) => Promise<void>;
}
