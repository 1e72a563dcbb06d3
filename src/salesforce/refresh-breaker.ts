/**
 * jsforce re-runs `refreshFn` on every 401 and retries without limit; if Salesforce keeps
 * refusing a freshly minted token (wrong instance, revoked app) that loop never ends. The breaker
 * counts only re-logins that did not help — a token request that failed, or a new token refused
 * with 401 before Salesforce accepted any call with it — and opens after a few per window. A
 * re-login that works is no loop: with a short session timeout on the integration user tokens
 * expire often, and each such re-login is routine.
 */
export class RefreshBreaker {
  private strikes: number[] = [];
  constructor(
    private readonly maxStrikes = 3,
    private readonly windowMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether one more token request is worth it. */
  allow(): boolean {
    const now = this.clock();
    this.strikes = this.strikes.filter((t) => now - t < this.windowMs);
    return this.strikes.length < this.maxStrikes;
  }

  /** A re-login that did not help: its token request failed, or its token met a 401 at once. */
  strike(): void {
    this.strikes.push(this.clock());
  }
}
