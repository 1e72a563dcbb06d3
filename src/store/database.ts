import { resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type Dialect as KyselyDialect } from 'kysely';
import { Pool } from 'pg';
import type { Logger } from '../logger';
import { findStoreError, StoreError, toStoreError } from './errors';
import { GuardedDialect } from './guarded-dialect';
import { probeDatabase, type DatabaseHealth } from './health';
import { migrateToLatest } from './migrate';
import type { Tables } from './schema';
import { prepareSqliteFile, SqliteFileWatch } from './sqlite-file';

export type Dialect = 'sqlite' | 'postgres';

export interface Database {
  db: Kysely<Tables>;
  dialect: Dialect;
  /** Names the database in messages and logs, without credentials: "SQLite /srv/warden.db", "PostgreSQL db.internal:5432/warden". */
  description: string;
  /**
   * Whether the database answers now: `select 1` within a short timeout, and for SQLite that the
   * file at the path is still the one opened at start. For /healthz and before risky work; never throws.
   */
  health(): Promise<DatabaseHealth>;
  /** The SQLite file's absolute path; null for PostgreSQL and in-memory SQLite. */
  sqliteFile?: string | null;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL pool size; ignored for SQLite (one connection). */
  poolMax?: number;
  /** Idle pool clients can fail (server restart, admin kill); without a listener pg would crash the process. */
  logger?: Logger;
  /** PostgreSQL: give up on a new connection after this long instead of waiting for the OS (minutes). */
  connectTimeoutMs?: number;
  /** How long health() waits for `select 1`. */
  healthTimeoutMs?: number;
}

/** A busy SQLite file (another replica writing) is waited for this long before SQLITE_BUSY. */
const SQLITE_BUSY_TIMEOUT_MS = 5000;
const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

interface Connected {
  db: Kysely<Tables>;
  dialect: Dialect;
  description: string;
  /** SQLite files only. */
  watch: SqliteFileWatch | null;
}

/**
 * Opens `sqlite:<path>`, `sqlite::memory:`, `postgres://…` or `postgresql://…` and brings the
 * schema up to date before returning. Every failure, here and in later queries, is a StoreError.
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const connected = connect(url, options);
  const { db, dialect, description, watch } = connected;
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.destroy();
    watch?.close();
    throw migrationFailure(err, description);
  }
  let closed = false;
  const database: Database = {
    db,
    dialect,
    description,
    health: () => probeDatabase(db, { database: description, timeoutMs: options.healthTimeoutMs }),
    sqliteFile: watch?.file ?? null,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.destroy();
      } finally {
        watch?.close();
      }
    },
  };
  openedWith.set(database, url);
  return database;
}

/** Kept off the Database object itself, so logging or serialising one never prints a password. */
const openedWith = new WeakMap<Database, string>();

/**
 * The URL `database` was opened with, for a connection outside its pool (the leader lock's
 * dedicated PostgreSQL session). It may carry a password: never log it.
 */
export function connectionUrlOf(database: Database): string {
  const url = openedWith.get(database);
  if (url === undefined) throw new Error('the bot: this Database was not opened by openDatabase, so its URL is unknown');
  return url;
}

/** An unreachable server is the story, not the migration that happened to be the first query. */
function migrationFailure(err: unknown, description: string): StoreError {
  const underlying = findStoreError(err);
  if (underlying && underlying.kind !== 'query-failed') return underlying;
  if (underlying) return new StoreError(err instanceof Error ? err.message : String(err), { kind: underlying.kind, cause: err });
  return toStoreError(err, description);
}

function connect(url: string, options: OpenOptions): Connected {
  if (url.startsWith('sqlite:')) return connectSqlite(url.slice('sqlite:'.length), options);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return connectPostgres(url, options);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
  throw new StoreError(
    `unsupported database URL scheme ${scheme ? `"${scheme}:"` : '(none)'}: use sqlite:<path>, sqlite::memory: or postgres://user@host:port/db`,
    { kind: 'cannot-open' },
  );
}

function guarded(inner: KyselyDialect, description: string, watch: SqliteFileWatch | null): Kysely<Tables> {
  const beforeStatement = watch ? () => watch.assertUnchanged() : undefined;
  return new Kysely<Tables>({ dialect: new GuardedDialect(inner, { database: description, beforeStatement }) });
}

function connectPostgres(url: string, options: OpenOptions): Connected {
  const description = `PostgreSQL ${postgresLocation(url)}`;
  const pool = new Pool({
    connectionString: url,
    max: options.poolMax ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
  });
  pool.on('error', (err) => {
    options.logger?.warn({ err: { message: err.message } }, 'idle PostgreSQL connection failed; the pool will replace it');
  });
  // A connection that dies while checked out (server down mid-request) emits 'error' with no pool
  // listener attached, which would crash the process; the query in flight fails as a StoreError anyway.
  pool.on('connect', (client) => {
    client.on('error', (err) => {
      options.logger?.debug({ err: { message: err.message } }, 'PostgreSQL connection in use failed');
    });
  });
  return { db: guarded(new PostgresDialect({ pool }), description, null), dialect: 'postgres', description, watch: null };
}

/** host:port/database only: the URL may carry a password. */
function postgresLocation(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || '5432'}${u.pathname || '/'}`;
  } catch {
    return '(unparsable URL)';
  }
}

function connectSqlite(rest: string, options: OpenOptions): Connected {
  if (rest === ':memory:') {
    const description = 'SQLite in memory';
    return { db: guarded(new SqliteDialect({ database: new SQLite(':memory:') }), description, null), dialect: 'sqlite', description, watch: null };
  }
  // Accept the URL-ish `sqlite:///abs/path` as well as `sqlite:/abs/path` and `sqlite:rel/path`.
  const path = rest.startsWith('//') ? rest.slice(2) : rest;
  if (path === '') throw new StoreError('sqlite URL needs a file path, e.g. sqlite:data/warden.db, or sqlite::memory:', { kind: 'cannot-open' });
  const file = resolve(path);
  const description = `SQLite ${file}`;
  prepareSqliteFile(file);
  // Taken before SQLite opens the file, so a swap in between shows up as a change.
  const watch = new SqliteFileWatch(file, options.logger);
  let sqlite: SQLite.Database | undefined;
  try {
    sqlite = new SQLite(file, { fileMustExist: true });
    // WAL lets readers run while a writer commits; NORMAL sync is durable across app crashes in WAL mode.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // Checkpoints (WAL pages copied into the file) every ~40 MB rather than SQLite's 4 MB: the first
    // start's backfill writes hundreds of MB, and checkpointing ten times as often cost a fifth of
    // its writes. The WAL file is cut back to 64 MB after a checkpoint, so it does not stay that size.
    sqlite.pragma('wal_autocheckpoint = 10000');
    sqlite.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
  } catch (err) {
    sqlite?.close();
    watch.close();
    throw new StoreError(`the database: cannot open sqlite file ${file}: ${err instanceof Error ? err.message : String(err)}`, {
      kind: 'cannot-open',
      cause: err,
    });
  }
  return { db: guarded(new SqliteDialect({ database: sqlite }), description, watch), dialect: 'sqlite', description, watch };
}
