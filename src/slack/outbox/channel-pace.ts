/**
 * Slack accepts about one chat.postMessage per second per channel (short bursts aside) and answers
 * 429 beyond it. Every message the outbox posts passes through one pace, so an alert storm queues
 * here instead of meeting Slack's rate limit, which would pause every post behind a Retry-After.
 */
export interface PostPace {
  /** Runs `post` when the channel's turn comes: one post of a channel at a time, spaced by the pace. */
  run<T>(channel: string, post: () => Promise<T>): Promise<T>;
}

/** No pacing (tests of other behaviour, and Slack stand-ins that do not enforce a pace). */
export const UNPACED: PostPace = { run: (_channel, post) => post() };

/**
 * One lane per channel. The next post of a channel starts a full interval after the previous one
 * ANSWERED, not after it started: Slack counts a message when it processes it, which is somewhere
 * before its answer, so spacing from the answer can never land two posts within one interval
 * however the network delays them. A failed post (429, 500, timeout) takes its turn too: Slack may
 * have counted it. The pace is per process; replicas each keep their own (see the dispatcher).
 */
export class ChannelPace implements PostPace {
  /** Per channel, the moment the last queued post's turn ends; removed once a lane is idle. */
  private readonly lanes = new Map<string, Promise<void>>();
  private readonly intervalMs: number;

  constructor(perChannelPerSecond: number) {
    if (!(perChannelPerSecond > 0)) throw new Error(`the bot: a channel pace needs a positive rate, got ${perChannelPerSecond}`);
    this.intervalMs = Math.ceil(1000 / perChannelPerSecond);
  }

  async run<T>(channel: string, post: () => Promise<T>): Promise<T> {
    const before = this.lanes.get(channel) ?? Promise.resolve();
    let endTurn: () => void = () => undefined;
    const turn = new Promise<void>((resolve) => {
      endTurn = resolve;
    });
    this.lanes.set(channel, turn);
    await before;
    try {
      return await post();
    } finally {
      const timer = setTimeout(() => {
        if (this.lanes.get(channel) === turn) this.lanes.delete(channel);
        endTurn();
      }, this.intervalMs);
      // A lane waiting out its interval must not keep a stopping process alive; nothing is lost (rows stay in the outbox).
      timer.unref();
    }
  }
}
