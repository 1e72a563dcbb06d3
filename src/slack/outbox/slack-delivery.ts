import type { WebClient } from '@slack/web-api';
import type { Logger } from '../../logger';
import type { NoticeOutboxRow, OutboxRow } from '../../store/outbox-store';
import type { RequestsStore } from '../../store/requests-store';
import { AlertDelivery, type AlertMessages } from './alert-delivery';
import { AlertImageDelivery } from './alert-image-delivery';
import { renderTravelMap } from '../map/render-map';
import { AskDelivery, type AskMessages } from './ask-delivery';
import { DigestDelivery, type DigestMessages } from './digest-delivery';
import type { PostPace } from './channel-pace';
import { endpointOf, type Delivery, type DeliveryResult, type NoticePayload } from './delivery';
import { RequestDelivery } from './request-delivery';
import { postMarkOf, SlackCalls } from './slack-calls';

export interface SlackDeliveryDeps {
  /** A WebClient with retries: 0 and rejectRateLimitedCalls, so the outbox alone decides when to retry. */
  client: WebClient;
  /** The security channel: request messages, alerts and notices are posted there. */
  channel: string;
  requests: Pick<RequestsStore, 'get' | 'setMessage'>;
  /**
   * Renders alert rows at delivery. Optional so a bot without the monitor needs none; an alert row
   * met without it is dead-lettered with that cause (a wiring mistake of the bot, not a Slack one).
   */
  alerts?: AlertMessages;
  /** Renders alert digest rows at delivery; optional like `alerts` (a digest row met without it is dead-lettered). */
  digests?: DigestMessages;
  /** Renders "was this you?" DM rows at delivery; optional like `alerts` (an ask row met without it is dead-lettered). */
  asks?: AskMessages;
  /** Tells apart Slack's hook host (and the test stand-in) from anything else. */
  responseUrlAllowed: (url: string) => boolean;
  responseUrlTimeoutMs: number;
  logger: Logger;
  /** The bot's clock: the request message shows buttons only while the request can still be decided. */
  now: () => Date;
  /** The workspace's URL from auth.test, for message permalinks; null while unknown. */
  workspaceUrl?: () => string | null;
}

/** Turns outbox rows into Slack calls: each kind of row to the part that knows how to render it. */
export class SlackDelivery implements Delivery {
  private readonly slack: SlackCalls;
  private readonly requests: RequestDelivery;
  private readonly alerts: AlertDelivery | null;
  private readonly alertImages: AlertImageDelivery | null;
  private readonly asks: AskDelivery | null;
  private readonly digests: DigestDelivery | null;

  constructor(private readonly deps: SlackDeliveryDeps) {
    this.slack = new SlackCalls(deps.client, deps.responseUrlTimeoutMs);
    this.requests = new RequestDelivery({ ...deps, slack: this.slack });
    this.alerts = deps.alerts ? new AlertDelivery({ slack: this.slack, channel: deps.channel, alerts: deps.alerts, logger: deps.logger }) : null;
    const mapOf = deps.alerts?.mapOf?.bind(deps.alerts);
    this.alertImages = mapOf
      ? new AlertImageDelivery({ slack: this.slack, channel: deps.channel, mapOf, renderMap: renderTravelMap, logger: deps.logger })
      : null;
    this.asks = deps.asks ? new AskDelivery({ slack: this.slack, asks: deps.asks, logger: deps.logger }) : null;
    this.digests = deps.digests ? new DigestDelivery({ slack: this.slack, channel: deps.channel, digests: deps.digests, logger: deps.logger }) : null;
  }

  async deliver(row: OutboxRow, pace: PostPace): Promise<DeliveryResult> {
    switch (row.kind) {
      case 'post':
      case 'update':
      case 'reply':
      case 'respond':
        return this.requests.deliver(row, pace);
      case 'alert_post':
      case 'alert_update':
        if (!this.alerts)
          return {
            ok: false,
            endpoint: endpointOf(row.kind),
            failure: { kind: 'permanent', reason: 'the bot has no alert renderer wired, so it cannot render alert messages' },
          };
        return this.alerts.deliver(row, pace);
      case 'alert_image':
        // A bot wired without maps simply sends none: the picture is optional, the alert is not.
        return this.alertImages ? this.alertImages.deliver(row, pace) : { ok: true };
      case 'notice':
        return this.notice(row, pace);
      case 'ask_post':
      case 'ask_update':
        if (!this.asks)
          return {
            ok: false,
            endpoint: endpointOf(row.kind),
            failure: { kind: 'permanent', reason: 'the bot has no ask renderer wired, so it cannot render the DM to the colleague' },
          };
        return this.asks.deliver(row, pace);
      case 'alert_digest':
        if (!this.digests)
          return {
            ok: false,
            endpoint: endpointOf(row.kind),
            failure: { kind: 'permanent', reason: 'the bot has no digest renderer wired, so it cannot render alert digests' },
          };
        return this.digests.deliver(row, pace);
    }
  }

  private async notice(row: NoticeOutboxRow, pace: PostPace): Promise<DeliveryResult> {
    const payload = row.payload as NoticePayload;
    const res = await this.slack.post(pace, this.deps.channel, { text: payload.text, blocks: payload.blocks }, undefined, postMarkOf(row));
    return res.ok ? { ok: true } : res;
  }
}
