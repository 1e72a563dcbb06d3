import type { Logger } from '../../logger';
import type { AlertOutboxRow } from '../../store/outbox-store';
import type { AlertMap } from './alert-image-delivery';
import type { SlackMessage } from '../views';
import type { PostPace } from './channel-pace';
import type { DeliveryResult } from './delivery';
import { postMarkOf, type PostMark, type SlackCalls } from './slack-calls';

/** An alert as it should look now, and where its message is (null until the first post answered). */
export interface RenderedAlert {
  message: SlackMessage;
  channelId: string | null;
  messageTs: string | null;
}

/**
 * The port alert rows are rendered through, at delivery time (implemented over the alerts table,
 * the monitor's mirror and the alert view). Keyed by the finding key the alert is stored under.
 */
export interface AlertMessages {
  /** The message as of now; null when the alert no longer exists (its row is then done, nothing is sent). */
  render(alertKey: string): Promise<RenderedAlert | null>;
  /** Records where Slack put the alert's message, so later updates edit it and a retried post is skipped. */
  posted(alertKey: string, channelId: string, ts: string): Promise<void>;
  /** The places of a travel alert, for its map picture; null when there is nothing to draw. Absent: no maps. */
  mapOf?(alertKey: string): Promise<AlertMap | null>;
}

export interface AlertDeliveryDeps {
  slack: SlackCalls;
  /** The security channel: where an alert is posted when it has no message yet. */
  channel: string;
  alerts: AlertMessages;
  logger: Logger;
}

const ok: DeliveryResult = { ok: true };

/**
 * An alert group's one message: posted once, then edited in place, always showing the alert as it
 * is at delivery (so a late or merged update shows the latest state).
 */
export class AlertDelivery {
  constructor(private readonly deps: AlertDeliveryDeps) {}

  async deliver(row: AlertOutboxRow, pace: PostPace): Promise<DeliveryResult> {
    const alert = await this.deps.alerts.render(row.alertKey);
    if (!alert) {
      this.deps.logger.debug({ alert: row.alertKey, kind: row.kind }, 'the alert no longer exists; nothing to send to Slack');
      return ok;
    }
    if (row.kind === 'alert_post') {
      // Already on Slack (a crash after the post and before the row was marked, or a second post queued for it): posting again would duplicate it.
      return alert.messageTs ? ok : this.post(row.alertKey, alert, pace, postMarkOf(row));
    }
    if (!alert.messageTs) return this.post(row.alertKey, alert, pace, postMarkOf(row));
    const res = await this.deps.slack.update(alert.channelId ?? this.deps.channel, alert.messageTs, alert.message);
    if (res.ok || res.failure.kind !== 'message_gone') return res;
    // Someone deleted the alert (or Slack will not edit it any more): post it afresh so it is still seen and its buttons work.
    this.deps.logger.warn(
      { alert: row.alertKey, slack: { method: 'chat.update', error: res.failure.reason } },
      'Slack could not update the alert message; posting a fresh one',
    );
    return this.post(row.alertKey, alert, pace, postMarkOf(row));
  }

  private async post(alertKey: string, alert: RenderedAlert, pace: PostPace, mark: PostMark): Promise<DeliveryResult> {
    const res = await this.deps.slack.post(pace, this.deps.channel, alert.message, undefined, mark);
    if (!res.ok) return res;
    await this.deps.alerts.posted(alertKey, res.posted.channel, res.posted.ts);
    return ok;
  }
}
