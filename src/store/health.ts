import { sql, type Kysely } from 'kysely';
import { StoreError } from './errors';

export type DatabaseHealth = { ok: true } | { ok: false; reason: string };

/** A probe that waits longer than this tells /healthz nothing useful. */
export const DEFAULT_HEALTH_TIMEOUT_MS = 2000;

function within<T>(work: Promise<T>, ms: number, database: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreError(`the database (${database}) did not answer within ${ms} ms`, { kind: 'timeout' })), ms);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One `select 1` through the same connection path the stores use (so a replaced SQLite file or
 * a dead PostgreSQL shows here exactly as it would on a request), bounded by `timeoutMs`.
 * Never throws: the reason is a sentence for logs and /healthz.
 */
export async function probeDatabase<Schema>(db: Kysely<Schema>, options: { database: string; timeoutMs?: number }): Promise<DatabaseHealth> {
  try {
    await within(sql`select 1`.execute(db), options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS, options.database);
    return { ok: true };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.message : String(err) };
  }
}
