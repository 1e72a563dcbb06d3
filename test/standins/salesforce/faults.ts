import { HttpReply, oauthError, sfError } from './http';

export interface FailureSpec {
  /** How many matching requests fail (default 1). */
  count?: number;
  status: number;
  errorCode: string;
  message: string;
  /** Tested against `"<METHOD> <path>"`, e.g. /^DELETE .*\/composite\/sobjects/. */
  match?: RegExp;
}

/**
 * Per-test fault injection. The server consults it on every request; `reset()` returns to a
 * healthy org.
 */
export class Faults {
  private expiry: { remaining: number; tokens: Set<string> } | undefined;
  private unauthorized = false;
  private delayMs = 0;
  private failures: Array<FailureSpec & { left: number }> = [];
  private limitExceeded = 0;
  private readonly denied = new Map<string, string>();

  constructor(private readonly issuedTokens: () => string[]) {}

  /** After `n` more API calls, every token issued so far is rejected with 401; newer tokens work. */
  expireTokensAfter(n: number): void {
    this.expiry = { remaining: n, tokens: new Set(this.issuedTokens()) };
  }

  /** Every API call answers 401, whatever the token (for testing a refresh circuit breaker). */
  alwaysUnauthorized(on = true): void {
    this.unauthorized = on;
  }

  latency(ms: number): void {
    this.delayMs = ms;
  }

  failNext(spec: FailureSpec): void {
    this.failures.push({ ...spec, left: spec.count ?? 1 });
  }

  /** The next `count` API calls get 403 REQUEST_LIMIT_EXCEEDED. */
  requestLimitExceeded(count: number): void {
    this.limitExceeded = count;
  }

  /** Queries on the object fail with `errorCode` (INVALID_TYPE, INSUFFICIENT_ACCESS…). */
  denyObject(name: string, errorCode = 'INVALID_TYPE'): void {
    this.denied.set(name.toLowerCase(), errorCode);
  }

  reset(): void {
    this.expiry = undefined;
    this.unauthorized = false;
    this.delayMs = 0;
    this.failures = [];
    this.limitExceeded = 0;
    this.denied.clear();
  }

  // --- consulted by the server ---

  get delay(): number {
    return this.delayMs;
  }

  get deniedObjects(): ReadonlyMap<string, string> {
    return this.denied;
  }

  get everythingUnauthorized(): boolean {
    return this.unauthorized;
  }

  /**
   * Counts one authenticated API call against a pending expireTokensAfter; returns the tokens to
   * expire once the allowance is used up.
   */
  countForExpiry(): Set<string> | undefined {
    if (!this.expiry) return undefined;
    if (this.expiry.remaining > 0) {
      this.expiry.remaining -= 1;
      return undefined;
    }
    const tokens = this.expiry.tokens;
    this.expiry = undefined;
    return tokens;
  }

  takeLimitExceeded(): boolean {
    if (this.limitExceeded <= 0) return false;
    this.limitExceeded -= 1;
    return true;
  }

  /** The injected failure for this request, if one matches; OAuth paths get OAuth-shaped bodies. */
  takeFailure(method: string, path: string): HttpReply | undefined {
    const subject = `${method} ${path}`;
    const f = this.failures.find((x) => x.left > 0 && (!x.match || x.match.test(subject)));
    if (!f) return undefined;
    f.left -= 1;
    this.failures = this.failures.filter((x) => x.left > 0);
    return path.startsWith('/services/oauth2/') ? oauthError(f.status, f.errorCode, f.message) : sfError(f.status, f.errorCode, f.message);
  }
}
