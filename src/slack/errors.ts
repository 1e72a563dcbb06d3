/**
 * Slack failures, classified. @slack/web-api (and Bolt's respond()) throw errors whose `code`
 * says what kind of failure it was; this module tells a passing hiccup (retry in a minute) from
 * a final answer (the bot's token, scopes or arguments are wrong) and words each for a person.
 *
 * Errors are recognised by their `code` strings rather than `instanceof`, because Bolt may carry
 * its own copy of @slack/web-api whose classes differ from ours.
 */

export interface SlackFailure {
  /** True when the same call may well succeed in a minute (Slack down, slow, rate limiting). */
  transient: boolean;
  /** Slack's error code (`internal_error`, `ratelimited`, `missing_scope`…) or `http_503`, `network`, `timeout`. */
  code: string;
  /** Seconds Slack asked us to wait (HTTP 429 Retry-After). */
  retryAfterSec?: number;
  /** One sentence for a person; never a message body, URL, header or token. */
  sentence: string;
}

/** Platform errors (`{ok:false, error}`) Slack documents for trouble on its side rather than in the call. */
export const TRANSIENT_PLATFORM_ERRORS: ReadonlySet<string> = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
  'ratelimited',
  'rate_limited',
  // "Web API and other platform operations will be intermittently unavailable until the transition is complete."
  'team_added_to_org',
]);

/** Platform errors that mean the bot's own installation is wrong: retrying cannot help, an operator must act. */
const INSTALLATION_ERRORS: Record<string, string> = {
  not_authed: "Slack did not receive the bot's token; check SLACK_BOT_TOKEN.",
  invalid_auth: "Slack refused the bot's token (invalid_auth); check SLACK_BOT_TOKEN.",
  account_inactive: "Slack says the bot's token belongs to a deactivated app or user (account_inactive); reinstall the app.",
  token_revoked: "Slack says the bot's token was revoked (token_revoked); reinstall the app and update SLACK_BOT_TOKEN.",
  token_expired: "Slack says the bot's token has expired (token_expired); turn off token rotation or reinstall the app.",
  no_permission: "Slack refused the bot's call (no_permission); check the app's installation and scopes.",
  not_allowed_token_type: "Slack refused the bot's call with this kind of token (not_allowed_token_type); SLACK_BOT_TOKEN must be an xoxb- token.",
  plan_upgrade_required:
    'Slack says this needs a paid Slack plan (plan_upgrade_required): user groups in ADMINS / APPROVERS only work on Standard plans or above.',
};

/** HTTP statuses that say "not now" rather than "never". */
const TRANSIENT_HTTP_STATUS = new Set([408, 425, 429, 500, 502, 503, 504]);

const RETRY_LATER = 'try again in a minute';

interface CodedLike {
  code?: unknown;
  data?: { error?: unknown; needed?: unknown };
  retryAfter?: unknown;
  statusCode?: unknown;
  original?: unknown;
  cause?: unknown;
  message?: unknown;
  name?: unknown;
}

/** Only short, code-shaped strings reach a sentence: nothing a server or a person typed. */
export function safeCode(value: unknown, fallback = 'unknown'): string {
  return typeof value === 'string' && /^[A-Za-z0-9_.:-]{1,60}$/.test(value) ? value : fallback;
}

/**
 * What went wrong with a Slack call, or null when `err` did not come from Slack (a bug in the
 * bot, Salesforce, the database… — see src/describe-failure.ts).
 */
export function classifySlackError(err: unknown): SlackFailure | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as CodedLike;
  switch (e.code) {
    case 'slack_webapi_platform_error':
      return platformFailure(safeCode(e.data?.error), e.data?.needed);
    case 'slack_webapi_rate_limited_error':
      return rateLimited(typeof e.retryAfter === 'number' ? e.retryAfter : undefined);
    case 'slack_webapi_http_error':
      return httpFailure(typeof e.statusCode === 'number' ? e.statusCode : 0);
    case 'slack_webapi_request_error':
      // The client wraps its own "rate limit was exceeded" Error (thrown after waiting out a 429) too.
      return uncodedRateLimit((e.original as CodedLike | undefined)?.message) ?? networkFailure(e.original ?? e.cause);
    case 'slack_bolt_respond_error':
      return respondFailure(typeof e.statusCode === 'number' ? e.statusCode : 0);
    default:
      return uncodedRateLimit(e.message);
  }
}

