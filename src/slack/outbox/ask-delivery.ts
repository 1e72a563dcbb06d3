import type { Logger } from '../../logger';
import type { AskOutboxRow } from '../../store/outbox-store';
import type { SlackMessage } from '../views';
import type { PostPace } from './channel-pace';
import type { DeliveryResult } from './delivery';
import type { SlackCalls } from './slack-calls';

/** The "was this you?" DM as it should look now, who it goes to, and where it is once posted. */
export interface RenderedAsk {
  message: SlackMessage;
  /** The colleague's Slack user id: chat.postMessage to a user id posts in the app's DM with them. */
  slackUserId: string;
  dmChannel: string | null;
  dmTs: string | null;
}

/** The port ask rows are rendered through, at delivery time (over the asks and alerts tables). */
export interface AskMessages {
  /** Null when there is no DM to send (no ask, or nobody to ask): the row is then done. */
  render(alertKey: string): Promise<RenderedAsk | null>;
  /** Records where Slack put the DM, so later rows edit it and a retried post is skipped. */
  posted(alertKey: string, channelId: string, ts: string): Promise<void>;
}

export interface AskDeliveryDeps {
  slack: SlackCalls;
  asks: AskMessages;
  logger: Logger;
}

const ok: DeliveryResult = { ok: true };

/** One DM per ask: posted once to the colleague, then edited in place to show their answer (or the timeout). */
export class AskDelivery {
  constructor(private readonly deps: AskDeliveryDeps) {}

  async deliver(row: AskOutboxRow, pace: PostPace): Promise<DeliveryResult> {
    const ask = await this.deps.asks.render(row.alertKey);
    if (!ask) {
      this.deps.logger.debug({ alert: row.alertKey, kind: row.kind }, 'no DM to send for this ask');
      return ok;
    }
    if (ask.dmTs && ask.dmChannel) {
      // A post whose DM is already there (a crash after Slack answered) would duplicate it; an update edits it.
      return row.kind === 'ask_post' ? ok : this.deps.slack.update(ask.dmChannel, ask.dmTs, ask.message);
    }
    const res = await this.deps.slack.post(pace, ask.slackUserId, ask.message);
    if (!res.ok) return res;
    await this.deps.asks.posted(row.alertKey, res.posted.channel, res.posted.ts);
    return ok;
  }
}
