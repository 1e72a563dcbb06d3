import type { Kysely, Migration } from 'kysely';

/**
 * The login mirror keyed by (login_time, id) instead of id, and without 0009's (source_ip,
 * login_time) index. LoginHistory arrives in time order — the backfill reads it so, each poll reads
 * what is newer — so rows and their key now go on at the end of their b-tree, where a key of ids
 * (in no useful order) and an address index put every page's 2,000 rows all over two trees, to be
 * rewritten at each commit. On a 1,000,000-row first start that was most of the database's time.
 * The key also serves what the time index did (the window's pruning, the last day's logins of an
 * address for password spraying), so that index goes too. A LoginHistory row's LoginTime never
 * changes, so (login_time, id) names a row as its id did. The rows are copied over, not re-read.
 */
export const monitorLoginsByTime: Migration = {
  // Kysely<any>: a migration must keep working after the Tables type moves on (Kysely's documented convention).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema
      .createTable('monitor_logins_by_time')
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('login_time', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('source_ip', 'text')
      .addColumn('succeeded', 'integer')
      .addPrimaryKeyConstraint('monitor_logins_time_id_pk', ['login_time', 'id'])
      .execute();
    const columns = ['id', 'user_id', 'login_time', 'data', 'source_ip', 'succeeded'] as const;
    await db
      .insertInto('monitor_logins_by_time')
      .columns([...columns])
      .expression(
        db
          .selectFrom('monitor_logins')
          .select([...columns])
          .orderBy('login_time')
          .orderBy('id'),
      )
      .execute();
    await db.schema.dropTable('monitor_logins').execute();
    await db.schema.alterTable('monitor_logins_by_time').renameTo('monitor_logins').execute();
    await db.schema.createIndex('monitor_logins_user_idx').on('monitor_logins').columns(['user_id', 'login_time']).execute();
  },
};
