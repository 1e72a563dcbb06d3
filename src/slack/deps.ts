import type { LoginEvent, OauthGrant, Policy, Session, SfUser, UserActivity, UserSelector } from '../domain/types';
import type { Logger } from '../logger';
import type { RequestService } from '../requests/service';
import type { ActionRequest } from '../requests/types';
import type { AuditStore } from '../store/audit-store';
import type { AccessControl } from './access';

/**
 * What the Slack listeners need from the rest of the bot, as interfaces over domain types:
 * the Slack surface never imports Salesforce code; the composition root hands it the readers.
 */
export interface ActivitySource {
  read(selector: UserSelector, options: { now: Date; loginWindowHours: number; loginLimit: number }): Promise<UserActivity>;
  loginHistory(selector: UserSelector, since: Date, limit: number): Promise<{ users: SfUser[]; events: LoginEvent[] }>;
  sessions(userId: string): Promise<Session[]>;
  grants(userId: string, withDeleteTokens: boolean): Promise<OauthGrant[]>;
  findUsers(selector: UserSelector): Promise<SfUser[]>;
}

export interface SlackDeps {
  logger: Logger;
  access: AccessControl;
  activity: ActivitySource;
  policy: Policy;
  loginHistoryDays: number;
  loginHistoryLimit: number;
  /** The Salesforce integration user the bot runs as (its own sessions are never offered for removal). */
  salesforceUserId: () => string | null;
  /** Turns any failure into a sentence a Salesforce admin can act on. */
  describeError: (err: unknown) => string;
  now: () => Date;
}

/** The approval side, for the request / approve / deny / audit listeners. */
export interface RequestDeps {
  service: RequestService;
  get(id: string): Promise<ActionRequest | null>;
  audit: Pick<AuditStore, 'listForRequest' | 'listForTarget' | 'verifyChain'>;
  ttlMinutes: number;
}
