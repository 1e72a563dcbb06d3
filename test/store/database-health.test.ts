// Storage that cannot vanish silently: impossible SQLite paths fail fast with a sentence, a
// SQLite file deleted or replaced under the running bot refuses work instead of writing into a
// ghost, health() says what is wrong, and every store failure is a recognisable StoreError.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { createLogger } from '../../src/logger';
import { AuditStore } from '../../src/store/audit-store';
import { openDatabase } from '../../src/store/database';
import { findStoreError, isStoreError, StoreError } from '../../src/store/errors';
import { RequestsStore } from '../../src/store/requests-store';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const target = { userId: '005000000000001AAA', username: 'alice@example.com', name: 'Alice', email: 'alice@example.com' };
const freezeAlice = {
  kind: 'freeze' as const,
  target,
  params: {},
  reason: 'r',
  requestedBy: 'U1',
  requiredApprovals: 1,
  evidence: null,
  expiresAt: new Date(T0.getTime() + 900_000),
};

/** The rejection of `work`, which must happen. */
async function failureOf(work: Promise<unknown>): Promise<unknown> {
  try {
    await work;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

function errorLog(): { logger: ReturnType<typeof createLogger>; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const logger = createLogger('warn', { write: (line: string) => void raw.push(line) });
  return { logger, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('SQLite start-up check', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-health-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('fails within a second with a sentence naming the database and the path, for every impossible path', async () => {
    const plainFile = join(dir, 'plain-file');
    writeFileSync(plainFile, 'not a folder');
    const cases: Array<[path: string, message: RegExp]> = [
      // Node's recursive mkdir spins at 100% CPU on this one.
      ['/proc/nope/x.db', /^the database: cannot create sqlite file \/proc\/nope\/x\.db: folder \/proc\/nope cannot be created \(ENOENT\)$/],
      ['/proc/x.db', /^the database: cannot create sqlite file \/proc\/x\.db: folder \/proc does not accept new files \(ENOENT\)$/],
      // ... and says "EEXIST: mkdir" on these.
      [join(plainFile, 'x.db'), new RegExp(`^the database: cannot create sqlite file ${plainFile}/x\\.db: parent ${plainFile} is not a directory$`)],
      [
        join(plainFile, 'sub', 'deeper', 'x.db'),
        new RegExp(`^the database: cannot create sqlite file ${plainFile}/sub/deeper/x\\.db: parent ${plainFile} is not a directory$`),
      ],
      [dir, new RegExp(`^the database: sqlite path ${dir} is not a regular file`)],
    ];
    for (const [path, message] of cases) {
      const started = Date.now();
      const err = await failureOf(openDatabase(`sqlite:${path}`));
      expect(Date.now() - started).toBeLessThan(1000);
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ kind: 'cannot-open' });
      expect((err as Error).message).toMatch(message);
    }
  });
});

describe('a SQLite file that goes away under the running bot', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sw-ghost-'));
    file = join(dir, 'warden.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('deleted: writes and reads refuse with a StoreError, health is degraded, one error is logged; a fresh file does not verify against the stated head', async () => {
    const log = errorLog();
    const first = await openDatabase(`sqlite:${file}`, { logger: log.logger });
    const requests = new RequestsStore(first);
    const audit = new AuditStore(first);
    const kept = await requests.create(freezeAlice, T0);
    await audit.append({ requestId: kept.id, actor: 'U1', event: 'requested' }, T0);
    await audit.append({ requestId: kept.id, actor: 'U2', event: 'approved' }, T0);
    // What the request's final Slack message states.
    const stated = await audit.head();
    expect(stated.seq).toBe(2);
    expect(await first.health()).toEqual({ ok: true });

    rmSync(file); // an operator's `rm data/warden.db`, or a volume swapped under the container

    const refusal =
      /^the database file .*warden\.db was deleted or replaced while the bot was running \(the file was deleted\); restart the bot \(nothing was written\)$/;
    for (const work of [
      requests.create(freezeAlice, T0),
      audit.append({ requestId: kept.id, actor: 'system', event: 'executing' }, T0),
      requests.get(kept.id),
    ]) {
      const err = await failureOf(work);
      expect(isStoreError(err)).toBe(true);
      expect(findStoreError(err)?.kind).toBe('file-replaced');
      expect((err as Error).message).toMatch(refusal);
    }
    const health = await first.health();
    expect(health.ok).toBe(false);
    expect(health.ok ? '' : health.reason).toMatch(refusal);
    expect(await first.health()).toEqual(health);
    const errors = log.lines().filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ file, problem: 'the file was deleted' });
    await first.close();

    // The restart: a new, empty database at the same path.
    const second = await openDatabase(`sqlite:${file}`);
    try {
      expect(await second.health()).toEqual({ ok: true });
      expect(await new RequestsStore(second).get(kept.id)).toBeNull();
      const fresh = new AuditStore(second);
      // On its own an empty chain is self-consistent...
      expect(await fresh.verifyChain()).toMatchObject({ ok: true, checked: 0, anchored: false });
      // ...the head stated outside the database is what exposes the loss.
      const verdict = await fresh.verifyChain({ expect: stated });
      expect(verdict).toMatchObject({ ok: false, checked: 0, brokenAt: 1, anchored: false });
      expect(verdict.ok ? '' : verdict.reason).toBe(
        `the chain has 0 entries but entry 2 (hash ${stated.hash.slice(0, 12)}…) was stated: entries were removed or the database was emptied or replaced`,
      );
    } finally {
      await second.close();
    }
  });

  it('replaced by another database file, or moved away: refuses and says which', async () => {
    const otherFile = join(dir, 'other.db');
    const other = await openDatabase(`sqlite:${otherFile}`);
    await other.close();

    const database = await openDatabase(`sqlite:${file}`);
    try {
      const requests = new RequestsStore(database);
      await requests.create(freezeAlice, T0);
      renameSync(otherFile, file); // `mv other.db warden.db`: a valid database, just not ours
      const err = await failureOf(requests.create(freezeAlice, T0));
      expect(findStoreError(err)?.kind).toBe('file-replaced');
      expect((err as Error).message).toContain('(another file now has its name); restart the bot (nothing was written)');
      expect(await database.health()).toMatchObject({ ok: false, reason: expect.stringContaining('another file now has its name') as unknown });
    } finally {
      await database.close();
    }

    const moved = await openDatabase(`sqlite:${join(dir, 'moved.db')}`);
    try {
      renameSync(join(dir, 'moved.db'), join(dir, 'elsewhere.db'));
      const health = await moved.health();
      expect(health).toMatchObject({ ok: false, reason: expect.stringContaining('the file was moved: the path no longer names it (ENOENT)') as unknown });
    } finally {
      await moved.close();
    }
  });

  it('an untouched file stays healthy across many writes and a reopen', async () => {
    const database = await openDatabase(`sqlite:${file}`);
    const audit = new AuditStore(database);
    for (let i = 0; i < 20; i++) await audit.append({ actor: 'system', event: 'step', detail: { i } }, T0);
    expect(await database.health()).toEqual({ ok: true });
    await database.close();
    const again = await openDatabase(`sqlite:${file}`);
    try {
      expect(await new AuditStore(again).verifyChain({ expect: { seq: 20, hash: (await new AuditStore(again).head()).hash } })).toMatchObject({
        ok: true,
        checked: 20,
      });
      expect(await again.health()).toEqual({ ok: true });
    } finally {
      await again.close();
    }
  });
});

