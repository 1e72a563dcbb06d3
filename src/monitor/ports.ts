/**
 * What the monitor needs from the rest of the bot, as interfaces: the composition root hands in
 * the Salesforce reader, the stores, the Slack notifier and the leader lock. The monitor itself
 * imports neither Slack nor Salesforce code.
 */
import type { ApiUsage, BudgetState } from '../domain/budget';
import type { Finding, LoginEvent, OauthGrant, Session, SfUser } from '../domain/types';

export interface PollAnswer {
  sessions: Session[];
  logins: LoginEvent[];
  calls: number;
  newestSessionAt: Date | null;
  newestLoginAt: Date | null;
}

/** Salesforce, as the monitor reads it (src/salesforce/monitor-reader.ts). */
export interface MonitorSource {
  poll(window: { sessionsSince: Date; loginsSince: Date; overlapMs: number }): Promise<PollAnswer>;
  fullScan(onPage: (sessions: Session[]) => Promise<void>): Promise<{ sessions: number; calls: number }>;
  backfillLogins(
    since: Date,
    onPage: (logins: LoginEvent[]) => Promise<void>,
    onProgress?: (progress: { rows: number; calls: number }) => void,
  ): Promise<{ rows: number; calls: number; newestLoginAt: Date | null }>;
  usersById(ids: readonly string[]): Promise<{ users: SfUser[]; calls: number }>;
  /**
   * Connected-app grants: all of the integration users', and those made since `createdSince` with
   * their users' others. `hidden` names why other users' grants cannot be seen (a missing
   * permission): then nothing is judged. Absent: the monitor reads no grants.
   */
  grants?(request: { integrationUserIds: readonly string[]; createdSince: Date }): Promise<{
    grants: Array<OauthGrant & { userId: string }>;
    calls: number;
    complete: boolean;
    hidden?: string | null;
  }>;
  /** The org's API usage from the last answer, or null when unknown. */
  usage(): ApiUsage | null;
}

/** How alerts reach people (the Slack outbox, in production). Enqueue-only: never waits on Slack. */
export interface AlertNotifier {
  alertPosted(alertKey: string, groupKey: string): Promise<void>;
  alertUpdated(alertKey: string, groupKey: string): Promise<void>;
  /** A storm: these newly claimed alerts (worst first) go out as one digest message, never one by one. */
  alertsDigested(findings: readonly Finding[]): Promise<void>;
  /**
   * A medium alert held back from the channel: ask its person "was this you?" first. The asking side
   * releases it to the channel when they say no, do not answer in time, or cannot be asked.
   */
  alertHeld(alertKey: string, groupKey: string): Promise<void>;
  /** The first start's findings about events older than a day: one summary message, not alerts. */
  backlogSummarized(findings: readonly Finding[]): Promise<void>;
  budgetChanged(state: BudgetState, usage: ApiUsage): Promise<void>;
}

/** Leadership of the poll (a PostgreSQL advisory lock; always granted on SQLite). */
export interface Leadership {
  isHeld(): Promise<boolean>;
  release(): Promise<void>;
}

export interface MonitorSettings {
  intervalSeconds: number;
  fullScanMinutes: number;
  apiBudgetFloorPercent: number;
  /** How far back the login rules look (and the first start backfills). */
  loginWindowHours: number;
  /** Late rows: each poll reads this much before its watermark again (deduplicated by Id). */
  overlapMs: number;
  /** More new findings than this in one poll become one digest message (ALERT_DIGEST_THRESHOLD). */
  digestThreshold: number;
  /** Medium findings of the rules that allow it are asked about first (false: everything goes to the channel at once). */
  askFirst: boolean;
}

/** "Mark expected" (src/operations/suppressions.ts): findings people said are expected are counted, not posted. */
export interface SuppressionGate {
  /** For each finding a suppression covers at `now`: finding key → suppression id. */
  covering(findings: readonly Finding[], sessions: readonly Session[], now: Date): Promise<Map<string, string>>;
  /** Counts one finding kept out of Slack by suppression `id`. */
  recordSuppressed(id: string): Promise<void>;
}
