/**
 * The monitor's AlertNotifier over the outbox: it only queues rows (one key per alert group, one
 * per notice name) and wakes the dispatcher; Slack being down never reaches the monitor.
 */
import { alertOutboxKey, noticeOutboxKey, OutboxAlertNotifier } from '../../src/slack/alert-notifier';
import { openDatabase, OutboxStore, type Database } from '../../src/store';

const T0 = new Date('2026-03-01T10:00:00.000Z');

describe('OutboxAlertNotifier', () => {
  let database: Database;
  let outbox: OutboxStore;
  let wakes: number;
  let notifier: OutboxAlertNotifier;
  beforeEach(async () => {
    database = await openDatabase('sqlite::memory:');
    outbox = new OutboxStore(database);
    wakes = 0;
    notifier = new OutboxAlertNotifier(
      outbox,
      () => (wakes += 1),
      () => T0,
    );
  });
  afterEach(() => database.close());

  it('queues the post and the edits of an alert under its group, naming the alert, and wakes the dispatcher each time', async () => {
    await notifier.alertPosted('distant-places:005A:0Ak1', 'distant-places:005A');
    await notifier.alertUpdated('distant-places:005A:0Ak1', 'distant-places:005A');
    const rows = await outbox.listForKey(alertOutboxKey('distant-places:005A'));
    expect(rows).toEqual([
      expect.objectContaining({
        key: 'alert:distant-places:005A',
        kind: 'alert_post',
        alertKey: 'distant-places:005A:0Ak1',
        state: 'pending',
        availableAt: T0,
      }),
      expect.objectContaining({ key: 'alert:distant-places:005A', kind: 'alert_update', alertKey: 'distant-places:005A:0Ak1', state: 'pending' }),
    ]);
    expect(wakes).toBe(2);
    // Rows of one group are one key: the edit waits for the post.
    expect((await outbox.listClaimable(T0, 10)).map((r) => r.kind)).toEqual(['alert_post']);
  });

  it('keeps alert groups apart: each is its own message and its own order', async () => {
    await notifier.alertPosted('distant-places:005A:0Ak1', 'distant-places:005A');
    await notifier.alertPosted('failed-logins:005A:0Ya1', 'failed-logins:005A');
    expect((await outbox.listClaimable(T0, 10)).map((r) => r.key)).toEqual(['alert:distant-places:005A', 'alert:failed-logins:005A']);
  });

  it('queues a notice with its rendered message, behind alerts in priority', async () => {
    const message = { text: 'Polling paused', blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text: 'Polling paused' } }] };
    await notifier.notice('api-budget', message);
    await notifier.alertPosted('distant-places:005A:0Ak1', 'distant-places:005A');
    const [notice] = await outbox.listForKey(noticeOutboxKey('api-budget'));
    expect(notice).toMatchObject({ kind: 'notice', payload: message, priority: 1 });
    expect((await outbox.listClaimable(T0, 10)).map((r) => r.kind)).toEqual(['alert_post', 'notice']);
    expect(wakes).toBe(2);
  });

  it('throws when the database refuses the row, so the monitor knows the alert was not queued', async () => {
    await database.close();
    await expect(notifier.alertPosted('k', 'g')).rejects.toThrow();
    expect(wakes).toBe(0);
    database = await openDatabase('sqlite::memory:');
  });
});
