/**
 * Migration 0010 rebuilds the login mirror keyed by (login_time, id): the rows mirrored before it
 * are kept, the address index is gone, and an upsert after it still tells new rows from repeats.
 */
import SQLite from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import type { LoginEvent } from '../../src/domain/types';
import { openDatabase } from '../../src/store/database';
import { MIGRATIONS } from '../../src/store/migrate';
import { MonitorStore } from '../../src/store/monitor-store';
import { toTaggedJson } from '../../src/store/tagged-json';
import type { Tables } from '../../src/store/schema';
import { DIALECTS, indexesOn } from '../support/databases';
import { login } from '../support/rule-factories';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const T0 = new Date('2026-03-01T10:00:00.000Z');

/** A success by the test user `minutes` after T0 (the mirror's shape, as rule-factories builds it). */
const loginAt = (id: string, minutes: number): LoginEvent => login({ id, loginTime: new Date(T0.getTime() + minutes * 60_000), place: null });

describe.each(DIALECTS)('migration 0010 on %s', (dialect) => {
  let pg: TestDatabase | undefined;
  let dir: string | undefined;
  afterAll(async () => {
    await pg?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** A database as the previous release left it (migrated to 0009), and the URL openDatabase takes it from. */
  async function at0009(): Promise<{ db: Kysely<Tables>; url: string }> {
    let db: Kysely<Tables>;
    let url: string;
    if (dialect === 'postgres') {
      pg = await createTestDatabase();
      url = pg.url;
      db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool: new Pool({ connectionString: pg.url, max: 2 }) }) });
    } else {
      dir = mkdtempSync(join(tmpdir(), 'sw-0010-'));
      const path = join(dir, 'warden.db');
      url = `sqlite:${path}`;
      db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: new SQLite(path) }) });
    }
    const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ ...MIGRATIONS }) } });
    const { error } = await migrator.migrateTo('0009-monitor-login-source');
    if (error) throw error instanceof Error ? error : new Error(`migrating to 0009 failed: ${JSON.stringify(error)}`);
    return { db, url };
  }

  it('keeps every mirrored login, drops the address and time indexes, and upserts by (login_time, id) afterwards', async () => {
    const old = await at0009();
    const before = [loginAt('0Ya000000000002', 5), loginAt('0Ya000000000001', 10)];
    await old.db
      .insertInto('monitor_logins')
      .values(
        before.map((l) => ({
          id: l.id,
          user_id: l.userId,
          login_time: l.loginTime.toISOString(),
          data: toTaggedJson(l),
          source_ip: '203.0.113.7',
          succeeded: 1,
        })),
      )
      .execute();
    await old.db.destroy();

    // Opening it migrates it, as a bot starting on the new release does.
    const database = await openDatabase(old.url);
    try {
      const indexes = await indexesOn(database, 'monitor_logins');
      expect(indexes).toContain('monitor_logins_user_idx');
      expect(indexes).not.toContain('monitor_logins_ip_time_idx');
      expect(indexes).not.toContain('monitor_logins_time_idx');

      const store = new MonitorStore(database);
      expect((await store.loginsOfUsers(['005000000000001AAA'], T0)).map((l) => l.id)).toEqual(['0Ya000000000001', '0Ya000000000002']);
      // A repeat of a copied row is no change; a new row is; a copied row Salesforce completed later is.
      expect((await store.upsertLogins([before[0]!, loginAt('0Ya000000000003', 20)])).rowIds).toEqual(['0Ya000000000003']);
      const placed = { ...before[1]!, place: { city: 'Lyon', subdivision: null, country: 'France', countryIso: 'FR', latitude: 45.76, longitude: 4.84 } };
      expect((await store.upsertLogins([placed])).rowIds).toEqual(['0Ya000000000001']);
      expect(await store.loginsOfUsers(['005000000000001AAA'], T0)).toHaveLength(3);
    } finally {
      await database.close();
    }
  });
});
