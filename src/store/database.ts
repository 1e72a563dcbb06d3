import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { Pool } from 'pg';
import type { Logger } from '../logger';
import { migrateToLatest } from './migrate';
import type { Tables } from './schema';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<Tables>;
  dialect: Dialect;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL pool size; ignored for SQLite (one connection). */
  poolMax?: number;
  /** Idle pool clients can fail (server restart, admin kill); without a listener pg would crash the process. */
  logger?: Logger;
}

/** A busy SQLite file (another replica writing) is waited for this long before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens `sqlite:<path>`, `sqlite::memory:`, `postgres://…` or `postgresql://…` and brings the
 * schema up to date before returning.
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const { db, dialect } = connect(url, options);
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  let closed = false;
  return {
    db,
    dialect,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

function connect(url: string, options: OpenOptions): { db: Kysely<Tables>; dialect: Dialect } {
  if (url.startsWith('sqlite:')) {
    return { db: new Kysely<Tables>({ dialect: new SqliteDialect({ database: openSqlite(url.slice('sqlite:'.length)) }) }), dialect: 'sqlite' };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const pool = new Pool({ connectionString: url, max: options.poolMax ?? 10 });
    pool.on('error', (err) => {
      options.logger?.warn({ err: { message: err.message } }, 'idle PostgreSQL connection failed; the pool will replace it');
    });
    return { db: new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new Error(
    `unsupported database URL scheme ${scheme ? `"${scheme}:"` : '(none)'}: use sqlite:<path>, sqlite::memory: or postgres://user@host:port/db`,
  );
}

function openSqlite(rest: string): SQLite.Database {
  if (rest === ':memory:') return new SQLite(':memory:');
  // Accept the URL-ish `sqlite:///abs/path` as well as `sqlite:/abs/path` and `sqlite:rel/path`.
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === '') throw new Error('sqlite URL needs a file path, e.g. sqlite:data/warden.db, or sqlite::memory:');
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  // WAL lets readers run while a writer commits; NORMAL sync is durable across app crashes in WAL mode.
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  return sqlite;
}