function platformFailure(code: string, needed: unknown): SlackFailure {
  if (code === 'ratelimited' || code === 'rate_limited') return rateLimited(undefined);
  if (TRANSIENT_PLATFORM_ERRORS.has(code)) {
    return { transient: true, code, sentence: `Slack had a problem on its side (${code}); ${RETRY_LATER}.` };
  }
  const installation = INSTALLATION_ERRORS[code];
  if (installation) return { transient: false, code, sentence: installation };
  if (code === 'missing_scope') {
    const scope = safeCode(needed, '');
    return {
      transient: false,
      code,
      sentence: `Slack says the bot lacks a permission (missing_scope${scope ? `: ${scope}` : ''}); reinstall the app with the scopes in manifest.yml.`,
    };
  }
  return { transient: false, code, sentence: `Slack refused the bot's request (${code}). The log has the detail.` };
}

function rateLimited(retryAfterSec: number | undefined): SlackFailure {
  const wait = retryAfterSec !== undefined && retryAfterSec > 60 ? `try again in about ${Math.ceil(retryAfterSec / 60)} minutes` : RETRY_LATER;
  return {
    transient: true,
    code: 'ratelimited',
    ...(retryAfterSec !== undefined ? { retryAfterSec } : {}),
    sentence: `Slack is rate limiting the bot right now; ${wait}.`,
  };
}

function httpFailure(status: number): SlackFailure {
  const code = `http_${status}`;
  if (status === 429) return rateLimited(undefined);
  if (TRANSIENT_HTTP_STATUS.has(status)) {
    return { transient: true, code, sentence: `Slack did not answer properly (HTTP ${status}); ${RETRY_LATER}.` };
  }
  // A 404 or 403 from the Web API means the bot is talking to the wrong place (SLACK_API_URL) or is blocked.
  return { transient: false, code, sentence: `Slack answered HTTP ${status}; check SLACK_API_URL and the network path to Slack.` };
}

/**
 * fetch failures: the socket error sits in `cause`; a timeout is an AbortSignal TimeoutError. When
 * the failure came from another realm (a VM context, jest) the client re-wraps it as
 * `new Error(String(error))`, so only the text "TimeoutError: …" / "TypeError: fetch failed" is left.
 */
const TIMEOUT_TEXT = /^(?:TimeoutError|AbortError)\b|aborted due to timeout/;

function networkFailure(original: unknown): SlackFailure {
  const o = (typeof original === 'object' && original !== null ? original : {}) as CodedLike;
  const inner = (typeof o.cause === 'object' && o.cause !== null ? o.cause : {}) as CodedLike;
  const timedOut =
    o.name === 'TimeoutError' ||
    o.name === 'AbortError' ||
    inner.code === 'ETIMEDOUT' ||
    o.code === 'ETIMEDOUT' ||
    (typeof o.message === 'string' && TIMEOUT_TEXT.test(o.message));
  if (timedOut) return { transient: true, code: 'timeout', sentence: `Slack did not answer in time; ${RETRY_LATER}.` };
  const code = safeCode(inner.code ?? o.code, 'network');
  return { transient: true, code, sentence: `The bot could not reach Slack (${code}); ${RETRY_LATER}.` };
}

/** Bolt's respond(): a response_url is good for 5 posts within 30 minutes, then answers 404. */
function respondFailure(status: number): SlackFailure {
  if (status === 404) {
    return {
      transient: false,
      code: 'expired_url',
      sentence: 'That Slack message is too old to answer (its reply link expires after 30 minutes); run the command again.',
    };
  }
  if (TRANSIENT_HTTP_STATUS.has(status)) {
    return status === 429
      ? rateLimited(undefined)
      : { transient: true, code: `http_${status}`, sentence: `Slack did not take the reply (HTTP ${status}); ${RETRY_LATER}.` };
  }
  return { transient: false, code: `http_${status}`, sentence: `Slack refused the reply (HTTP ${status}). The log has the detail.` };
}

/**
 * With rejectRateLimitedCalls off (the default), @slack/web-api waits out a 429, then throws a
 * plain Error with only a message, e.g. "A rate limit was exceeded (url: …/users.info,
 * retry-after: 3)", to retry; when retries run out that Error surfaces as the `original` of a
 * WebAPIRequestError (or bare, from older clients).
 */
const UNCODED_RATE_LIMIT = /^A rate limit was exceeded \(url: [^,]*, retry-after: (\d+)\)$/;
const UNCODED_BAD_RETRY_HEADER = /^Retry header did not contain a valid timeout \(url: /;

function uncodedRateLimit(message: unknown): SlackFailure | null {
  if (typeof message !== 'string') return null;
  const limited = UNCODED_RATE_LIMIT.exec(message);
  if (limited?.[1] !== undefined) return rateLimited(Number(limited[1]));
  if (UNCODED_BAD_RETRY_HEADER.test(message)) return rateLimited(undefined);
  return null;
}
