import { backoffDelay, type BackoffPolicy } from './backoff';
import { SalesforceError } from './errors';
import { isLostAnswer } from './lost-answer';

/**
 * How often, and how far apart, a change call that Salesforce answered "busy" is sent again. Only
 * changes that are safe to repeat use it (ending a session, freezing, deactivating, revoking a
 * token); a password reset mails the user each time and is never repeated.
 */
export interface ChangeRetryPolicy extends BackoffPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** A Retry-After longer than this is not waited for: the step reports the answer instead. */
  maxRetryAfterMs: number;
}

/**
 * 0.5 s, 1 s, 2 s (up to 20 % shorter at random): three retries ride out the short 503s of an
 * instance under load within a few seconds, while the approver is still watching the thread.
 */
export const CHANGE_RETRY: ChangeRetryPolicy = { retries: 3, initialMs: 500, factor: 2, maxMs: 4_000, jitter: 0.2, maxRetryAfterMs: 30_000 };

/** What the retries of one change met: how many, and the last busy answer (for the step line). */
export interface Retried {
  count: number;
  status?: number;
  code: string;
}

/**
 * A Salesforce answer with the HTTP status and Retry-After that jsforce leaves out of its errors
 * (it keeps only the body's errorCode and message).
 */
export class HttpAnswerError extends SalesforceError {
  constructor(
    cause: SalesforceError,
    status: number,
    readonly retryAfterMs: number | null,
  ) {
    super(cause.errorCode, cause.message, status);
    this.name = cause.name;
  }
}

/** Codes of answers meaning "busy, try again", whatever status jsforce kept. */
const BUSY_CODES: ReadonlySet<string> = new Set(['SERVER_UNAVAILABLE', 'ERROR_HTTP_429', 'ERROR_HTTP_503']);

/**
 * True for a 5xx or 429 answer, with or without a Salesforce error body. Such an answer proves
 * nothing either way: an instance under load can make the change and still answer 503
 * SERVER_UNAVAILABLE, so the caller retries (when repeating is harmless) and reads back.
 */
export function isServerBusy(err: SalesforceError): boolean {
  if (err.status !== undefined && (err.status >= 500 || err.status === 429)) return true;
  return BUSY_CODES.has(err.errorCode) || /^ERROR_HTTP_5\d\d$/.test(err.errorCode);
}

/** Retry-After as Salesforce (or a proxy in front of it) may send it: seconds, or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs: number = Date.now()): number | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** The wait before retry `retry` (1 = the first); null when Salesforce asked for longer than the policy waits. */
export function retryDelay(err: SalesforceError, retry: number, policy: ChangeRetryPolicy, random: () => number = Math.random): number | null {
  const asked = err instanceof HttpAnswerError ? err.retryAfterMs : null;
  if (asked !== null) return asked > policy.maxRetryAfterMs ? null : asked;
  return backoffDelay(retry, policy, random);
}

/** "after 2 retries (503 SERVER_UNAVAILABLE)" */
export function retriedText(r: Retried): string {
  const answer = r.status !== undefined && !r.code.endsWith(String(r.status)) ? `${r.status} ${r.code}` : r.code;
  return `after ${r.count} ${r.count === 1 ? 'retry' : 'retries'} (${answer})`;
}

export type Attempted<T> = { ok: true; value: T; retried?: Retried } | { ok: false; error: SalesforceError; retried?: Retried };

/**
 * Sends `attempt` once, then again while Salesforce answers busy with an answer of its own (an
 * error body such as SERVER_UNAVAILABLE, or a 429), up to the policy's retries.
 * Never throws: the last error comes back with what the retries met.
 */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  toError: (err: unknown) => SalesforceError,
  options: { policy: ChangeRetryPolicy; sleep: (ms: number) => Promise<void>; onRetry?: (err: SalesforceError, retry: number, waitMs: number) => void },
): Promise<Attempted<T>> {
  let retried: Retried | undefined;
  for (let retry = 0; ; retry += 1) {
    try {
      const value = await attempt();
      return { ok: true, value, ...(retried ? { retried } : {}) };
    } catch (err) {
      const e = toError(err);
      // A lost answer (timeout, bodyless 5xx) is read back by the caller before anything is sent again.
      const wait = isServerBusy(e) && !isLostAnswer(e) && retry < options.policy.retries ? retryDelay(e, retry + 1, options.policy) : null;
      if (wait === null) return { ok: false, error: e, ...(retried ? { retried } : {}) };
      options.onRetry?.(e, retry + 1, wait);
      await options.sleep(wait);
      retried = { count: retry + 1, code: e.errorCode, ...(e.status !== undefined ? { status: e.status } : {}) };
    }
  }
}
