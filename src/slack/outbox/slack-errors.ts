import { TRANSIENT_PLATFORM_ERRORS } from '../errors';
import { ErrorCode } from '@slack/web-api';

/**
 * What to do about a failed delivery:
 * - `retry`: Slack (or the way to it) is down, slow or rate limiting; try again later
 *   (`retryAfterMs` when Slack said when; `unanswered` when no answer came, so Slack may have
 *   performed the call anyway).
 * - `permanent`: Slack refused the message itself (wrong channel, bad blocks, bad token…);
 *   retrying would only repeat the refusal.
 * - `message_gone`: the message to update no longer exists; post a fresh one instead.
 */
export type DeliveryFailure =
  | { kind: 'retry'; reason: string; retryAfterMs?: number; unanswered?: boolean }
  | { kind: 'permanent'; reason: string }
  | { kind: 'message_gone'; reason: string };

/**
 * Slack's own trouble (TRANSIENT_PLATFORM_ERRORS, shared with the access checks) is retried. Every
 * other platform error (channel_not_found, not_in_channel, invalid_blocks, msg_too_long,
 * invalid_auth, account_inactive, …) would be refused again, so it is permanent — except these,
 * which mean the message to edit is gone.
 */
const MESSAGE_GONE_ERRORS = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

interface SlackLikeError {
  code?: unknown;
  retryAfter?: unknown;
  statusCode?: unknown;
  data?: { error?: unknown };
  original?: { name?: unknown; message?: unknown };
  message?: unknown;
}

/** Classifies an error thrown by @slack/web-api's WebClient (created with retries: 0 and rejectRateLimitedCalls). */
export function classifySlackError(err: unknown): DeliveryFailure {
  const e = (err ?? {}) as SlackLikeError;
  switch (e.code) {
    case ErrorCode.RateLimitedError: {
      const seconds = typeof e.retryAfter === 'number' && e.retryAfter >= 0 ? e.retryAfter : 1;
      return { kind: 'retry', reason: `rate limited (Retry-After ${seconds} s)`, retryAfterMs: seconds * 1000 };
    }
    case ErrorCode.PlatformError: {
      const error = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      if (MESSAGE_GONE_ERRORS.has(error)) return { kind: 'message_gone', reason: error };
      return TRANSIENT_PLATFORM_ERRORS.has(error) ? { kind: 'retry', reason: error } : { kind: 'permanent', reason: error };
    }
    case ErrorCode.HTTPError:
      return classifyHttpStatus(typeof e.statusCode === 'number' ? e.statusCode : 0, null);
    case ErrorCode.RequestError: {
      // Network failures and the client's own timeout (an AbortSignal) both land here.
      const cause = typeof e.original?.message === 'string' ? e.original.message : 'request failed';
      return { kind: 'retry', reason: `no answer from Slack: ${cause}`, unanswered: true };
    }
    default:
      // Not a Web API error at all (a bug of the bot, or a database error during delivery): retrying is safe and bounded.
      return { kind: 'retry', reason: typeof e.message === 'string' ? e.message : String(err) };
  }
}

/**
 * HTTP answers other than success, for the Web API and response_urls alike: 429 and 5xx (and
 * 408) are Slack's side and retried; other 4xx (an expired or used response_url, a 404) are final.
 */
export function classifyHttpStatus(status: number, retryAfterSeconds: number | null, body = ''): DeliveryFailure {
  const detail = body.trim().slice(0, 100);
  const reason = `HTTP ${status}${detail && !detail.startsWith('<') ? ` ${detail}` : ''}`;
  if (status === 429) {
    const seconds = retryAfterSeconds !== null && retryAfterSeconds >= 0 ? retryAfterSeconds : 1;
    return { kind: 'retry', reason: `rate limited (Retry-After ${seconds} s)`, retryAfterMs: seconds * 1000 };
  }
  // A server error or a cut-off answer does not say whether the call was performed.
  if (status >= 500 || status === 408 || status === 0) return { kind: 'retry', reason, unanswered: true };
  return { kind: 'permanent', reason };
}

/** Parses a Retry-After header given in seconds (the form Slack uses); null when absent or unreadable. */
export function retryAfterSeconds(header: string | null): number | null {
  if (header === null) return null;
  const n = Number.parseInt(header, 10);
  return Number.isNaN(n) ? null : n;
}
