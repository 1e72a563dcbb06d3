/**
 * The AlertMessages port over the real alerts table, for the outbox tests. The production renderer
 * builds the full alert view from the monitor's mirror; here the message is the stored finding and
 * state, which is all these tests look at (which message is edited, and that it shows the latest state).
 */
import type { AlertMessages, RenderedAlert } from '../../src/slack/outbox';
import type { AlertsStore } from '../../src/store/alerts-store';

export class TableAlertMessages implements AlertMessages {
  /** Every posted() call, in order. */
  readonly postedCalls: { alertKey: string; channelId: string; ts: string }[] = [];
  renders = 0;

  constructor(private readonly alerts: AlertsStore) {}

  async render(alertKey: string): Promise<RenderedAlert | null> {
    this.renders += 1;
    const alert = await this.alerts.get(alertKey);
    if (!alert) return null;
    const text = `${alert.state === 'open' ? 'Alert' : `Alert ${alert.state}`}: ${alert.finding.message} [${alert.finding.sessionIds.join(', ')}]`;
    return { message: { text, blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }] }, channelId: alert.channelId, messageTs: alert.messageTs };
  }

  async posted(alertKey: string, channelId: string, ts: string): Promise<void> {
    this.postedCalls.push({ alertKey, channelId, ts });
    await this.alerts.setMessage(alertKey, channelId, ts);
  }
}
