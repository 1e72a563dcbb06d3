import type { Logger } from '../logger';
import type { Operations } from '../operations';
import type { AskUser } from '../operations/ask-user';
import type { SuppressionOperations } from '../operations/suppressions';
import type { OutboxOperations } from '../operations/outbox';
import type { DigestSlice } from '../operations/digests';
import type { OrgSummary, OrgView } from '../operations/org-view';
import type { Investigation, InvestigationAnswer } from '../operations/investigate';
import type { AccessControl } from './access';
import type { HomePublisher } from './home-publisher';
import type { ModalSeal } from './modal-seal';
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
  /** Dead-lettered Slack messages: list and replay (`/sessions outbox`). */
  outbox: OutboxOperations;
  /** Seals what a modal carries in private_metadata, so a submission names only what the bot offered that person. */
  modalSeal: ModalSeal;
  /** Posts to a response_url through the outbox (retried, kept across restarts, only to Slack's hook host). */
  replyLater: (responseUrl: string, message: SlackMessage) => Promise<void>;
  /** Alert digests: the alerts of a storm's digest, a slice at a time ("Show the rest"). */
  digests: { slice(digestId: string, offset: number, limit: number): Promise<DigestSlice | null> };
  /** The App Home tab (views.publish) for whoever opens it. */
  home: Pick<HomePublisher, 'opened'>;
  /** "What did this session do?": a session family, every live session of a user, or a request's recorded sessions. */
  investigate: {
    sessions(target: { userId: string; sessionId?: string }, options: { withApiCalls: boolean }): Promise<InvestigationAnswer>;
    request(requestId: string): Promise<Investigation | null>;
  };
  /** The org view (`/sessions` alone): from the monitor's mirror when fresh, else one Salesforce call per 2,000 sessions. */
  org: {
    view(): Promise<OrgView & { snapshotId: string }>;
    /** A recent read kept for the page buttons; null when gone (then the org is read again). */
    snapshot(id: string): OrgSummary | null;
    botUserId(): string | null;
  };
}
