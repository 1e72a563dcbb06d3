import { backoffDelay, LOGIN_BACKOFF } from '../../src/salesforce/backoff';
import { describeLoginFailure, describeSalesforceError, SalesforceLoginError } from '../../src/salesforce/errors';
import { loginFailureFrom } from '../../src/salesforce/token-endpoint';

/** The error jsforce's OAuth2 throws for a token-endpoint answer: named after the OAuth error. */
function oauthError(name: string, description: string): Error {
  const e = new Error(description);
  e.name = name;
  return e;
}

describe('login backoff', () => {
  it('doubles from 1 s to at most 60 s', () => {
    const noJitter = () => 0;
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => backoffDelay(n, LOGIN_BACKOFF, noJitter))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('jitter only shortens the wait, by at most its share', () => {
    expect(backoffDelay(3, LOGIN_BACKOFF, () => 0.999_999)).toBe(3_200);
    expect(backoffDelay(10, LOGIN_BACKOFF, () => 0.5)).toBe(54_000);
  });
});

describe('a failed token request', () => {
  it("400 invalid_grant is a refusal with Salesforce's words and a sentence that says what to fix", () => {
    const e = loginFailureFrom(oauthError('invalid_grant', 'audience is invalid'), 400);
    expect(e).toBeInstanceOf(SalesforceLoginError);
    expect(e.errorCode).toBe('LOGIN_FAILED');
    expect(e.failure).toEqual({ kind: 'refused', oauthCode: 'invalid_grant', description: 'audience is invalid', status: 400 });
    expect(describeSalesforceError(e)).toBe(
      "Salesforce refused the bot's login (invalid_grant: audience is invalid): the connected app does not accept the certificate or the user — see README, Connect Salesforce.",
    );
  });

  it('an unknown connected app is named as such', () => {
    const e = loginFailureFrom(oauthError('invalid_client_id', 'client identifier invalid'), 400);
    expect(describeSalesforceError(e)).toMatch(
      /^Salesforce does not recognise the bot's connected app \(invalid_client_id: client identifier invalid\): check SF_CLIENT_ID/,
    );
  });

  it('5xx and 429 mean the login service is unavailable, and an error page never reaches the sentence', () => {
    const page = loginFailureFrom(oauthError('ERROR_HTTP_503', '<html>Maintenance</html>'), undefined);
    expect(page.failure).toEqual({ kind: 'unavailable', oauthCode: 'ERROR_HTTP_503', description: '', status: 503 });
    expect(describeLoginFailure(page.failure)).toBe("Salesforce's login service is unavailable (HTTP 503); the bot retries by itself.");
    expect(loginFailureFrom(oauthError('rate_limited', 'slow down'), 429).failure.kind).toBe('unavailable');
  });

  it("a network error means unreachable; anything else is the bot's own failure", () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(loginFailureFrom(refused, undefined).failure).toEqual({ kind: 'unreachable', oauthCode: 'ECONNREFUSED', description: '' });
    const bug = loginFailureFrom(new TypeError('x is undefined'), 200);
    expect(bug.failure).toEqual({ kind: 'error', oauthCode: 'TypeError', description: '' });
    expect(describeSalesforceError(bug)).toBe("The bot's Salesforce login did not complete (TypeError); it retries by itself. The log has the detail.");
  });

  it('keeps a long description short and on one line', () => {
    const e = loginFailureFrom(oauthError('invalid_request', `line one\n${'x'.repeat(500)}`), 400);
    expect(e.failure.description).not.toContain('\n');
    expect(e.failure.description.length).toBe(200);
  });
});
