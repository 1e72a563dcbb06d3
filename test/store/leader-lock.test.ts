import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { Client } from 'pg';
import { connectionUrlOf, openDatabase, type Database } from '../../src/store/database';
import { StoreError } from '../../src/store/errors';
import { acquireLeadership, leaderLockKey, type LeaderLock } from '../../src/store/leader-lock';
import { createTestDatabase } from '../support/postgres';
import { useDatabase } from '../support/databases';

describe('leaderLockKey', () => {
  it('is the same 64-bit key in every process and version, and differs by name', () => {
    // Pinned: replicas of two versions during a rolling deploy must contend for the same lock.
    expect(leaderLockKey('monitor')).toBe(leaderLockKey('monitor'));
    expect(leaderLockKey('monitor')).toBe(-7359027345277707184n);
    expect(leaderLockKey('monitor')).not.toBe(leaderLockKey('monitor2'));
    const key = leaderLockKey('anything');
    expect(key >= -(2n ** 63n) && key < 2n ** 63n).toBe(true);
  });
});

describe('leader lock on sqlite', () => {
  const database = useDatabase('sqlite');

  it('is always granted (one process per SQLite file) and held until released', async () => {
    const first = await acquireLeadership(database(), 'monitor');
    const second = await acquireLeadership(database(), 'monitor');
    expect(first).not.toBeNull();
    expect(second).not.toBeNull();
    expect(await first?.isHeld()).toBe(true);
    await first?.release();
    await first?.release();
    expect(await first?.isHeld()).toBe(false);
    expect(await second?.isHeld()).toBe(true);
  });
});

describe('leader lock on postgres', () => {
  const database = useDatabase('postgres');
  const held: LeaderLock[] = [];
  let admin: Client;

  // Per test: the database is dropped WITH (FORCE) after all tests, which would kill a longer-lived client.
  beforeEach(async () => {
    admin = new Client({ connectionString: connectionUrlOf(database()) });
    await admin.connect();
  });
  afterEach(async () => {
    await Promise.all(held.splice(0).map((lock) => lock.release()));
    await admin.end();
  });

  async function acquire(name: string, db: Database = database()): Promise<LeaderLock | null> {
    const lock = await acquireLeadership(db, name, { checkTimeoutMs: 1000 });
    if (lock) held.push(lock);
    return lock;
  }

  /** Backends holding the advisory lock of `name`, as PostgreSQL reports them (pg_locks splits the key in two). */
  async function holders(name: string): Promise<number[]> {
    const key = BigInt.asUintN(64, leaderLockKey(name));
    const res = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::bigint::oid AND objid = $2::bigint::oid AND objsubid = 1`,
      [(key >> 32n).toString(), (key & 0xffffffffn).toString()],
    );
    return res.rows.map((r) => r.pid);
  }

  it('grants the lock to exactly one of several contenders', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => acquire('monitor')));
    const winners = results.filter((l): l is LeaderLock => l !== null);
    expect(winners).toHaveLength(1);
    expect(await winners[0]?.isHeld()).toBe(true);
    expect(await holders('monitor')).toHaveLength(1);
    // Another name is another lock.
    expect(await acquire('other-job')).not.toBeNull();
  });

  it('passes to another replica when the holder releases it', async () => {
    const leader = await acquire('monitor');
    expect(leader).not.toBeNull();
    expect(await acquire('monitor')).toBeNull();
    await leader?.release();
    expect(await leader?.isHeld()).toBe(false);
    expect(await holders('monitor')).toEqual([]);
    const next = await acquire('monitor');
    expect(await next?.isHeld()).toBe(true);
  });

  it('passes to another replica when the holder’s session dies (what kill -9 looks like to PostgreSQL)', async () => {
    const leader = await acquire('monitor');
    expect(await acquire('monitor')).toBeNull();
    const [pid] = await holders('monitor');
    expect(pid).toBeDefined();

    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    // The dead holder finds out on its next check, and stays out.
    expect(await leader?.isHeld()).toBe(false);
    expect(await leader?.isHeld()).toBe(false);
    const successor = await acquire('monitor');
    expect(successor).not.toBeNull();
    expect(await successor?.isHeld()).toBe(true);
    expect(await holders('monitor')).toHaveLength(1);
    expect(await holders('monitor')).not.toContain(pid);
  });

  it('passes to another replica when the holding process is killed with SIGKILL', async () => {
    const child = spawn(process.execPath, ['--require', 'tsx/cjs', join(__dirname, '../support/leader-holder.ts'), connectionUrlOf(database()), 'monitor'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await waitFor(() => output.includes('held') || child.exitCode !== null, 30_000);
      expect(output).toBe('held\n');
      expect(await acquire('monitor')).toBeNull();

      child.kill('SIGKILL');
      await once(child, 'exit');
      // PostgreSQL sees the socket close and ends the session, and with it the lock.
      const started = Date.now();
      const successor = await eventually(() => acquire('monitor'), 10_000);
      expect(await successor.isHeld()).toBe(true);
      console.log(`leader lock taken over ${Date.now() - started} ms after the holder was killed with SIGKILL`);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 45_000);

  it('fails as a StoreError naming the database when its connection cannot be made', async () => {
    const doomed = await createTestDatabase();
    const gone = await openDatabase(doomed.url);
    try {
      await doomed.drop();
      const failure = await acquireLeadership(gone, 'monitor', { connectTimeoutMs: 2000 }).catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(StoreError);
      expect((failure as StoreError).message).toContain(gone.description);
      expect((failure as StoreError).message).toContain('does not exist');
    } finally {
      await gone.close();
    }
  });
});

async function waitFor(done: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The first non-null answer of `attempt`, tried every 50 ms. */
async function eventually<T>(attempt: () => Promise<T | null>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const result = await attempt();
    if (result !== null) return result;
    if (Date.now() > deadline) throw new Error(`no result within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
