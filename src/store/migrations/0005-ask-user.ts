import type { Kysely, Migration } from 'kysely';

/**
 * "Ask the user": one DM per alert to the colleague it is about ("was this you?"), with their
 * answer; and an alert's escalation (no answer in time, or "not me"), kept on the alert row so
 * the alert message re-rendered by the outbox shows it.
 */
export const askUser: Migration = {
  // Kysely<any>: a migration must keep working after the Tables type moves on (Kysely's documented convention).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('user_asks')
      // One ask per alert: the primary key is what makes a double click or two replicas ask once.
      .addColumn('alert_key', 'text', (c) => c.primaryKey())
      .addColumn('group_key', 'text', (c) => c.notNull())
      // 'asked' | 'answered' | 'timed_out' | 'unreachable', moved by compare-and-set.
      .addColumn('state', 'text', (c) => c.notNull())
      // Who asked: a Slack user id, or 'system' for an automatic ask.
      .addColumn('asked_by', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      // Null when there is nobody to ask (state 'unreachable'); `unreachable` then says why.
      .addColumn('slack_user_id', 'text')
      .addColumn('unreachable', 'text')
      // The colleague's IANA time zone from users.info, so the DM says times as they read them.
      .addColumn('tz', 'text')
      .addColumn('asked_at', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text')
      // 'yes' | 'no' | null
      .addColumn('answer', 'text')
      .addColumn('answered_at', 'text')
      // What ending the sessions did after "not me" (a sentence), for the alert and the DM.
      .addColumn('outcome', 'text')
      .addColumn('dm_channel', 'text')
      .addColumn('dm_ts', 'text')
      .execute();
    // The timer looks for unanswered asks past their due time.
    await db.schema.createIndex('user_asks_state_due_idx').on('user_asks').columns(['state', 'due_at']).execute();

    await db.schema.alterTable('alerts').addColumn('escalated_at', 'text').execute();
    await db.schema.alterTable('alerts').addColumn('escalation', 'text').execute();
  },
};
