import { HttpReply, oauthError, sfError } from './http';

/** Salesforce's edge serves an HTML page, not OAuth JSON, while an instance is down for maintenance. */
const MAINTENANCE_PAGE =
  '<html><head><title>Maintenance</title></head><body><h1>Salesforce is down for maintenance</h1>' +
  '<p>This instance is unavailable while scheduled maintenance is in progress. Please try again later.</p></body></html>';

export interface FailureSpec {
  /** How many matching requests fail (default 1). */
  count?: number;
  status: number;
  errorCode: string;
  message: string;
  /** Tested against `"<METHOD> <path>"`, e.g. /^DELETE .*\/composite\/sobjects/. */
  match?: RegExp;
  /** Sent as a Retry-After header (seconds), as a 429 or 503 may carry. */
  retryAfterSeconds?: number;
}

/** What the token endpoint answers while logins are refused. */
export type LoginRefusal = { status: 503 } | { status: number; error: string; description: string };

/** How long a login refusal lasts; with neither, until `heal()` / `reset()`; with both, until the first runs out. */
export interface RefusalLimit {
  forMs?: number;
  count?: number;
}

export interface StormSpec {
  /** 5xx status, e.g. 503 (maintenance, overload) or 500. */
  status: number;
  errorCode: string;
  message?: string;
  forMs: number;
  /** Tested against `"<METHOD> <path>"`; without it every /services/data/vNN.N call is hit. */
  match?: RegExp;
}

/** Faults on the delivery of an answer rather than on its content; one-shot (count 1) unless `count` says more. */
export type DeliveryFault =
  | { kind: 'slow-after-effect'; delayMs: number }
  | { kind: 'dropped-after-effect' }
  | { kind: 'dropped-before-effect' }
  | { kind: 'error-after-effect'; status: number; errorCode: string; message: string };

interface Matched {
  match: RegExp;
  left: number;
}

const subjectOf = (method: string, path: string): string => `${method} ${path}`;

/**
 * Per-test fault injection. The server consults it on every request; `reset()` returns to a
 * healthy org. Time windows (storms, login refusals) run on `now`, real wall time by default and
 * independent of the org clock, which tests usually freeze.
 */
export class Faults {
  private expiry: { remaining: number; tokens: Set<string> } | undefined;
  private unauthorized = false;
  private delayMs = 0;
  private routeDelays = new Map<string, { match: RegExp; ms: number }>();
  private failures: Array<FailureSpec & { left: number }> = [];
  private limitExceeded = 0;
  private readonly denied = new Map<string, string>();
  private refusal: { reply: LoginRefusal; until: number; left: number } | undefined;
  private storms: Array<StormSpec & { until: number }> = [];
  private deliveries: Array<Matched & { fault: DeliveryFault }> = [];

  constructor(
    private readonly issuedTokens: () => string[],
    private readonly now: () => number = Date.now,
  ) {}

  /** After `n` more API calls, every token issued so far is rejected with 401; newer tokens work. */
  expireTokensAfter(n: number): void {
    this.expiry = { remaining: n, tokens: new Set(this.issuedTokens()) };
  }

  /** Every API call answers 401, whatever the token (for testing a refresh circuit breaker). */
  alwaysUnauthorized(on = true): void {
    this.unauthorized = on;
  }

  /**
   * Delays answers by `ms` (before the request is handled), to exercise the bot's timeouts: every
   * request without `match`, else requests whose `"<METHOD> <path>"` matches (overriding the global
   * delay). The same `match` again replaces its delay; 0 removes it.
   */
  latency(ms: number, options: { match?: RegExp } = {}): void {
    if (!options.match) {
      this.delayMs = ms;
      return;
    }
    const key = String(options.match);
    if (ms > 0) this.routeDelays.set(key, { match: options.match, ms });
    else this.routeDelays.delete(key);
  }

  /** The token endpoint refuses every login (maintenance, or a connected app that lost its approval) until the limit runs out. */
  refuseLogins(refusal: LoginRefusal, limit: RefusalLimit = {}): void {
    this.refusal = {
      reply: refusal,
      until: limit.forMs === undefined ? Number.POSITIVE_INFINITY : this.now() + limit.forMs,
      left: limit.count ?? Number.POSITIVE_INFINITY,
    };
  }

  /** Matching /services/data calls answer a 5xx for `forMs` of wall time, so a test can watch the bot ride out an outage. */
  storm(spec: StormSpec): void {
    this.storms.push({ ...spec, until: this.now() + spec.forMs });
  }

