import type { Logger } from '../../logger';
import type { AlertOutboxRow } from '../../store/outbox-store';
import type { MapPlace } from '../map/render-map';
import type { PostPace } from './channel-pace';
import type { DeliveryResult } from './delivery';
import type { SlackCalls } from './slack-calls';

/** What a travel alert's picture shows, and where the alert's message is. */
export interface AlertMap {
  places: MapPlace[];
  /** Names the picture in Slack ("Bob Smith: San Francisco, US → Moscow, RU"). */
  title: string;
  channelId: string | null;
  messageTs: string | null;
}

export interface AlertImageDeliveryDeps {
  slack: SlackCalls;
  /** The security channel: where the alert was posted when its record names none. */
  channel: string;
  /** The alert's places; null when the alert is gone or its places have no coordinates. */
  mapOf: (alertKey: string) => Promise<AlertMap | null>;
  renderMap: (places: readonly MapPlace[]) => Promise<Buffer>;
  logger: Logger;
}

const done: DeliveryResult = { ok: true };

/**
 * The map under a travel alert, uploaded into its thread. The picture is a help, not the alert:
 * when it cannot be drawn or Slack refuses it, the row is given up with a warning rather than
 * retried, because later edits of the alert (same outbox key) wait behind it.
 */
export class AlertImageDelivery {
  constructor(private readonly deps: AlertImageDeliveryDeps) {}

  async deliver(row: AlertOutboxRow, pace: PostPace): Promise<DeliveryResult> {
    const log = this.deps.logger.child({ alert: row.alertKey, outbox: { id: row.id, kind: row.kind } });
    const map = await this.deps.mapOf(row.alertKey);
    if (!map) {
      log.debug('the alert has no places with coordinates (or is gone): no map to send');
      return done;
    }
    if (!map.messageTs) {
      log.warn('the alert never reached Slack, so its map has no thread to go in; skipped');
      return done;
    }
    let png: Buffer;
    try {
      png = await this.deps.renderMap(map.places);
    } catch (err) {
      log.warn({ err }, `the bot could not draw the alert's map (${err instanceof Error ? err.message : String(err)}); the alert stands without it`);
      return done;
    }
    const res = await this.deps.slack.uploadToThread(pace, map.channelId ?? this.deps.channel, map.messageTs, {
      bytes: png,
      filename: 'travel-map.png',
      title: map.title,
      altText: `Map: ${map.places.map((p) => p.label).join(' → ')}`,
    });
    if (!res.ok)
      log.warn(
        { slack: { method: 'files.uploadV2', error: res.failure.reason } },
        `Slack did not take the alert's map (${res.failure.reason}); the alert stands without it`,
      );
    return done;
  }
}
