import { hostname } from 'node:os';
import type { Logger } from '../../logger';
import type { OutboxRow, OutboxStore } from '../../store/outbox-store';
import { backoffMs, type BackoffPolicy } from './backoff';
import { ChannelPace, UNPACED, type PostPace } from './channel-pace';
import { endpointOf, NON_POSTING_KINDS, POSTING_KINDS, type Delivery, type DeliveryResult, type SlackEndpoint } from './delivery';
import { isDeadLocalOwner, newOwnerId } from './owner';

export interface DispatcherOptions {
  /** Who holds a lease; unique per process so replicas tell their claims apart. */
  owner?: string;
  /** How often to look for work when nothing wakes the dispatcher (another replica's rows, due retries). */
  pollMs?: number;
  /** A claimed row is another replica's to take over after this long (a crash mid-delivery); longer than a Slack call can take. */
  leaseMs?: number;
  /** Rows looked at per pass. */
  batchSize?: number;
  /**
   * Keys whose rows edit a message or answer a response_url, delivered at the same time (rows of
   * one key are always one after another). Rows that post a new message go one at a time instead,
   * through the channel pace.
   */
  concurrency?: number;
  /**
   * Slack's pace for chat.postMessage: at most this many posts per second per channel, shared by
   * every key, so an alert storm queues in the outbox instead of drawing 429s. Production sets
   * `{ perChannelPerSecond: 1 }` (Slack's documented allowance; see src/wiring/outbox.ts).
   * Unset or null: no pacing, for a Slack stand-in that enforces none. Per process: replicas each
   * keep their own, and a 429 beyond it is still honoured (Retry-After).
   */
  channelPace?: { perChannelPerSecond: number } | null;
  backoff?: BackoffPolicy;
  /** A row still undelivered after this long is dead-lettered: Slack has been failing for hours. */
  maxAgeMs?: number;
  /** response_urls stop working after 30 minutes (Slack's documented limit), so their rows give up then. */
  responseUrlMaxAgeMs?: number;
  /** Real time: leases and backoff must not move with the bot's test clock. */
  clock?: () => Date;
  random?: () => number;
  /** Told after a row is dead-lettered (the wiring posts a notice in the security channel); a failure here is only logged. */
  onDeadLetter?: (row: OutboxRow, reason: string) => Promise<void>;
}

const DEFAULTS = {
  pollMs: 1_000,
  leaseMs: 30_000,
  batchSize: 20,
  concurrency: 4,
  backoff: { baseMs: 1_000, maxMs: 60_000 },
  maxAgeMs: 6 * 60 * 60_000,
  responseUrlMaxAgeMs: 30 * 60_000,
};

/** Shortest sleep between passes, so a burst of due rows cannot spin the event loop. */
const MIN_SLEEP_MS = 5;

/**
 * Posts taken per pass. Paced at one a second, a pass then lasts a few seconds at most, so an
 * update or a response_url queued meanwhile is looked at again soon rather than after a whole storm.
 */
const POSTS_PER_PASS = 4;

/**
 * Delivers the Slack outbox. Any replica may run it: each row is claimed with a lease by
 * compare-and-set before it is sent, rows of one key go strictly in order, failures are retried
 * with jittered exponential backoff (or after Slack's Retry-After), and permanent refusals are
 * dead-lettered with an error log. Enqueuing wakes it at once; otherwise it polls.
 *
 * Each pass runs two lanes side by side: rows that post a new message (request posts, thread
 * replies, alert posts, notices) one at a time in priority order through the channel pace, and
 * rows that edit a message or answer a response_url concurrently. A pass takes only a few posts,
 * so an edit queued behind an alert storm waits for a few paced posts, never for the whole storm.
 */
export class OutboxDispatcher {
  private readonly owner: string;
  private readonly opts: Required<Omit<DispatcherOptions, 'owner' | 'channelPace' | 'onDeadLetter'>>;
  private readonly onDeadLetter: DispatcherOptions['onDeadLetter'];
  private readonly pace: PostPace;
  /** Endpoints Slack told us to leave alone until a time (rate limits) or that are failing (outage). */
  private readonly pausedUntil = new Map<SlackEndpoint, number>();
  private running: Promise<void> | null = null;
  private again = false;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private siblingsChecked = false;

