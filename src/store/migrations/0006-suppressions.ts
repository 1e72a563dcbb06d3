import type { Kysely, Migration } from 'kysely';

/**
 * "Mark expected": a person's decision that one rule's findings about one user (optionally only
 * from one network, or about one connected app) are expected for a while. Rows are never deleted:
 * removal and expiry are recorded, so the list and the audit trail can say what was silenced when.
 */
export const suppressions: Migration = {
  // Kysely<any>: a migration must keep working after the Tables type moves on (Kysely's documented convention).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('suppressions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('scope_kind', 'text', (c) => c.notNull())
      // '' for the user scope; a CIDR range for 'network'; the app or session type for 'app'.
      .addColumn('scope_value', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('removed_at', 'text')
      .addColumn('removed_by', 'text')
      // The alert it was made from (its finding key), when there was one.
      .addColumn('alert_key', 'text')
      // Findings the monitor kept out of Slack because of it.
      .addColumn('suppressed_count', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('suppressions_user_idx').on('suppressions').columns(['user_id', 'expires_at']).execute();
    await db.schema.createIndex('suppressions_expires_idx').on('suppressions').column('expires_at').execute();
  },
};
