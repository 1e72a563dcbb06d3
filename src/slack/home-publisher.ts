import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import type { HomeSnapshot } from '../operations/home';
import { errorSummary, type AccessControl } from './access';
import { homeView, outsiderHomeView, uncheckedHomeView, type HomeView } from './views/home';

export interface HomePublisherOptions {
  /** Who opened the tab this recently is re-published to when something changes. */
  recentMs?: number;
  /** At most this many recent viewers are kept (the oldest go first): re-publishing costs one call each. */
  maxViewers?: number;
  /** Changes this close together are published once. */
  debounceMs?: number;
  /** Real time: the viewer list must not move with the bot's test clock. */
  clock?: () => number;
  /** Least time between two views.publish calls: the method is Tier 4 (100+ a minute per workspace), so 600 ms keeps under it. */
  paceMs?: number;
}

const DEFAULTS = { recentMs: 30 * 60_000, maxViewers: 50, debounceMs: 500, paceMs: 600 };

/**
 * The App Home tab through views.publish. Opening the tab publishes it for that person (the full
 * tab for admins and approvers, one sentence for everyone else). Admins and approvers who opened
 * it recently are remembered in memory (per process: each replica serves those who opened it
 * there), and when alerts or requests change their tabs are published again — once per burst of
 * changes, never on a timer.
 *
 * Publishing has its own WebClient (no retries, 429s rejected) and its own queue: @slack/web-api
 * pauses a whole client for a 429's Retry-After, so a rate-limited views.publish on the client the
 * access checks use would stall every click during an alert storm. The queue holds at most one
 * view per person (a newer one replaces it), is paced to the method's tier, and waits out a 429
 * by itself; a person opening the tab goes first.
 */
export class HomePublisher {
  private readonly viewers = new Map<string, { teamId: string | undefined; at: number }>();
  private readonly opts: Required<HomePublisherOptions>;
  private timer: NodeJS.Timeout | null = null;
  private publishing: Promise<void> = Promise.resolve();
  /** The latest view owed to each person, oldest request first. */
  private readonly pending = new Map<string, HomeView>();
  private draining: Promise<void> | null = null;
  private lastCallAt = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private readonly halt = new AbortController();

  constructor(
    /** The tab's own client, with `rejectRateLimitedCalls` and no retries (see above); never the one access checks use. */
    private readonly client: WebClient,
    private readonly access: AccessControl,
    private readonly snapshot: () => Promise<HomeSnapshot>,
    private readonly logger: Logger,
    options: HomePublisherOptions = {},
  ) {
    this.opts = { ...DEFAULTS, clock: Date.now, ...options };
  }

  /** `app_home_opened` on the Home tab: publish what this person may see, and remember them if they may see it all. */
  async opened(userId: string, teamId: string | undefined): Promise<void> {
    const decision = await this.access.decide(userId, teamId, 'admin', 'App Home');
    if (!decision.allowed) {
      this.viewers.delete(userId);
      this.enqueue(userId, decision.failure ? uncheckedHomeView(decision.reason) : outsiderHomeView(), true);
      return;
    }
    this.remember(userId, teamId);
    this.enqueue(userId, homeView(await this.snapshot()), true);
  }

  /** Something the tab shows changed (an alert posted or resolved, a request moved): re-publish for recent viewers, soon. */
  changed(): void {
    if (this.timer || this.viewers.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.publishing = this.publishing.then(() => this.republish()).catch((err: unknown) => this.logger.error({ err }, 'could not refresh the App Home tabs'));
    }, this.opts.debounceMs);
    this.timer.unref();
  }

  /** Waits for a pending refresh and for every queued view to be published (tests, shutdown). */
  async settled(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.publishing = this.publishing.then(() => this.republish());
    }
    await this.publishing;
    while (this.draining) await this.draining;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
    this.halt.abort();
  }

  /** Views owed and not yet published (tests and operators). */
  queued(): string[] {
    return [...this.pending.keys()];
  }

  /** The people a change is published to (tests and operators). */
  recentViewers(): string[] {
    this.forgetOld();
    return [...this.viewers.keys()];
  }

  private remember(userId: string, teamId: string | undefined): void {
    this.viewers.delete(userId);
    this.viewers.set(userId, { teamId, at: this.opts.clock() });
    while (this.viewers.size > this.opts.maxViewers) {
      const oldest = this.viewers.keys().next().value;
      if (oldest === undefined) break;
      this.viewers.delete(oldest);
    }
  }

  private forgetOld(): void {
    const cutoff = this.opts.clock() - this.opts.recentMs;
    for (const [id, v] of this.viewers) if (v.at < cutoff) this.viewers.delete(id);
  }

  private async republish(): Promise<void> {
    this.forgetOld();
    if (this.viewers.size === 0) return;
    // One read of the data for every viewer; each one's access is checked again (cached for a minute), so a person removed from the lists stops getting it.
    const tab = homeView(await this.snapshot());
    for (const [userId, { teamId }] of [...this.viewers]) {
      const decision = await this.access.decide(userId, teamId, 'admin', 'App Home refresh');
      if (!decision.allowed) {
        if (!decision.failure) {
          this.viewers.delete(userId);
          this.enqueue(userId, outsiderHomeView());
        }
        continue;
      }
      this.enqueue(userId, tab);
    }
  }

  /** Owes `view` to the person, replacing any view still waiting for them; `first` puts them ahead of everyone. */
  private enqueue(userId: string, view: HomeView, first = false): void {
    if (this.halt.signal.aborted) return;
    if (first) {
      const rest = [...this.pending].filter(([id]) => id !== userId);
      this.pending.clear();
      this.pending.set(userId, view);
      for (const [id, v] of rest) this.pending.set(id, v);
    } else this.pending.set(userId, view);
    this.draining ??= this.drain().finally(() => {
      this.draining = null;
    });
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0 && !this.halt.signal.aborted) {
      const wait = Math.max(this.pausedUntil, this.lastCallAt + this.opts.paceMs) - this.opts.clock();
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal: this.halt.signal, ref: false });
        } catch {
          return;
        }
      }
      const next = this.pending.entries().next();
      if (next.done) return;
      const [userId, view] = next.value;
      this.pending.delete(userId);
      this.lastCallAt = this.opts.clock();
      await this.publish(userId, view);
    }
  }

  private async publish(userId: string, view: HomeView): Promise<void> {
    try {
      await this.client.views.publish({ user_id: userId, view });
    } catch (err) {
      const retryAfter =
        (err as { code?: unknown; retryAfter?: unknown }).code === ErrorCode.RateLimitedError ? (err as { retryAfter?: unknown }).retryAfter : undefined;
      if (typeof retryAfter === 'number') {
        // Only this queue waits; the view is owed still, unless a newer one for the person came meanwhile.
        this.pausedUntil = this.opts.clock() + Math.max(1, retryAfter) * 1000;
        if (!this.pending.has(userId)) this.pending.set(userId, view);
        this.logger.warn(
          { slackUser: userId, retryAfterSec: retryAfter, queued: this.pending.size },
          'Slack rate-limited views.publish; App Home tabs wait, nothing else does',
        );
        return;
      }
      // A tab that could not be published is stale until the next change or the next open; nothing else depends on it.
      this.logger.warn({ slackUser: userId, err: errorSummary(err) }, 'Slack views.publish failed for the App Home tab');
    }
  }
}
