import type { Kysely, Migration } from 'kysely';

/**
 * The alert monitor's tables: a mirror of live sessions and of the login window, the scan
 * bookkeeping of a full reconciliation, the monitor's own state (watermarks, counters), and the
 * alerts table in its full shape.
 */
export const monitor: Migration = {
  // Kysely<any>: a migration must keep working after the Tables type moves on (Kysely's documented convention).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    // `data` is the whole domain object (tagged JSON, keys sorted) so a read gives it back exactly
    // and equal objects give equal text: an upsert compares it to tell changed rows from repeats.
    await db.schema
      .createTable('monitor_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('monitor_sessions_user_idx').on('monitor_sessions').columns(['user_id', 'created_at']).execute();

    await db.schema
      .createTable('monitor_logins')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('login_time', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('monitor_logins_user_idx').on('monitor_logins').columns(['user_id', 'login_time']).execute();
    // Pruning the window deletes by time alone.
    await db.schema.createIndex('monitor_logins_time_idx').on('monitor_logins').column('login_time').execute();

    // Mirror rows a running full scan has not yet seen listed by Salesforce; what is left at the end has ended.
    await db.schema
      .createTable('monitor_scan_pending')
      .addColumn('scan_id', 'text', (c) => c.notNull())
      .addColumn('session_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('monitor_scan_pending_pk', ['scan_id', 'session_id'])
      .execute();

    // Who the users behind alerts are (name, username, e-mail, profile), read once when an alert is
    // posted, so rendering or re-rendering a message never spends an API call.
    await db.schema
      .createTable('monitor_users')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('monitor_state')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    // The alerts table of 0001 held only a key and the Slack message; no released code ever wrote
    // to it (AlertsStore had no caller), and a row without its finding could not be shown, edited
    // or resolved, so it is replaced rather than altered.
    await db.schema.dropTable('alerts').ifExists().execute();
    await db.schema
      .createTable('alerts')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('group_key', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('finding', 'text', (c) => c.notNull())
      .addColumn('channel_id', 'text')
      .addColumn('message_ts', 'text')
      .addColumn('resolved_at', 'text')
      .addColumn('resolved_by', 'text')
      .execute();
    await db.schema.createIndex('alerts_group_state_idx').on('alerts').columns(['group_key', 'state']).execute();
    await db.schema.createIndex('alerts_user_state_idx').on('alerts').columns(['user_id', 'state']).execute();
    await db.schema.createIndex('alerts_state_first_seen_idx').on('alerts').columns(['state', 'first_seen_at']).execute();
  },
};
