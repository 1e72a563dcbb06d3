import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce';
import type { StreamPromise } from 'jsforce/lib/util/promise';
import { Transport } from 'jsforce/lib/transport';
import { SalesforceLoginError, type LoginFailure } from './errors';

/**
 * jsforce's OAuth2 turns a token-endpoint error into an Error named after the OAuth code and drops
 * the HTTP status, so "503, the bot will retry" and "400 invalid_grant, fix the connected app" would
 * look alike. This transport (given to the Connection's OAuth2) remembers the status of the last
 * answer; logins are single-flight, so "the last answer" is the one that failed.
 */
export class StatusRecordingTransport extends Transport {
  private status: number | undefined;

  override httpRequest(req: HttpRequest, options?: HttpRequestOptions): StreamPromise<HttpResponse> {
    this.status = undefined;
    const answer = super.httpRequest(req, options);
    answer.then(
      (res) => {
        this.status = res.statusCode;
      },
      // The caller sees the rejection; here it only means there is no status to remember.
      () => undefined,
    );
    return answer;
  }

  get lastStatus(): number | undefined {
    return this.status;
  }
}

/** Network failures: the token endpoint never answered. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'EPIPE']);
const MAX_DESCRIPTION = 200;

interface ThrownLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
}

/**
 * A failed token request as a SalesforceLoginError. 4xx answers are refusals (invalid_grant…); 5xx
 * and 429 mean the login service is unavailable; network errors that it is unreachable. Only
 * Salesforce's answer is kept, never the request (assertion, client secret).
 */
export function loginFailureFrom(err: unknown, status: number | undefined): SalesforceLoginError {
  if (err instanceof SalesforceLoginError) return err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as ThrownLike;
  const code = typeof e.code === 'string' ? e.code : undefined;
  const name = typeof e.name === 'string' && e.name !== 'Error' ? e.name : undefined;
  const message = typeof e.message === 'string' ? e.message : '';
  // jsforce names an error page it could not parse ERROR_HTTP_<status>.
  const named = Number(/^ERROR_HTTP_(\d{3})$/.exec(name ?? '')?.[1] ?? Number.NaN);
  // A 2xx whose handling failed afterwards is the bot's problem, not an answer from the login service.
  const httpStatus = status !== undefined && status >= 400 ? status : named;
  if (Number.isInteger(httpStatus)) {
    const refused = httpStatus >= 400 && httpStatus < 500 && httpStatus !== 429;
    return new SalesforceLoginError(failure(refused ? 'refused' : 'unavailable', name ?? `ERROR_HTTP_${httpStatus}`, refused ? message : '', httpStatus));
  }
  if (code && UNREACHABLE_CODES.has(code)) return new SalesforceLoginError(failure('unreachable', code, ''));
  return new SalesforceLoginError(failure('error', code ?? name ?? 'LOGIN_ERROR', ''));
}

function failure(kind: LoginFailure['kind'], oauthCode: string, description: string, status?: number): LoginFailure {
  const trimmed = description.replace(/\s+/g, ' ').trim().slice(0, MAX_DESCRIPTION);
  return { kind, oauthCode, description: trimmed, ...(status === undefined ? {} : { status }) };
}
