import { createHash } from 'node:crypto';
import { Client } from 'pg';
import type { Logger } from '../logger';
import { connectionUrlOf, type Database } from './database';
import { toStoreError } from './errors';

/** Leadership of one named job (e.g. "monitor"), held until released or until the holder dies. */
export interface LeaderLock {
  readonly name: string;
  /**
   * Whether this process still leads: ask before each round of work. PostgreSQL: the lock's own
   * connection answers `select 1` within the check timeout (the lock lives exactly as long as
   * that session); once it fails it stays false and the connection is closed, so the lock is
   * surely given up. SQLite: true until released. Never throws.
   */
  isHeld(): Promise<boolean>;
  /** Gives leadership up (another replica's next try gets it). Idempotent; never throws. */
  release(): Promise<void>;
}

export interface LeaderLockOptions {
  /** Give up connecting the lock's connection after this long. */
  connectTimeoutMs?: number;
  /** How long isHeld() waits for `select 1` before deciding the lock is lost. */
  checkTimeoutMs?: number;
  logger?: Logger;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 5000;
const DEFAULT_CHECK_TIMEOUT_MS = 2000;

/**
 * Tries once to become the leader for `name`; null when another process leads now (try again
 * later: a holder that died, even by kill -9, loses the lock as soon as PostgreSQL notices its
 * session is gone).
 *
 * PostgreSQL: a session-level advisory lock taken on a dedicated connection (not the pool, whose
 * connections come and go and would carry the lock off with them). SQLite: always granted. A
 * SQLite database is a file used by one bot process, so there is nobody to elect against; two
 * processes on one SQLite file would both lead, which is why several replicas need PostgreSQL.
 */
export async function acquireLeadership(database: Database, name: string, options: LeaderLockOptions = {}): Promise<LeaderLock | null> {
  if (database.dialect === 'sqlite') return singleProcessLock(name);
  return tryAdvisoryLock(database, name, options);
}

/**
 * The 64-bit advisory lock key for `name`: the first 8 bytes of a SHA-256, so it is the same in
 * every replica and version, and a namespace prefix keeps it apart from other applications'
 * advisory locks on a shared server.
 */
export function leaderLockKey(name: string): bigint {
  return createHash('sha256').update(`session-warden:leader:${name}`).digest().readBigInt64BE(0);
}

function singleProcessLock(name: string): LeaderLock {
  let held = true;
  return {
    name,
    isHeld: () => Promise.resolve(held),
    release() {
      held = false;
      return Promise.resolve();
    },
  };
}

async function tryAdvisoryLock(database: Database, name: string, options: LeaderLockOptions): Promise<LeaderLock | null> {
  const key = leaderLockKey(name).toString();
  const client = new Client({
    connectionString: connectionUrlOf(database),
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    // A half-open TCP connection (leader's host vanished) is noticed by the server sooner.
    keepAlive: true,
    application_name: `session-warden leader:${name}`,
  });
  let lost = false;
  let released = false;
  // Without a listener a dropped connection would crash the process; here it just means "not leader".
  client.on('error', (err) => {
    lost = true;
    options.logger?.warn({ err: { message: err.message }, lock: name }, 'the database: leader lock connection failed; leadership lost');
  });

  try {
    await client.connect();
    const res = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [key]);
    if (res.rows[0]?.locked !== true) {
      await client.end();
      return null;
    }
  } catch (err) {
    await client.end().catch(() => undefined);
    throw toStoreError(err, database.description);
  }

  const checkTimeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  const giveUp = () => {
    lost = true;
    // Not awaited: on a dead socket end() may wait for the OS. Closing is what makes the server
    // drop the lock if, unknown to us, the session is still alive.
    client.end().catch(() => undefined);
  };

  return {
    name,
    async isHeld() {
      if (lost || released) return false;
      try {
        await within(client.query('SELECT 1'), checkTimeoutMs);
        return !lost && !released;
      } catch (err) {
        options.logger?.warn(
          { err: { message: err instanceof Error ? err.message : String(err) }, lock: name },
          `the database (${database.description}): leader lock check failed; leadership lost`,
        );
        giveUp();
        return false;
      }
    },
    async release() {
      if (released) return;
      released = true;
      if (lost) return;
      try {
        await within(client.query('SELECT pg_advisory_unlock($1::bigint)', [key]), checkTimeoutMs);
      } catch {
        // Ending the session below releases it anyway.
      }
      await within(client.end(), checkTimeoutMs).catch(() => undefined);
    },
  };
}

function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