  constructor(
    private readonly store: OutboxStore,
    private readonly delivery: Delivery,
    private readonly logger: Logger,
    options: DispatcherOptions = {},
  ) {
    this.owner = options.owner ?? newOwnerId();
    this.pace = options.channelPace ? new ChannelPace(options.channelPace.perChannelPerSecond) : UNPACED;
    this.onDeadLetter = options.onDeadLetter;
    this.opts = {
      pollMs: options.pollMs ?? DEFAULTS.pollMs,
      leaseMs: options.leaseMs ?? DEFAULTS.leaseMs,
      batchSize: options.batchSize ?? DEFAULTS.batchSize,
      concurrency: Math.max(1, options.concurrency ?? DEFAULTS.concurrency),
      backoff: options.backoff ?? DEFAULTS.backoff,
      maxAgeMs: options.maxAgeMs ?? DEFAULTS.maxAgeMs,
      responseUrlMaxAgeMs: options.responseUrlMaxAgeMs ?? DEFAULTS.responseUrlMaxAgeMs,
      clock: options.clock ?? (() => new Date()),
      random: options.random ?? Math.random,
    };
  }

  start(): void {
    this.started = true;
    void this.run();
  }

  /** Stops polling and waits for the delivery in flight (each Slack call is bounded by the client's timeout). */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** Something was enqueued in this process: deliver it now rather than at the next poll. */
  wake(): void {
    if (this.started) void this.run();
  }

  /** Delivers everything that is due now (tests, and shutdown paths); does not wait for backoffs. */
  async drain(): Promise<void> {
    await this.run();
  }

