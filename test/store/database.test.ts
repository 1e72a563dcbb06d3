import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openDatabase } from '../../src/store/database';
import { migrateToLatest, MIGRATIONS } from '../../src/store/migrate';
import { AuditStore } from '../../src/store/audit-store';
import { RequestsStore } from '../../src/store/requests-store';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

/** In apply order; includes 0002-audit-anchor and whatever later ones are registered. */
const ALL_MIGRATIONS = Object.keys(MIGRATIONS).sort();
const T0 = new Date('2026-03-01T10:00:00.000Z');
const target = { userId: '005000000000001AAA', username: 'alice@example.com', name: 'Alice', email: 'alice@example.com' };

async function migrationNames(db: Parameters<typeof migrateToLatest>[0]): Promise<string[]> {
  const r = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return r.rows.map((x) => x.name);
}

describe('openDatabase', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-store-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('rejects unknown schemes and empty sqlite paths with a clear message', async () => {
    await expect(openDatabase('mysql://root@127.0.0.1/x')).rejects.toThrow(/unsupported database URL scheme "mysql:".*sqlite:<path>.*postgres:\/\//);
    await expect(openDatabase('data/warden.db')).rejects.toThrow(/unsupported database URL scheme \(none\)/);
    await expect(openDatabase('sqlite:')).rejects.toThrow(/needs a file path/);
  });

  it('opens sqlite::memory: with the schema in place', async () => {
    const database = await openDatabase('sqlite::memory:');
    try {
      expect(database.dialect).toBe('sqlite');
      expect(await migrationNames(database.db)).toEqual(ALL_MIGRATIONS);
      const head = await database.db.selectFrom('audit_head').selectAll().execute();
      expect(head).toEqual([{ id: 1, seq: 0, hash: '0'.repeat(64), mac: null }]);
    } finally {
      await database.close();
    }
  });

  it('creates the parent folder, uses WAL, and keeps pending requests and the audit chain across restarts', async () => {
    const file = join(dir, 'nested', 'deeper', 'warden.db');
    const first = await openDatabase(`sqlite:${file}`);
    const created = await new RequestsStore(first).create(
      { kind: 'freeze', target, params: {}, reason: 'r', requestedBy: 'U1', requiredApprovals: 1, evidence: null, expiresAt: new Date(T0.getTime() + 900_000) },
      T0,
    );
    await new AuditStore(first).append({ requestId: created.id, actor: 'U1', event: 'requested' }, T0);
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(first.db);
    expect(mode.rows[0]?.journal_mode).toBe('wal');
    await first.close();
    await first.close(); // closing twice is harmless
    expect(existsSync(file)).toBe(true);

    const second = await openDatabase(`sqlite://${file}`);
    try {
      const store = new RequestsStore(second);
      expect(await store.get(created.id)).toEqual(created);
      expect((await store.listByState(['pending'])).map((r) => r.id)).toEqual([created.id]);
      const audit = new AuditStore(second);
      expect(await audit.verifyChain()).toEqual({ ok: true, checked: 1, anchored: false, keyedFrom: null });
      expect((await audit.append({ actor: 'system', event: 'expired' }, T0)).seq).toBe(2);
      expect(await migrationNames(second.db)).toEqual(ALL_MIGRATIONS);
    } finally {
      await second.close();
    }
  });

  it('applies migrations once: a second run on the same sqlite file does nothing', async () => {
    const url = `sqlite:${join(dir, 'm.db')}`;
    const a = await openDatabase(url);
    expect(await migrateToLatest(a.db)).toEqual([]);
    await a.close();
    const b = await openDatabase(url);
    try {
      expect(await migrationNames(b.db)).toEqual(ALL_MIGRATIONS);
    } finally {
      await b.close();
    }
  });
});

describe('openDatabase on PostgreSQL', () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await createTestDatabase();
  });
  afterAll(async () => {
    await pg.drop();
  });

  it('migrates once even when several replicas start at the same moment', async () => {
    const replicas = await Promise.all([openDatabase(pg.url), openDatabase(pg.url), openDatabase(pg.url)]);
    try {
      expect(replicas.map((r) => r.dialect)).toEqual(['postgres', 'postgres', 'postgres']);
      expect(await migrationNames(replicas[0].db)).toEqual(ALL_MIGRATIONS);
      expect(await migrateToLatest(replicas[1].db)).toEqual([]);
      const head = await replicas[2].db.selectFrom('audit_head').selectAll().execute();
      expect(head).toEqual([{ id: 1, seq: 0, hash: '0'.repeat(64), mac: null }]);
    } finally {
      await Promise.all(replicas.map((r) => r.close()));
    }
  });

  it('keeps data across close and reopen (postgresql:// scheme too)', async () => {
    const first = await openDatabase(pg.url);
    const r = await new RequestsStore(first).create(
      { kind: 'contain', target, params: { resetPassword: true }, reason: 'r', requestedBy: 'U1', requiredApprovals: 2, evidence: { a: 1 }, expiresAt: T0 },
      T0,
    );
    await first.close();
    const second = await openDatabase(pg.url.replace(/^postgres:/, 'postgresql:'));
    try {
      expect(await new RequestsStore(second).get(r.id)).toEqual(r);
    } finally {
      await second.close();
    }
  });

  it('fails clearly when the server is unreachable', async () => {
    await expect(openDatabase('postgres://postgres@127.0.0.1:1/nope')).rejects.toThrow(/ECONNREFUSED/);
  });
});
