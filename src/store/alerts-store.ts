import type { Selectable } from 'kysely';
import type { Finding, Severity } from '../domain/types';
import { fromIso, fromIsoOrNull, toIso } from './codec';
import type { Database } from './database';
import type { AlertsTable } from './schema';
import { fromTaggedJson, toTaggedJson } from './tagged-json';

/** open → resolved (its sessions are gone, or someone acted) | suppressed (a person silenced it). */
export type AlertState = 'open' | 'resolved' | 'suppressed';
const ALERT_STATES: readonly AlertState[] = ['open', 'resolved', 'suppressed'];
const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

export interface AlertRecord {
  /** The finding key the alert was claimed for; never changes. */
  key: string;
  groupKey: string;
  userId: string;
  rule: string;
  severity: Severity;
  state: AlertState;
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** The finding the message shows now: the claimed one, or a later one of the same group (update). */
  finding: Finding;
  channelId: string | null;
  messageTs: string | null;
  resolvedAt: Date | null;
  /** Why it left 'open': a request id, "sessions ended", the Slack user who suppressed it. */
  resolvedBy: string | null;
  /** Waiting for the person it is about to answer "was this you?"; not shown in the channel until released. */
  held: boolean;
}

/**
 * The monitor's alerts, one row (one Slack message) per finding key, across polls, restarts and
 * replicas. State moves by compare-and-set, so a stale leader writing late cannot reopen or
 * re-resolve an alert.
 */
export class AlertsStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  /**
   * True only for the caller whose insert created the row (INSERT … ON CONFLICT DO NOTHING is
   * atomic on both databases): that caller posts the message. Later claimers get false and just
   * refresh last_seen_at (never backwards), whatever the alert's state.
   */
  async claim(finding: Finding, now: Date, options: { held?: boolean } = {}): Promise<boolean> {
    const at = toIso(now);
    const inserted = await this.db
      .insertInto('alerts')
      .values({
        key: finding.key,
        group_key: finding.groupKey,
        user_id: finding.userId,
        rule: finding.rule,
        severity: finding.severity,
        state: 'open',
        first_seen_at: at,
        last_seen_at: at,
        finding: toTaggedJson(finding),
        channel_id: null,
        message_ts: null,
        resolved_at: null,
        resolved_by: null,
        held: options.held ? 1 : 0,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return true;
    await this.db.updateTable('alerts').set({ last_seen_at: at }).where('key', '=', finding.key).where('last_seen_at', '<', at).execute();
    return false;
  }

  /** A held alert goes to the channel after all (its person said no, did not answer, or cannot be asked); true only for the caller that released it. */
  async release(key: string): Promise<boolean> {
    const res = await this.db.updateTable('alerts').set({ held: 0 }).where('key', '=', key).where('held', '=', 1).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** Records the Slack message once Slack answered the post. */
  async setMessage(key: string, channelId: string, ts: string): Promise<boolean> {
    const res = await this.db.updateTable('alerts').set({ channel_id: channelId, message_ts: ts }).where('key', '=', key).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /**
   * Replaces the finding an open alert shows (same group, changed key set: the message is edited
   * in place). False when the alert is not open any more or belongs to another group.
   */
  async update(key: string, finding: Finding, now: Date): Promise<boolean> {
    const at = toIso(now);
    const res = await this.db
      .updateTable('alerts')
      .set((eb) => ({
        finding: toTaggedJson(finding),
        severity: finding.severity,
        // Never backwards, as in claim.
        last_seen_at: eb.case().when('last_seen_at', '<', at).then(at).else(eb.ref('last_seen_at')).end(),
      }))
      .where('key', '=', key)
      .where('state', '=', 'open')
      .where('group_key', '=', finding.groupKey)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** open or suppressed → resolved; false when it was already resolved (someone else got there first) or is unknown. */
  async resolve(key: string, reason: string, now: Date): Promise<boolean> {
    return this.leave(key, ['open', 'suppressed'], 'resolved', reason, now);
  }

  /** open → suppressed: a person silenced it; false unless it was open. */
  async suppress(key: string, reason: string, now: Date): Promise<boolean> {
    return this.leave(key, ['open'], 'suppressed', reason, now);
  }

  private async leave(key: string, from: readonly AlertState[], to: AlertState, reason: string, now: Date): Promise<boolean> {
    const res = await this.db
      .updateTable('alerts')
      .set({ state: to, resolved_at: toIso(now), resolved_by: reason })
      .where('key', '=', key)
      .where('state', 'in', [...from])
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  async get(key: string): Promise<AlertRecord | null> {
    const row = await this.db.selectFrom('alerts').selectAll().where('key', '=', key).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  /** Open alerts of one rule and user, oldest first: the message to edit when the key set changes. */
  async openByGroup(groupKey: string): Promise<AlertRecord[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('group_key', '=', groupKey)
      .where('state', '=', 'open')
      .orderBy('first_seen_at')
      .orderBy('key')
      .execute();
    return rows.map(toRecord);
  }

  /** Open alerts about one user, oldest first (e.g. to resolve them once the user is contained). */
  async openForUser(userId: string): Promise<AlertRecord[]> {
    return this.openForUsers([userId]);
  }

  /** Open alerts about any of these users (one query per 5,000 ids), oldest first. */
  async openForUsers(userIds: readonly string[]): Promise<AlertRecord[]> {
    const out: AlertRecord[] = [];
    const unique = [...new Set(userIds)];
    for (let i = 0; i < unique.length; i += 5_000) {
      const rows = await this.db
        .selectFrom('alerts')
        .selectAll()
        .where('user_id', 'in', unique.slice(i, i + 5_000))
        .where('state', '=', 'open')
        .orderBy('first_seen_at')
        .orderBy('key')
        .execute();
      out.push(...rows.map(toRecord));
    }
    return out;
  }

  /** The oldest open alerts, at most `limit`. */
  async listOpen(limit: number): Promise<AlertRecord[]> {
    const rows = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('state', '=', 'open')
      .orderBy('first_seen_at')
      .orderBy('key')
      .limit(Math.max(1, Math.floor(limit)))
      .execute();
    return rows.map(toRecord);
  }
}

function toRecord(row: Selectable<AlertsTable>): AlertRecord {
  return {
    key: row.key,
    groupKey: row.group_key,
    userId: row.user_id,
    rule: row.rule,
    severity: oneOf(SEVERITIES, row.severity, 'severity', row.key),
    state: oneOf(ALERT_STATES, row.state, 'state', row.key),
    firstSeenAt: fromIso(row.first_seen_at),
    lastSeenAt: fromIso(row.last_seen_at),
    finding: fromTaggedJson(row.finding) as Finding,
    channelId: row.channel_id,
    messageTs: row.message_ts,
    resolvedAt: fromIsoOrNull(row.resolved_at),
    resolvedBy: row.resolved_by,
    held: row.held === 1,
  };
}

function oneOf<T extends string>(allowed: readonly T[], value: string, column: string, key: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`the database: alert ${key} has an unknown ${column} "${value}"`);
}