  /** Waits until no row is pending at all, through backoffs and Retry-After waits (tests). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.run();
      const pending = await this.store.countPending();
      if (pending === 0) return;
      if (Date.now() >= deadline) throw new Error(`the Slack outbox still has ${pending} undelivered message(s) after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** One loop of passes at a time per process; a wake during a pass asks for one more. */
  private run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = this.loop().finally(() => {
      this.running = null;
      void this.schedule();
    });
    return this.running;
  }

  private async loop(): Promise<void> {
    try {
      if (!this.siblingsChecked) {
        await this.releaseDeadSiblings();
        this.siblingsChecked = true;
      }
      for (;;) {
        this.again = false;
        const handled = await this.pass();
        if (handled === 0 && !this.again) return;
      }
    } catch (err) {
      // The database is the only thing that throws here; the rows stay pending and the next poll tries again.
      this.logger.error({ err }, 'the Slack outbox could not read or write the database; retrying at the next poll');
    }
  }

  /** Rows a crashed process on this host was delivering are taken over now, not when their leases run out. */
  private async releaseDeadSiblings(): Promise<void> {
    const now = this.opts.clock();
    for (const owner of await this.store.leaseOwners(now)) {
      if (!isDeadLocalOwner(owner, { host: hostname(), pid: process.pid, owner: this.owner })) continue;
      const released = await this.store.releaseLeases(owner, now);
      this.logger.warn({ owner, released }, 'took over Slack outbox rows of a bot process that died while delivering them; Slack may see one of them twice');
    }
  }

  private async schedule(): Promise<void> {
    if (!this.started || this.running || this.timer) return;
    let delay = this.opts.pollMs;
    try {
      const now = this.opts.clock().getTime();
      const next = await this.store.nextWakeAt();
      if (next) {
        const untilDue = next.getTime() - now;
        // Due already yet not taken: its endpoint is paused, so sleep until the first pause ends.
        const pauses = [...this.pausedUntil.values()].filter((t) => t > now).map((t) => t - now);
        delay = Math.min(delay, untilDue > 0 ? untilDue : pauses.length > 0 ? Math.min(...pauses) : 0);
      }
    } catch {
      // Keep the poll interval; the next pass logs the database problem.
    }
    if (!this.started || this.running || this.timer) return;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        void this.run();
      },
      Math.max(MIN_SLEEP_MS, delay),
    );
    this.timer.unref();
  }

  /** Returns how many rows were claimed (0: nothing is due, or everything due waits on a paused endpoint). */
  private async pass(): Promise<number> {
    const now = this.opts.clock();
    const ready = (rows: OutboxRow[]) => rows.filter((r) => !this.paused(endpointOf(r.kind), now.getTime()));
    const posts = ready(await this.store.listClaimable(now, POSTS_PER_PASS, POSTING_KINDS));
    const others = ready(await this.store.listClaimable(now, this.opts.batchSize, NON_POSTING_KINDS));
    const [posted, rest] = await Promise.all([this.oneByOne(posts), this.inChunks(others)]);
    return posted + rest;
  }

  /** In priority order: the pace would serialize them anyway, and this keeps a later row from overtaking an earlier one. */
  private async oneByOne(rows: OutboxRow[]): Promise<number> {
    let handled = 0;
    for (const row of rows) if (await this.handle(row)) handled += 1;
    return handled;
  }

  private async inChunks(rows: OutboxRow[]): Promise<number> {
    let handled = 0;
    for (let i = 0; i < rows.length; i += this.opts.concurrency) {
      const results = await Promise.all(rows.slice(i, i + this.opts.concurrency).map((row) => this.handle(row)));
      handled += results.filter(Boolean).length;
    }
    return handled;
  }

  private paused(endpoint: SlackEndpoint, now: number): boolean {
    const until = this.pausedUntil.get(endpoint);
    return until !== undefined && until > now;
  }

  private async handle(candidate: OutboxRow): Promise<boolean> {
    const now = this.opts.clock();
    const row = await this.store.claim(candidate.id, this.owner, new Date(now.getTime() + this.opts.leaseMs), now);
    if (!row) return false; // another replica has it
    const endpoint = endpointOf(row.kind);
    if (now.getTime() - row.createdAt.getTime() > this.maxAgeOf(row)) {
      await this.deadLetter(row, endpoint, `still undelivered ${Math.round((now.getTime() - row.createdAt.getTime()) / 60_000)} min after it was queued`);
      return true;
    }
    if (row.kind === 'update' || row.kind === 'alert_update') await this.store.mergeFollowingUpdates(row, now);
    const result = await this.deliver(row);
    const done = this.opts.clock();
    if (result.ok) {
      await this.store.markSent(row.id, this.owner, done);
      if (row.attempts > 0)
        this.logger.info({ outbox: describe(row), attempts: row.attempts + 1 }, `delivered to Slack (${endpoint}) after ${row.attempts} failed attempt(s)`);
      return true;
    }
    const { failure } = result;
    if (failure.kind !== 'retry') {
      await this.deadLetter(row, result.endpoint, failure.reason);
      return true;
    }
    const delay = failure.retryAfterMs ?? backoffMs(row.attempts + 1, this.opts.backoff, this.opts.random);
    const nextAt = done.getTime() + delay;
    if (nextAt - row.createdAt.getTime() > this.maxAgeOf(row)) {
      await this.deadLetter(row, result.endpoint, `${failure.reason}; gave up after ${row.attempts + 1} attempts`);
      return true;
    }
    // One failing call stands for the endpoint: the other rows wait too instead of each hitting a Slack that is down.
    this.pausedUntil.set(result.endpoint, Math.max(this.pausedUntil.get(result.endpoint) ?? 0, nextAt));
    await this.store.reschedule(row.id, this.owner, new Date(nextAt), failure.reason, done, failure.unanswered === true);
    this.logger.warn(
      { outbox: describe(row), slack: { method: result.endpoint, error: failure.reason }, attempts: row.attempts + 1, retryInMs: delay },
      `Slack did not take ${result.endpoint} (${failure.reason}); retrying`,
    );
    return true;
  }

  private async deliver(row: OutboxRow): Promise<DeliveryResult> {
    try {
      return await this.delivery.deliver(row, this.pace);
    } catch (err) {
      // Reading the request or alert, or recording the message ts, failed: the database, not Slack.
      return {
        ok: false,
        endpoint: endpointOf(row.kind),
        failure: { kind: 'retry', reason: `database error while delivering: ${err instanceof Error ? err.message : String(err)}` },
      };
    }
  }

  private async deadLetter(row: OutboxRow, endpoint: SlackEndpoint, reason: string): Promise<void> {
    await this.store.markDead(row.id, this.owner, reason, this.opts.clock());
    this.logger.error(
      { outbox: describe(row), slack: { method: endpoint, error: reason } },
      `Slack ${endpoint} failed for good (${reason}); the message is dead-lettered`,
    );
    try {
      await this.onDeadLetter?.(row, reason);
    } catch (err) {
      this.logger.error({ err, outbox: describe(row) }, 'could not queue the notice about a dead-lettered message');
    }
  }

  private maxAgeOf(row: OutboxRow): number {
    return row.kind === 'respond' ? Math.min(this.opts.maxAgeMs, this.opts.responseUrlMaxAgeMs) : this.opts.maxAgeMs;
  }
}

/** Row facts for logs: never the payload (a response_url is a credential for the conversation). */
function describe(row: OutboxRow): { id: number; key: string; kind: string; request?: string; alert?: string } {
  const facts = { id: row.id, key: row.key, kind: row.kind };
  if ('requestId' in row) return { ...facts, request: row.requestId };
  if ('alertKey' in row) return { ...facts, alert: row.alertKey };
  return facts;
}
