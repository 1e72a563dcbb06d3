import type { Logger } from '../logger';
import type { Operations } from '../operations';
import type { AskUser } from '../operations/ask-user';
import type { SuppressionOperations } from '../operations/suppressions';
import type { DigestSlice } from '../operations/digests';
import type { AccessControl } from './access';
import type { HomePublisher } from './home-publisher';
import type { SlackMessage } from './views/message';

/**
 * What the Slack listeners need: the operations (what the bot does, Slack-free), who may use
 * them, and how to word a failure. Listeners parse, call and render; nothing else.
 */
export interface SlackDeps {
  logger: Logger;
  access: AccessControl;
  ops: Operations;
  /** "Mark expected": suppressions of alerts (create, list, remove). */
  suppressions: SuppressionOperations;
  /** "Was this you?": DM the colleague an alert is about, and take their answer. */
  asks: Pick<AskUser, 'ask' | 'answer'>;
  /** Days of Login History shown when none is given (LOGIN_HISTORY_DAYS). */
  loginHistoryDays: number;
  loginHistoryLimit: number;
  /** Turns any failure into a sentence that names its cause (Slack, Salesforce, the database, the bot). */
  describeError: (err: unknown) => string;
  now: () => Date;
  /** Posts to a response_url through the outbox (retried, kept across restarts, only to Slack's hook host). */
  replyLater: (responseUrl: string, message: SlackMessage) => Promise<void>;
  /** Alert digests: the alerts of a storm's digest, a slice at a time ("Show the rest"). */
  digests: { slice(digestId: string, offset: number, limit: number): Promise<DigestSlice | null> };
  /** The App Home tab (views.publish) for whoever opens it. */
  home: Pick<HomePublisher, 'opened'>;
}
