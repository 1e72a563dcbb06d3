/**
 * Salesforce failures, normalised. jsforce throws errors whose `errorCode`/`name` carry the
 * Salesforce code; composite sub-responses carry `[{errorCode, message}]`. Both become a
 * SalesforceError, and `describeSalesforceError` turns any of them into a sentence an admin can act on.
 */
export class SalesforceError extends Error {
  constructor(
    public readonly errorCode: string,
    message: string,
    public readonly status?: number,
  ) {
    super(message);
    this.name = 'SalesforceError';
  }
}

/**
 * What the token endpoint said when the bot could not log in. Only Salesforce's own words are
 * kept here, never what the bot sent.
 * - refused: Salesforce answered and said no (a 4xx such as invalid_grant): a person must fix something;
 * - unavailable: it answered 5xx or 429; unreachable: it did not answer (network error);
 * - error: anything else went wrong in the bot's own login code.
 */
export interface LoginFailure {
  kind: 'refused' | 'unavailable' | 'unreachable' | 'error';
  /** The OAuth error (`invalid_grant`…), `ERROR_HTTP_<status>`, or a network code (`ECONNREFUSED`). */
  oauthCode: string;
  description: string;
  /** HTTP status of the token endpoint's answer; absent when no answer came. */
  status?: number;
}

/** A Salesforce call that could not be made because the bot is not logged in (code LOGIN_FAILED). */
export class SalesforceLoginError extends SalesforceError {
  constructor(readonly failure: LoginFailure) {
    super('LOGIN_FAILED', loginFailureSummary(failure), failure.status);
    this.name = 'SalesforceLoginError';
  }
}

function loginFailureSummary(f: LoginFailure): string {
  const status = f.status === undefined ? 'no answer' : `HTTP ${f.status}`;
  return `Salesforce login failed (${status}, ${f.oauthCode}${f.description ? `: ${f.description}` : ''})`;
}

interface ErrorLike {
  errorCode?: unknown;
  name?: unknown;
  message?: unknown;
  code?: unknown;
  type?: unknown;
}

export function toSalesforceError(err: unknown): SalesforceError {
  if (err instanceof SalesforceError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(err);
  // jsforce wraps a failed refreshFn in a plain Error, dropping any code.
  if (message.startsWith('Unable to refresh session')) return new SalesforceError('INVALID_SESSION_ID', message);
  const code =
    (typeof e.errorCode === 'string' && e.errorCode) ||
    (typeof e.code === 'string' && e.code) ||
    (typeof e.name === 'string' && e.name !== 'Error' && e.name) ||
    (typeof e.type === 'string' && e.type === 'request-timeout' && 'TIMEOUT') ||
    'UNKNOWN';
  return new SalesforceError(code, message);
}

/** From a REST error body: `[{message, errorCode, fields}]` (or an OAuth `{error, error_description}`). */
export function fromErrorBody(body: unknown, status: number): SalesforceError {
  if (Array.isArray(body) && body.length > 0) {
    const first = body[0] as { errorCode?: string; message?: string };
    return new SalesforceError(first.errorCode ?? `ERROR_HTTP_${status}`, first.message ?? 'Salesforce error', status);
  }
  return new SalesforceError(`ERROR_HTTP_${status}`, typeof body === 'string' ? body : 'Salesforce error', status);
}

const NEEDS_MANAGE_USERS = "the bot's Salesforce user cannot see sessions or login history: give it the Manage Users permission (and API Enabled)";

export function describeSalesforceError(err: unknown): string {
  const e = toSalesforceError(err);
  switch (e.errorCode) {
    case 'INVALID_TYPE':
    case 'INSUFFICIENT_ACCESS':
    case 'INSUFFICIENT_ACCESS_OR_READONLY':
      return `Salesforce refused: ${NEEDS_MANAGE_USERS}.`;
    case 'INVALID_SESSION_ID':
      return "Salesforce rejected the bot's login and re-authentication did not help: check the connected app, its certificate and the integration user.";
    case 'REQUEST_LIMIT_EXCEEDED':
      return 'Salesforce says the org has used up its API allowance (REQUEST_LIMIT_EXCEEDED); try again later or raise the limit.';
    case 'API_DISABLED_FOR_ORG':
    case 'API_CURRENTLY_DISABLED':
      return "Salesforce refused API access: the bot's user needs the API Enabled permission, and the org needs API access.";
    case 'LOGIN_FAILED':
      return e instanceof SalesforceLoginError ? describeLoginFailure(e.failure) : `Salesforce refused the bot's login (${e.message}).`;
    case 'invalid_grant':
    case 'invalid_client_id':
    case 'invalid_client':
      return describeLoginFailure({ kind: 'refused', oauthCode: e.errorCode, description: e.message });
    case 'STATIC_TOKEN_REFUSED':
      return "Salesforce refused the bot's access token (SF_ACCESS_TOKEN), and a static token cannot be renewed: issue a new one, or configure the JWT flow (see README, Connect Salesforce).";
    case 'TIMEOUT':
    case 'ETIMEDOUT':
    case 'ECONNRESET':
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
      return 'Salesforce did not answer in time; nothing was changed. Try again in a minute.';
    case 'ERROR_HTTP_500':
    case 'ERROR_HTTP_503':
    case 'SERVER_UNAVAILABLE':
      return 'Salesforce is unavailable right now (server error); nothing was changed. Try again in a minute.';
    case 'INVALID_FIELD':
    case 'MALFORMED_QUERY':
      return `Salesforce rejected the bot's query (${e.errorCode}); the bot may need a newer SF_API_VERSION. The log has the detail.`;
    default:
      return `Salesforce returned an error (${e.errorCode}). The log has the detail.`;
  }
}

const CONNECT_SALESFORCE = 'see README, Connect Salesforce';

/** The sentence for a failed login: refused (what to fix) or unavailable (the bot retries by itself). */
export function describeLoginFailure(f: LoginFailure): string {
  switch (f.kind) {
    case 'refused':
      return describeRefusal(f);
    case 'unavailable':
      return `Salesforce's login service is unavailable (HTTP ${f.status ?? '5xx'}); the bot retries by itself.`;
    case 'unreachable':
      return `Salesforce's login service is unreachable (${f.oauthCode}); the bot retries by itself.`;
    case 'error':
      return `The bot's Salesforce login did not complete (${f.oauthCode}); it retries by itself. The log has the detail.`;
  }
}

function describeRefusal(f: LoginFailure): string {
  const said = f.description ? `${f.oauthCode}: ${f.description}` : f.oauthCode;
  switch (f.oauthCode) {
    case 'invalid_grant':
      return `Salesforce refused the bot's login (${said}): the connected app does not accept the certificate or the user — ${CONNECT_SALESFORCE}.`;
    case 'invalid_client_id':
    case 'invalid_client':
      return `Salesforce does not recognise the bot's connected app (${said}): check SF_CLIENT_ID / SF_CLIENT_SECRET — ${CONNECT_SALESFORCE}.`;
    default:
      return `Salesforce refused the bot's login (${said}) — ${CONNECT_SALESFORCE}.`;
  }
}
