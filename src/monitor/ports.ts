/**
 * What the monitor needs from the rest of the bot, as interfaces: the composition root hands in
 * the Salesforce reader, the stores, the Slack notifier and the leader lock. The monitor itself
 * imports neither Slack nor Salesforce code.
 */
import type { ApiUsage, BudgetState } from '../domain/budget';
import type { LoginEvent, Session, SfUser } from '../domain/types';

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
  /** The org's API usage from the last answer, or null when unknown. */
  usage(): ApiUsage | null;
}

/** How alerts reach people (the Slack outbox, in production). Enqueue-only: never waits on Slack. */
export interface AlertNotifier {
  alertPosted(alertKey: string, groupKey: string): Promise<void>;
  alertUpdated(alertKey: string, groupKey: string): Promise<void>;
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
}
