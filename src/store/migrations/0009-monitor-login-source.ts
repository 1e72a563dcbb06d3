import type { Kysely, Migration } from 'kysely';

/**
 * The source address and outcome of each mirrored LoginHistory row as columns, so the monitor can
 * ask questions across people by address — which addresses many colleagues sign in from (a VPN exit,
 * an office), which address is failing against many accounts (password spraying) — in SQL, without
 * decoding every row. Rows mirrored before this migration keep NULLs and age out of the window.
 * succeeded is 0/1: one type on SQLite and PostgreSQL.
 *
 * alerts.held: 1 while a medium alert waits for the person it is about to answer "was this you?"
 * before it reaches the security channel (0 for every alert before this migration: all were posted).
 */
export const monitorLoginSource: Migration = {
  // Kysely<any>: a migration must keep working after the Tables type moves on (Kysely's documented convention).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('monitor_logins').addColumn('source_ip', 'text').execute();
    await db.schema.alterTable('monitor_logins').addColumn('succeeded', 'integer').execute();
    await db.schema
      .alterTable('alerts')
      .addColumn('held', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.createIndex('monitor_logins_ip_time_idx').on('monitor_logins').columns(['source_ip', 'login_time']).execute();
  },
};