  /** The change is made at once but the answer comes `delayMs` later, so a client that gives up sooner wrongly believes it failed. */
  slowAfterEffect(options: { match: RegExp; delayMs: number; count?: number }): void {
    this.addDelivery(options, { kind: 'slow-after-effect', delayMs: options.delayMs });
  }

  /** The change is made, then the connection is reset without an answer: the client cannot tell whether it happened. */
  dropAfterEffect(options: { match: RegExp; count?: number }): void {
    this.addDelivery(options, { kind: 'dropped-after-effect' });
  }

  /**
   * The change is made, then answered with an error in Salesforce's shape (a 503 SERVER_UNAVAILABLE
   * from an overloaded instance): the error body claims a failure the org does not show.
   */
  errorAfterEffect(options: { match: RegExp; status: number; errorCode: string; message?: string; count?: number }): void {
    this.addDelivery(options, {
      kind: 'error-after-effect',
      status: options.status,
      errorCode: options.errorCode,
      message: options.message ?? 'Server temporarily unavailable. Please try again later.',
    });
  }

  /** The connection is reset before the request is handled: nothing changed, though the client sees the same error as after an effect. */
  dropBeforeEffect(options: { match: RegExp; count?: number }): void {
    this.addDelivery(options, { kind: 'dropped-before-effect' });
  }

  /** Ends every storm and login refusal now: "Salesforce is back". Other knobs stay. */
  heal(): void {
    this.storms = [];
    this.refusal = undefined;
  }

  /** The next `count` matching requests fail with the given status and error (one transient error, not an outage). */
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
    this.routeDelays.clear();
    this.failures = [];
    this.limitExceeded = 0;
    this.denied.clear();
    this.refusal = undefined;
    this.storms = [];
    this.deliveries = [];
  }

  // --- consulted by the server ---

  /** The global latency alone (route latencies are in delayFor). */
  get delay(): number {
    return this.delayMs;
  }

  delayFor(method: string, path: string): number {
    const subject = subjectOf(method, path);
    const route = [...this.routeDelays.values()].findLast((d) => d.match.test(subject));
    return route ? route.ms : this.delayMs;
  }

  /** The refusal for this token request, if logins are being refused; counts it against `count`. */
  takeLoginRefusal(): HttpReply | undefined {
    const r = this.refusal;
    if (!r) return undefined;
    if (r.left <= 0 || this.now() >= r.until) {
      this.refusal = undefined;
      return undefined;
    }
    r.left -= 1;
    if ('error' in r.reply) return oauthError(r.reply.status, r.reply.error, r.reply.description);
    return new HttpReply(r.reply.status, MAINTENANCE_PAGE, { 'content-type': 'text/html;charset=UTF-8' });
  }

  /** The storm answer for a /services/data/vNN.N request, if an open window matches it. */
  stormFor(method: string, path: string): HttpReply | undefined {
    const now = this.now();
    this.storms = this.storms.filter((s) => s.until > now);
    const subject = subjectOf(method, path);
    const storm = this.storms.findLast((s) => !s.match || s.match.test(subject));
    return storm ? sfError(storm.status, storm.errorCode, storm.message ?? 'Server temporarily unavailable. Please try again later.') : undefined;
  }

  /** The delivery fault for this request, if one matches; consumes one use of it. */
  takeDeliveryFault(method: string, path: string): DeliveryFault | undefined {
    const subject = subjectOf(method, path);
    const d = this.deliveries.find((x) => x.left > 0 && x.match.test(subject));
    if (!d) return undefined;
    d.left -= 1;
    this.deliveries = this.deliveries.filter((x) => x.left > 0);
    return d.fault;
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

  private addDelivery(options: { match: RegExp; count?: number }, fault: DeliveryFault): void {
    this.deliveries.push({ match: options.match, left: options.count ?? 1, fault });
  }

  /** The injected failure for this request, if one matches; OAuth paths get OAuth-shaped bodies. */
  takeFailure(method: string, path: string): HttpReply | undefined {
    const subject = subjectOf(method, path);
    const f = this.failures.find((x) => x.left > 0 && (!x.match || x.match.test(subject)));
    if (!f) return undefined;
    f.left -= 1;
    this.failures = this.failures.filter((x) => x.left > 0);
    const reply = path.startsWith('/services/oauth2/') ? oauthError(f.status, f.errorCode, f.message) : sfError(f.status, f.errorCode, f.message);
    return f.retryAfterSeconds === undefined
      ? reply
      : new HttpReply(reply.status, reply.body, { ...reply.headers, 'retry-after': String(f.retryAfterSeconds) });
  }
}
