import type { Kysely, Migration } from 'kysely';

/** 64 zeros: the prevHash of the first audit entry. */
export const GENESIS_HASH = '0'.repeat(64);

export const initial: Migration = {
  // Kysely<any>: a migration must keep working after the Tables type moves on, so it is
  // deliberately not tied to the current schema type (Kysely's documented convention).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('requests')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('target_user_id', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('params', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('required_approvals', 'integer', (c) => c.notNull())
      .addColumn('approvals', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('channel_id', 'text')
      .addColumn('message_ts', 'text')
      .addColumn('evidence', 'text', (c) => c.notNull())
      .addColumn('result', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('verify_due_at', 'text')
      .addColumn('verified_at', 'text')
      .addColumn('version', 'integer', (c) => c.notNull())
      .execute();
    // The sweepers filter by state plus one timestamp; history filters by target.
    await db.schema.createIndex('requests_state_expires_idx').on('requests').columns(['state', 'expires_at']).execute();
    await db.schema.createIndex('requests_state_verify_idx').on('requests').columns(['state', 'verify_due_at']).execute();
    await db.schema.createIndex('requests_target_idx').on('requests').columns(['target_user_id', 'created_at']).execute();

    await db.schema
      .createTable('audit_log')
      .addColumn('seq', 'integer', (c) => c.primaryKey())
      .addColumn('at', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text')
      .addColumn('target_user_id', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('event', 'text', (c) => c.notNull())
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('prev_hash', 'text', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_request_idx').on('audit_log').columns(['request_id', 'seq']).execute();
    await db.schema.createIndex('audit_log_target_idx').on('audit_log').columns(['target_user_id', 'seq']).execute();

    await db.schema
      .createTable('audit_head')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('hash', 'text', (c) => c.notNull())
      .execute();
    await db.insertInto('audit_head').values({ id: 1, seq: 0, hash: GENESIS_HASH }).execute();

    await db.schema
      .createTable('alerts')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('channel_id', 'text')
      .addColumn('message_ts', 'text')
      .execute();
  },
};
