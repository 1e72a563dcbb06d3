/**
 * Fault knobs of the Slack stand-in. The server asks `answerFor` before performing a Web API call
 * or a response_url post; a non-undefined answer is sent instead and the call is NOT performed.
 *
 * Time windows (storms, the channel pace) run on `faultClock`, real wall time by default and
 * separate from the stand-in clock: tests move the stand-in clock to expire trigger_ids and
 * response_urls, while fault-injection tests wait in real time for an outage to end.
 */

/** The name storms and latency use for response_url posts (they are not Web API methods). */
export const RESPONSE_URL = 'response_url';

/** What a faulty endpoint answers instead of performing the call. */
export interface FaultAnswer {
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
  /** Which knob produced it, recorded with the call so a test can tell injected failures from real ones. */
  fault: 'queued-ratelimit' | 'queued-error' | 'storm' | 'channel-pace' | 'method-limit';
}

/** Which calls a storm hits: a list of Web API method names (and/or 'response_url'), or 'all' of both. */
export type StormTarget = string[] | 'all';

export type StormSpec = { methods?: StormTarget; forMs: number } & (
  | { kind: 'http500' }
  | { kind: 'ratelimit'; retryAfter?: number }
  /** Web API: HTTP 200 `{ok:false,error}`; response_url: HTTP 404 with the error as plain text (no_active_hooks, expired_url…). */
  | { kind: 'error'; error: string }
);

type Storm = StormSpec & { until: number };

type QueuedFault = { kind: 'ratelimit'; retryAfter: number } | { kind: 'fail'; error: string; extra: Record<string, unknown> };

/**
 * Per-method limits the stand-in enforces by default, as Slack does, per workspace per app over a minute: views.publish
 * is Tier 4 ("100+ per minute", docs.slack.dev/reference/methods/views.publish and /apis/web-api/rate-limits). The tier's
 * floor is used: Slack promises at least that much, so a bot that stays under it is safe.
 */
export const DEFAULT_METHOD_LIMITS: Readonly<Record<string, number>> = { 'views.publish': 100 };

const JSON_TYPE = 'application/json; charset=utf-8';

/** The page Slack's edge serves when the API behind it fails: HTML, not JSON, so clients see an HTTP error. */
const EDGE_500_PAGE =
  '<!DOCTYPE html><html><head><title>Server Error | Slack</title></head>' +
  '<body><h1>Server Error</h1><p>It seems like there’s a problem on our end. Please try again in a moment.</p></body></html>';

const json = (status: number, body: object, fault: FaultAnswer['fault'], headers: Record<string, string> = {}): FaultAnswer => ({
  status,
  body: JSON.stringify(body),
  contentType: JSON_TYPE,
  headers,
  fault,
});

const plain = (status: number, body: string, fault: FaultAnswer['fault'], headers: Record<string, string> = {}): FaultAnswer => ({
  status,
  body,
  contentType: 'text/plain; charset=utf-8',
  headers,
  fault,
});

/** A storm's answer, shaped for the Web API or for a response_url. */
function stormAnswer(storm: Storm, endpoint: string): FaultAnswer {
  const responseUrl = endpoint === RESPONSE_URL;
  switch (storm.kind) {
    case 'http500':
      return { status: 500, body: EDGE_500_PAGE, contentType: 'text/html; charset=utf-8', headers: {}, fault: 'storm' };
    case 'ratelimit': {
      const headers = { 'retry-after': String(storm.retryAfter ?? 1) };
      return responseUrl ? plain(429, 'rate_limited', 'storm', headers) : json(429, { ok: false, error: 'ratelimited' }, 'storm', headers);
    }
    case 'error':
      return responseUrl ? plain(404, storm.error, 'storm') : json(200, { ok: false, error: storm.error }, 'storm');
  }
}

