import type { AlertOutboxKind, OutboxStore } from '../store/outbox-store';
import type { NoticePayload } from './outbox/delivery';
import type { DigestPayload } from './outbox/digest-delivery';
import type { SlackMessage } from './views';

/** One Slack message per alert group: all its rows share a key, so they reach Slack in the order they were owed. */
export function alertOutboxKey(groupKey: string): string {
  return `alert:${groupKey}`;
}

/** Notices of one name (e.g. the monitor's API budget) go out in the order they were given. */
export function noticeOutboxKey(name: string): string {
  return `notice:${name}`;
}

/** An alert storm's digest: one message, one key per digest. */
export function digestOutboxKey(digestId: string): string {
  return `digest:${digestId}`;
}

/**
 * The monitor's alerts and notices in Slack, through the outbox. Each method only writes a row
 * and wakes the dispatcher: Slack is called later by the dispatcher, so a Slack failure or Slack's
 * pace never reaches (nor slows) the monitor. A database failure does throw: the row was not queued.
 *
 * Alert rows carry no message: the dispatcher renders the alert when it delivers the row, so a
 * late row shows the alert as it is then. Queuing a post twice is harmless: a post whose alert
 * already has a message is skipped.
 */
export class OutboxAlertNotifier {
  constructor(
    private readonly outbox: Pick<OutboxStore, 'enqueue'>,
    /** Tells the dispatcher in this process that there is work, so it need not wait for its poll. */
    private readonly wake: () => void,
    /** Real time (the outbox schedules by it), not the bot's test clock. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A new alert was claimed under `alertKey`: post its group's message. */
  async alertPosted(alertKey: string, groupKey: string): Promise<void> {
    await this.alert('alert_post', alertKey, groupKey);
  }

  /** The alert stored under `alertKey` changed (new findings in its group, resolved): edit its message in place. */
  async alertUpdated(alertKey: string, groupKey: string): Promise<void> {
    await this.alert('alert_update', alertKey, groupKey);
  }

  /** A digest (already stored) of a storm's alerts: post its one message; rendered at delivery, like an alert. */
  async digestPosted(digestId: string): Promise<void> {
    const payload: DigestPayload = { digestId };
    await this.outbox.enqueue({ key: digestOutboxKey(digestId), kind: 'alert_digest', payload }, this.clock());
    this.wake();
  }

  /**
   * A new alert whose finding has a map (distant places, impossible travel): the picture goes into
   * the alert's thread. Same key as the post, so it is delivered after it, when the thread exists.
   */
  async alertImage(alertKey: string, groupKey: string): Promise<void> {
    await this.alert('alert_image', alertKey, groupKey);
  }

  /** A one-off line in the security channel (polling slowed / paused / resumed); posted after the alerts and requests that are due. */
  async notice(name: string, message: SlackMessage): Promise<void> {
    const payload: NoticePayload = { text: message.text, blocks: message.blocks };
    await this.outbox.enqueue({ key: noticeOutboxKey(name), kind: 'notice', payload }, this.clock());
    this.wake();
  }

  private async alert(kind: AlertOutboxKind, alertKey: string, groupKey: string): Promise<void> {
    await this.outbox.enqueue({ key: alertOutboxKey(groupKey), kind, alertKey, payload: {} }, this.clock());
    this.wake();
  }
}
