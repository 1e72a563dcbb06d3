import type { Kysely, Migration } from 'kysely';

/**
 * Alert digests: when one poll finds more than ALERT_DIGEST_THRESHOLD new problems they reach
 * Slack as one message. A digest row holds where that message is; each alert in it has a member
 * row (its place worst-first, its rule and severity), so counts per rule and "Show the rest"
 * pages are read without loading every alert, and an alert known to be in a digest is never
 * posted (nor re-posted on an update) on its own.
 */
export const digests: Migration = {
  // Kysely<any>: a migration must keep working after the Tables type moves on (Kysely's documented convention).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('alert_digests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('total', 'integer', (c) => c.notNull())
      .addColumn('channel_id', 'text')
      .addColumn('message_ts', 'text')
      .execute();
    await db.schema
      .createTable('alert_digest_members')
      // One digest per alert: the alert key is claimed once, so it can only ever be in one.
      .addColumn('alert_key', 'text', (c) => c.primaryKey())
      .addColumn('digest_id', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('alert_digest_members_digest_idx').on('alert_digest_members').columns(['digest_id', 'position']).execute();
  },
};
