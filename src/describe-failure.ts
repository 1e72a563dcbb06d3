/**
 * The one place that turns any error into a sentence for Slack, naming the party really at fault:
 * Slack, Salesforce, the bot's database, or the bot itself. Each recogniser answers only for the
 * errors it can prove are its own; whatever none of them claims is the bot's own bug — never
 * "Salesforce returned an error" for a TypeError.
 *
 * Sentences carry codes only (Slack's error code, Salesforce's errorCode, SQLSTATE, SQLITE_*,
 * an error class name): never a message, URL, stack trace or anything a server echoed back.
 */
import { describeSalesforceError, SalesforceError } from './salesforce/errors';
import { classifySlackError, safeCode } from './slack/errors';
import { findStoreError, type StoreError } from './store/errors';

export type FailureCause = 'slack' | 'salesforce' | 'database' | 'bot';

export interface FailureDescription {
  cause: FailureCause;
  sentence: string;
}

export interface FailureContext {
  /**
   * The PostgreSQL server from DATABASE_URL (see databaseEndpoint), so a bare connection error
   * to it is blamed on the database. Without it such errors are not guessed at.
   */
  database?: DatabaseEndpoint | null;
  /** The log reference the person can quote; named in the sentence for the bot's own errors. */
  reference?: string;
}

export interface DatabaseEndpoint {
  host: string;
  port: number;
}

/**
 * Error-shaped, whatever realm made it: a native addon (better-sqlite3) or a test sandbox can
 * throw errors that fail `instanceof Error` here, and must still be told apart by name and code.
 */
interface ErrorLike {
  name: string;
  message: string;
  cause?: unknown;
}

function isErrorLike(v: unknown): v is ErrorLike {
  if (v instanceof Error) return true;
  const o = v as { name?: unknown; message?: unknown } | null;
  return typeof v === 'object' && v !== null && typeof o?.name === 'string' && typeof o.message === 'string';
}

/** Wrappers (`new Error('…', { cause })`) are looked through this deep for the real failure. */
const MAX_CAUSE_DEPTH = 5;

export function describeFailure(err: unknown, context: FailureContext = {}): FailureDescription {
  let current: unknown = err;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== null && current !== undefined; depth++) {
    const known = describeKnown(current, context);
    if (known) return known;
    current = isErrorLike(current) ? current.cause : undefined;
  }
  return { cause: 'bot', sentence: botSentence(err, context.reference) };
}

function describeKnown(err: unknown, context: FailureContext): FailureDescription | null {
  const slack = classifySlackError(err);
  if (slack) return { cause: 'slack', sentence: slack.sentence };
  if (isSalesforceFailure(err)) return { cause: 'salesforce', sentence: describeSalesforceError(err) };
  const database = describeDatabaseFailure(err, context.database ?? null);
  if (database) return { cause: 'database', sentence: database };
  return null;
}

// --- Salesforce --------------------------------------------------------------------------------

/** OAuth error codes jsforce puts in `name` when the token endpoint refuses a login. */
const OAUTH_ERRORS = new Set([
  'invalid_grant',
  'invalid_client_id',
  'invalid_client',
  'invalid_request',
  'unsupported_grant_type',
  'unauthorized_client',
  'inactive_user',
  'inactive_org',
]);

/**
 * Only what Salesforce (through jsforce) really said: the bot's SalesforceError (every REST call
 * is normalised to one in src/salesforce/rest.ts), jsforce's HttpApiError (whose `name` is the
 * Salesforce errorCode), its OAuth errors, and its "Unable to refresh session" wrapper. A plain
 * TypeError is not Salesforce even though toSalesforceError would happily give it a code.
 */
function isSalesforceFailure(err: unknown): boolean {
  if (err instanceof SalesforceError) return true;
  if (!isErrorLike(err)) return false;
  const { errorCode } = err as { errorCode?: unknown };
  if (typeof errorCode === 'string' && errorCode === err.name) return true;
  if (OAUTH_ERRORS.has(err.name)) return true;
  return err.message.startsWith('Unable to refresh session');
}

// --- The database ------------------------------------------------------------------------------

type DatabaseRecogniser = (err: unknown, endpoint: DatabaseEndpoint | null) => string | null;

/**
 * In order: the store's own StoreError (src/store/errors.ts; every store call should end as one),
 * then raw driver errors that reach a listener without being wrapped.
 */
const DATABASE_RECOGNISERS: DatabaseRecogniser[] = [storeFailure, sqliteFailure, postgresFailure, connectionFailure];

function describeDatabaseFailure(err: unknown, endpoint: DatabaseEndpoint | null): string | null {
  for (const recognise of DATABASE_RECOGNISERS) {
    const sentence = recognise(err, endpoint);
    if (sentence) return sentence;
  }
  return null;
}

const TRY_AGAIN = 'try again in a minute';

