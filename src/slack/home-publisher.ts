import type { WebClient } from '@slack/web-api';
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
}

const DEFAULTS = { recentMs: 30 * 60_000, maxViewers: 50, debounceMs: 500 };

/**
 * The App Home tab through views.publish. Opening the tab publishes it for that person (the full
 * tab for admins and approvers, one sentence for everyone else). Admins and approvers who opened
 * it recently are remembered in memory (per process: each replica serves those who opened it
 * there), and when alerts or requests change their tabs are published again — once per burst of
 * changes, never on a timer.
 */
export class HomePublisher {
  private readonly viewers = new Map<string, { teamId: string | undefined; at: number }>();
  private readonly opts: Required<HomePublisherOptions>;
  private timer: NodeJS.Timeout | null = null;
  private publishing: Promise<void> = Promise.resolve();

  constructor(
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
      await this.publish(userId, decision.failure ? uncheckedHomeView(decision.reason) : outsiderHomeView());
      return;
    }
    this.remember(userId, teamId);
    await this.publish(userId, homeView(await this.snapshot()));
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

  /** Waits for a pending refresh (tests, shutdown). */
  async settled(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.publishing = this.publishing.then(() => this.republish());
    }
    await this.publishing;
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
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
          await this.publish(userId, outsiderHomeView());
        }
        continue;
      }
      await this.publish(userId, tab);
    }
  }

  private async publish(userId: string, view: HomeView): Promise<void> {
    try {
      await this.client.views.publish({ user_id: userId, view });
    } catch (err) {
      // A tab that could not be published is stale until the next change or the next open; nothing else depends on it.
      this.logger.warn({ slackUser: userId, err: errorSummary(err) }, 'Slack views.publish failed for the App Home tab');
    }
  }
}
