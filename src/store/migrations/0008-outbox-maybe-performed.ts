import type { Kysely, Migration } from 'kysely';

/**
 * Whether Slack may have performed an outbox row's call although the bot never heard back (no
 * answer, a 5xx, or an attempt cut short by a dead or hung replica). A post with this set is
 * looked for in the channel before it is sent again. 0/1: one type on SQLite and PostgreSQL.
 */
export const outboxMaybePerformed: Migration = {
  // Kysely<any>: a migration must keep working after the Tables type moves on (Kysely's documented convention).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .alterTable('slack_outbox')
      .addColumn('maybe_performed', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