/**
 * A loopback TCP relay in front of PostgreSQL that the test can break like a real outage:
 * `cut()` stops listening (connection refused), `silence()` keeps accepting but never answers.
 */
async function relayTo(targetUrl: string): Promise<{ url: string; cut(): Promise<void>; silence(): void }> {
  const upstream = new URL(targetUrl);
  const sockets = new Set<Socket>();
  let silent = false;
  const track = (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };
  const server: Server = createServer((client) => {
    track(client);
    if (silent) return;
    const up = connect(Number(upstream.port), upstream.hostname);
    track(up);
    up.on('close', () => client.destroy());
    client.on('close', () => up.destroy());
    client.pipe(up).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(targetUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as { port: number }).port);
  const dropAll = () => {
    for (const s of sockets) s.destroy();
  };
  return {
    url: url.toString(),
    cut: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        dropAll();
      }),
    silence: () => {
      silent = true;
      dropAll();
    },
  };
}

describe('PostgreSQL failures are StoreErrors', () => {
  let pg: TestDatabase;
  beforeAll(async () => {
    pg = await createTestDatabase();
  });
  afterAll(async () => {
    await pg.drop();
  });

  it('a server that is down (closed port) fails the open with an unavailable StoreError naming the database, without the password', async () => {
    const err = await failureOf(openDatabase('postgres://warden:s3cret-pw@127.0.0.1:1/warden'));
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ kind: 'unavailable' });
    expect((err as Error).message).toMatch(/^the database \(PostgreSQL 127\.0\.0\.1:1\/warden\) is unreachable: .*ECONNREFUSED/);
    expect((err as Error).message).not.toContain('s3cret-pw');
  });

  it('a server that goes down under the running bot: store calls throw StoreError and health says why', async () => {
    const relay = await relayTo(pg.url);
    const database = await openDatabase(relay.url, { poolMax: 2 });
    try {
      const requests = new RequestsStore(database);
      const created = await requests.create(freezeAlice, T0);
      expect(await database.health()).toEqual({ ok: true });
      await relay.cut();
      for (const work of [requests.get(created.id), new AuditStore(database).append({ actor: 'system', event: 'step' }, T0)]) {
        const err = await failureOf(work);
        expect(isStoreError(err)).toBe(true);
        expect(findStoreError(err)?.kind).toBe('unavailable');
        expect((err as Error).message).toMatch(/^the database \(PostgreSQL 127\.0\.0\.1:\d+\/sw_test_\w+\) is unreachable: /);
      }
      const health = await database.health();
      expect(health).toMatchObject({ ok: false, reason: expect.stringMatching(/^the database \(PostgreSQL .*\) is unreachable: .*ECONNREFUSED/) as unknown });
    } finally {
      await database.close();
    }
  });

  it('health gives up after its timeout when the server accepts connections but never answers', async () => {
    const relay = await relayTo(pg.url);
    const database = await openDatabase(relay.url, { connectTimeoutMs: 800, healthTimeoutMs: 300 });
    try {
      relay.silence();
      // Let the pool notice its dropped idle connections, so the probe has to open a new one.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const started = Date.now();
      const health = await database.health();
      expect(Date.now() - started).toBeLessThan(1000);
      expect(health).toMatchObject({
        ok: false,
        reason: expect.stringMatching(/^the database \(PostgreSQL 127\.0\.0\.1:\d+\/sw_test_\w+\) did not answer within 300 ms$/) as unknown,
      });
    } finally {
      await database.close();
      await relay.cut();
    }
  });

  it('an error answered by the server is a query-failed StoreError with the driver error as cause', async () => {
    const database = await openDatabase(pg.url);
    try {
      const err = await failureOf(sql`select * from no_such_table`.execute(database.db));
      expect(err).toBeInstanceOf(StoreError);
      expect(err).toMatchObject({ kind: 'query-failed' });
      expect((err as Error).message).toMatch(/^the database \(PostgreSQL .*\) failed: relation "no_such_table" does not exist$/);
      expect((err as Error).cause).toMatchObject({ code: '42P01' });
    } finally {
      await database.close();
    }
  });
});
