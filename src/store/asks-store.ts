import type { Selectable } from 'kysely';
import { ASK_ANSWERS, ASK_STATES, UNREACHABLE_REASONS, type AskAnswer, type UserAsk } from '../domain/ask';
import { fromIso, fromIsoOrNull, toIso } from './codec';
import type { Database } from './database';
import type { UserAsksTable } from './schema';

export type NewAsk = Pick<UserAsk, 'alertKey' | 'groupKey' | 'askedBy' | 'email' | 'askedAt'> &
  ({ state: 'asked'; slackUserId: string; tz: string | null; dueAt: Date } | { state: 'unreachable'; unreachable: NonNullable<UserAsk['unreachable']> });

/**
 * "Was this you?" asks, one row per alert. Creating one is INSERT … ON CONFLICT DO NOTHING and
 * every later move a compare-and-set on the state, so two clicks, two replicas, or an answer
 * racing the timeout settle on exactly one outcome.
 */
export class AsksStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  /** True only for the caller whose insert created the row: that caller sends the DM. */
  async create(ask: NewAsk): Promise<boolean> {
    const inserted = await this.db
      .insertInto('user_asks')
      .values({
        alert_key: ask.alertKey,
        group_key: ask.groupKey,
        state: ask.state,
        asked_by: ask.askedBy,
        email: ask.email,
        slack_user_id: ask.state === 'asked' ? ask.slackUserId : null,
        unreachable: ask.state === 'unreachable' ? ask.unreachable : null,
        tz: ask.state === 'asked' ? ask.tz : null,
        asked_at: toIso(ask.askedAt),
        due_at: ask.state === 'asked' ? toIso(ask.dueAt) : null,
      })
      .onConflict((oc) => oc.column('alert_key').doNothing())
      .returning('alert_key')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async get(alertKey: string): Promise<UserAsk | null> {
    const row = await this.db.selectFrom('user_asks').selectAll().where('alert_key', '=', alertKey).executeTakeFirst();
    return row ? toAsk(row) : null;
  }

  /** asked → answered; false when it was answered or timed out already. */
  async answer(alertKey: string, answer: AskAnswer, at: Date): Promise<boolean> {
    const res = await this.db
      .updateTable('user_asks')
      .set({ state: 'answered', answer, answered_at: toIso(at) })
      .where('alert_key', '=', alertKey)
      .where('state', '=', 'asked')
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** What ending the sessions did after "No, not me". */
  async setOutcome(alertKey: string, outcome: string): Promise<void> {
    await this.db.updateTable('user_asks').set({ outcome }).where('alert_key', '=', alertKey).execute();
  }

  /** Unanswered asks whose time is up, oldest first. */
  async listDue(now: Date, limit = 100): Promise<UserAsk[]> {
    const rows = await this.db
      .selectFrom('user_asks')
      .selectAll()
      .where('state', '=', 'asked')
      .where('due_at', '<=', toIso(now))
      .orderBy('due_at')
      .limit(limit)
      .execute();
    return rows.map(toAsk);
  }

  /** asked → timed_out; false when an answer (or another replica) got there first. */
  async timeOut(alertKey: string): Promise<boolean> {
    const res = await this.db
      .updateTable('user_asks')
      .set({ state: 'timed_out' })
      .where('alert_key', '=', alertKey)
      .where('state', '=', 'asked')
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** Where Slack put the DM, so later deliveries edit it instead of posting another. */
  async setMessage(alertKey: string, channelId: string, ts: string): Promise<void> {
    await this.db.updateTable('user_asks').set({ dm_channel: channelId, dm_ts: ts }).where('alert_key', '=', alertKey).execute();
  }
}

function oneOf<T extends string>(allowed: readonly T[], value: string, column: string, key: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`the database: ask ${key} has an unknown ${column} "${value}"`);
}

function toAsk(row: Selectable<UserAsksTable>): UserAsk {
  const key = row.alert_key;
  return {
    alertKey: key,
    groupKey: row.group_key,
    state: oneOf(ASK_STATES, row.state, 'state', key),
    askedBy: row.asked_by,
    email: row.email,
    slackUserId: row.slack_user_id,
    unreachable: row.unreachable === null ? null : oneOf(UNREACHABLE_REASONS, row.unreachable, 'unreachable', key),
    tz: row.tz,
    askedAt: fromIso(row.asked_at),
    dueAt: fromIsoOrNull(row.due_at),
    answer: row.answer === null ? null : oneOf(ASK_ANSWERS, row.answer, 'answer', key),
    answeredAt: fromIsoOrNull(row.answered_at),
    outcome: row.outcome,
    dmChannel: row.dm_channel,
    dmTs: row.dm_ts,
  };
}