function storeFailure(err: unknown): string | null {
  const store: StoreError | null = err instanceof Error ? findStoreError(err) : null;
  if (!store) return null;
  switch (store.kind) {
    case 'unavailable':
      return `The bot cannot reach its database right now; ${TRY_AGAIN}. If it lasts, check that the database named in DATABASE_URL is running.`;
    case 'timeout':
      return `The bot's database did not answer in time; ${TRY_AGAIN}.`;
    case 'cannot-open':
      return "The bot cannot open its database: check DATABASE_URL, and the file's folder and permissions.";
    case 'file-replaced':
      return "The bot's SQLite database file was deleted or replaced while the bot was running; restart the bot and check the file.";
    case 'audit-chain':
      return 'The latest audit row was altered, so the bot records nothing on top of it; run `npm run audit:verify`.';
    case 'query-failed': {
      // The driver's code, when the store kept the driver error as its cause.
      const detail = store.cause === undefined ? null : (sqliteFailure(store.cause) ?? postgresFailure(store.cause));
      return detail ?? "The bot's database refused the request. The log has the detail.";
    }
    default:
      return "The bot's database failed. The log has the detail.";
  }
}

/** better-sqlite3's SqliteError: `code` is SQLITE_* (extended codes such as SQLITE_CONSTRAINT_UNIQUE too). */
function sqliteFailure(err: unknown): string | null {
  if (!isErrorLike(err) || err.name !== 'SqliteError') return null;
  const code = safeCode((err as { code?: unknown }).code, '');
  if (!code.startsWith('SQLITE_')) return null;
  const primary = /^SQLITE_[A-Z]+/.exec(code)?.[0] ?? code;
  switch (primary) {
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return `The bot's database file is busy (${code}); ${TRY_AGAIN}.`;
    case 'SQLITE_FULL':
      return `The disk holding the bot's database is full (${code}); free some space.`;
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
    case 'SQLITE_IOERR':
      return `The bot cannot read or write its database file (${code}); check the file, its folder's permissions and the disk.`;
    case 'SQLITE_CORRUPT':
    case 'SQLITE_NOTADB':
      return `The bot's database file is damaged (${code}); restore it from a backup.`;
    default:
      return `The bot's database refused the request (${code}). The log has the detail.`;
  }
}

/** pg's DatabaseError: a five-character SQLSTATE in `code`, and always a `severity`. */
function postgresFailure(err: unknown): string | null {
  if (!isErrorLike(err)) return null;
  const { code, severity } = err as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || typeof severity !== 'string') return null;
  const sqlClass = code.slice(0, 2);
  if (sqlClass === '08' || sqlClass === '53' || code.startsWith('57P') || code === '40001' || code === '40P01') {
    return `The bot's database is unavailable or busy right now (SQLSTATE ${code}); ${TRY_AGAIN}.`;
  }
  if (sqlClass === '28') return `The database refused the bot's login (SQLSTATE ${code}); check the user and password in DATABASE_URL.`;
  if (code === '3D000') return 'The database named in DATABASE_URL does not exist (SQLSTATE 3D000).';
  if (sqlClass === '42')
    return `The database rejected the bot's statement (SQLSTATE ${code}); its schema may not match this version of the bot. The log has the detail.`;
  return `The bot's database refused the request (SQLSTATE ${code}). The log has the detail.`;
}

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

interface SystemErrorLike {
  code?: unknown;
  address?: unknown;
  port?: unknown;
  hostname?: unknown;
  errors?: unknown;
}

/**
 * A bare Node socket error to the database server (pg passes them through unwrapped). Node 20
 * tries every address of a name and reports an AggregateError whose `errors` carry the addresses.
 */
function connectionFailure(err: unknown, endpoint: DatabaseEndpoint | null): string | null {
  if (!endpoint || typeof err !== 'object' || err === null) return null;
  const e = err as SystemErrorLike;
  if (typeof e.code !== 'string' || !CONNECT_ERRORS.has(e.code)) return null;
  const attempts = Array.isArray(e.errors) ? (e.errors as SystemErrorLike[]) : [e];
  if (!attempts.some((a) => pointsAt(a, endpoint))) return null;
  return `The bot cannot reach its database (${e.code}); ${TRY_AGAIN}. If it lasts, check that PostgreSQL is running where DATABASE_URL points.`;
}

function pointsAt(attempt: SystemErrorLike, endpoint: DatabaseEndpoint): boolean {
  if (attempt.hostname !== undefined) return attempt.hostname === endpoint.host;
  if (attempt.port !== endpoint.port) return false;
  // A host name resolves to addresses we cannot know here; the port alone has to do.
  return attempt.address === endpoint.host || !isIpLiteral(endpoint.host);
}

function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** The PostgreSQL server of a DATABASE_URL (default port 5432), or null for SQLite. */
export function databaseEndpoint(databaseUrl: string): DatabaseEndpoint | null {
  if (!/^postgres(?:ql)?:\/\//i.test(databaseUrl)) return null;
  try {
    const url = new URL(databaseUrl);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    return host ? { host, port: url.port ? Number(url.port) : 5432 } : null;
  } catch {
    return null;
  }
}

// --- The bot itself ----------------------------------------------------------------------------

function botSentence(err: unknown, reference: string | undefined): string {
  const kind = isErrorLike(err) ? safeCode(err.name, 'Error') : err === null ? 'null' : typeof err;
  const ref = reference ? safeCode(reference, '') : '';
  return `The bot hit an internal error (${kind}); the log has the detail${ref ? ` with reference ${ref}` : ''}.`;
}