export class SlackFaults {
  private readonly queued = new Map<string, QueuedFault[]>();
  private storms: Storm[] = [];
  private readonly delays = new Map<string, number>();
  private pace: { perChannelPerSecond: number } | undefined;
  /** Wall times of performed chat.postMessage calls per channel argument, for the pace. */
  private readonly posted = new Map<string, number[]>();
  private rateLimited = 0;
  /** Calls a minute allowed per method (DEFAULT_METHOD_LIMITS unless a test changes them), and when the performed ones came. */
  private limits = new Map<string, number>(Object.entries(DEFAULT_METHOD_LIMITS));
  private readonly performed = new Map<string, number[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The next `times` calls to `method` get HTTP 429 (a test of one retry, not of an outage). */
  rateLimit(method: string, { retryAfter = 1, times = 1 }: { retryAfter?: number; times?: number } = {}): void {
    for (let i = 0; i < times; i += 1) this.enqueue(method, { kind: 'ratelimit', retryAfter });
  }

  /** The next call to `method` answers `{ok:false, error, ...extra}`. */
  failNext(method: string, error: string, extra: Record<string, unknown> = {}): void {
    this.enqueue(method, { kind: 'fail', error, extra });
  }

  /** Every matching call fails for `forMs` of wall time, so a test can watch the bot ride out an outage and recover. */
  storm(spec: StormSpec): void {
    this.storms.push({ ...spec, until: this.now() + spec.forMs });
  }

  /** Ends every storm now: "Slack is back". Queued one-shot faults, latency and the pace stay. */
  heal(): void {
    this.storms = [];
  }

  /** Delays the answer to `method` (or every call, 'response_url' included) by `ms`, to exercise the bot's timeouts and ack budget; 0 removes it. */
  latency(method: string, ms: number): void {
    if (ms > 0) this.delays.set(method, ms);
    else this.delays.delete(method);
  }

  /** Enforces Slack's ~1 message per second per channel on chat.postMessage, so an alert storm meets the 429s it would in production. */
  enforceChannelPace(options: { perChannelPerSecond: number } | null): void {
    this.pace = options ?? undefined;
    this.posted.clear();
  }

  /**
   * Sets how many calls a minute `method` takes before answering 429 with the Retry-After of the oldest call in the
   * window; null lifts the limit. views.publish has its Tier 4 limit by default (DEFAULT_METHOD_LIMITS).
   */
  limitPerMinute(method: string, calls: number | null): void {
    if (calls === null) this.limits.delete(method);
    else this.limits.set(method, calls);
    this.performed.delete(method);
  }

  /** HTTP 429 answers sent by the Web API so far, whichever knob caused them. */
  get rateLimitedCount(): number {
    return this.rateLimited;
  }

  /** Back to a healthy Slack: clears every knob above and the 429 count. */
  reset(): void {
    this.queued.clear();
    this.storms = [];
    this.delays.clear();
    this.pace = undefined;
    this.posted.clear();
    this.rateLimited = 0;
    // Slack's own limits are not a knob: they come back with a healthy Slack.
    this.limits = new Map(Object.entries(DEFAULT_METHOD_LIMITS));
    this.performed.clear();
  }

  // --- consulted by the server ---

  delayFor(endpoint: string): number {
    return this.delays.get(endpoint) ?? this.delays.get('all') ?? 0;
  }

  /**
   * What to answer instead of performing the call, if a fault applies. `channel` is the
   * chat.postMessage channel argument, for the pace. Consumes a queued fault when it answers.
   */
  answerFor(endpoint: string, channel?: string): FaultAnswer | undefined {
    const answer = this.queuedAnswer(endpoint) ?? this.stormFor(endpoint) ?? this.paceAnswer(endpoint, channel) ?? this.limitAnswer(endpoint);
    if (answer?.status === 429 && endpoint !== RESPONSE_URL) this.rateLimited += 1;
    return answer;
  }

  /** Tells the per-method limits that a call to `method` was performed. */
  notePerformed(method: string): void {
    if (!this.limits.has(method)) return;
    const times = this.performed.get(method) ?? [];
    times.push(this.now());
    this.performed.set(method, times);
  }

  /** Tells the pace that a chat.postMessage was performed in `channel`. */
  notePosted(channel: string): void {
    if (!this.pace) return;
    const times = this.posted.get(channel) ?? [];
    times.push(this.now());
    this.posted.set(channel, times);
  }

  private enqueue(method: string, fault: QueuedFault): void {
    const queue = this.queued.get(method) ?? [];
    queue.push(fault);
    this.queued.set(method, queue);
  }

  private queuedAnswer(endpoint: string): FaultAnswer | undefined {
    const queue = this.queued.get(endpoint);
    const fault = queue?.shift();
    if (queue?.length === 0) this.queued.delete(endpoint);
    if (!fault) return undefined;
    return fault.kind === 'ratelimit'
      ? json(429, { ok: false, error: 'ratelimited' }, 'queued-ratelimit', { 'retry-after': String(fault.retryAfter) })
      : json(200, { ok: false, error: fault.error, ...fault.extra }, 'queued-error');
  }

  private stormFor(endpoint: string): FaultAnswer | undefined {
    const now = this.now();
    this.storms = this.storms.filter((s) => s.until > now);
    // The latest storm wins where windows overlap, so a test can escalate an outage.
    const storm = this.storms.findLast((s) => s.methods === undefined || s.methods === 'all' || s.methods.includes(endpoint));
    return storm ? stormAnswer(storm, endpoint) : undefined;
  }

  private limitAnswer(endpoint: string): FaultAnswer | undefined {
    const limit = this.limits.get(endpoint);
    if (limit === undefined) return undefined;
    const now = this.now();
    const recent = (this.performed.get(endpoint) ?? []).filter((t) => now - t < 60_000);
    this.performed.set(endpoint, recent);
    if (recent.length < limit) return undefined;
    const oldest = recent[0] ?? now;
    const retryAfter = Math.max(1, Math.ceil((oldest + 60_000 - now) / 1000));
    return json(429, { ok: false, error: 'ratelimited' }, 'method-limit', { 'retry-after': String(retryAfter) });
  }

  private paceAnswer(endpoint: string, channel: string | undefined): FaultAnswer | undefined {
    if (!this.pace || endpoint !== 'chat.postMessage' || channel === undefined) return undefined;
    const now = this.now();
    const recent = (this.posted.get(channel) ?? []).filter((t) => now - t < 1000);
    this.posted.set(channel, recent);
    if (recent.length < this.pace.perChannelPerSecond) return undefined;
    const oldest = recent[0] ?? now;
    const retryAfter = Math.max(1, Math.ceil((oldest + 1000 - now) / 1000));
    return json(429, { ok: false, error: 'ratelimited' }, 'channel-pace', { 'retry-after': String(retryAfter) });
  }
}
