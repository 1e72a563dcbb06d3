/**
 * jsforce re-runs `refreshFn` on every 401 and retries without limit; if Salesforce keeps
 * refusing a freshly minted token (wrong instance, revoked app) that loop never ends. The
 * breaker allows a few re-logins (token requests) per window, then fails the request with a
 * clear message.
 */
export class RefreshBreaker {
  private times: number[] = [];
  constructor(
    private readonly maxRefreshes = 3,
    private readonly windowMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  allow(): boolean {
    const now = this.clock();
    this.times = this.times.filter((t) => now - t < this.windowMs);
    if (this.times.length >= this.maxRefreshes) return false;
    this.times.push(now);
    return true;
  }
}
