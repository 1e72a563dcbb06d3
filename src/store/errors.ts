/**
 * Why a store call failed, so callers can word it without parsing messages:
 * - `unavailable`: the server could not be reached or dropped the connection (PostgreSQL down);
 * - `cannot-open`: the database could not be created or opened at start (bad path, no permission);
 * - `file-replaced`: the SQLite file was deleted or swapped under the running bot;
 * - `timeout`: the database did not answer in time;
 * - `audit-chain`: the audit chain head was altered, so nothing is appended on top of it;
 * - `query-failed`: the database answered with an error.
 */
export type StoreErrorKind = 'unavailable' | 'cannot-open' | 'file-replaced' | 'timeout' | 'audit-chain' | 'query-failed';

/**
 * Every failure that comes out of the store (queries, connections, start-up checks) is one of
 * these, so a caller can tell "the database" apart from Salesforce or Slack failures.
 */
export class StoreError extends Error {
  readonly kind: StoreErrorKind;

  constructor(message: string, options: { kind: StoreErrorKind; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'StoreError';
    this.kind = options.kind;
  }
}

/** The StoreError in `err` or in its `cause` chain (callers often wrap what they caught), or null. */
export function findStoreError(err: unknown): StoreError | null {
  let current: unknown = err;
  // Bounded: a cause cycle must not hang the error path.
  for (let depth = 0; depth < 10 && current !== null && current !== undefined; depth++) {
    if (current instanceof StoreError) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return null;
}

export function isStoreError(err: unknown): boolean {
  return findStoreError(err) !== null;
}

/** Node / pg failures that mean "no server to talk to", as opposed to an error answered by one. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EPIPE',
  '57P01',
  '57P02',
  '57P03',
  '53300',
]);
const UNREACHABLE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/i;

function kindOf(err: unknown): StoreErrorKind {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return 'unavailable';
  if (err instanceof Error && UNREACHABLE_MESSAGES.test(err.message)) return 'unavailable';
  return 'query-failed';
}

/** Wraps a driver failure as a StoreError naming the database; StoreErrors pass through unchanged. */
export function toStoreError(err: unknown, database: string): StoreError {
  if (err instanceof StoreError) return err;
  const kind = kindOf(err);
  const detail = err instanceof Error ? err.message || err.name : String(err);
  const what = kind === 'unavailable' ? 'is unreachable' : 'failed';
  return new StoreError(`the database (${database}) ${what}: ${detail}`, { kind, cause: err });
}
