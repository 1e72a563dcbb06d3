import { AlertsStore } from '../../src/store/alerts-store';
import { DIALECTS, useDatabase } from './databases';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe.each(DIALECTS)('AlertsStore on %s', (dialect) => {
  const database = useDatabase(dialect);
  let alerts: AlertsStore;
  beforeEach(() => {
    alerts = new AlertsStore(database());
  });

  it('lets only the first claimer through and tracks when the alert was last seen', async () => {
    expect(await alerts.claim('login:005A:0Ya1', T0)).toBe(true);
    expect(await alerts.claim('login:005A:0Ya1', minutes(5))).toBe(false);
    expect(await alerts.claim('login:005A:0Ya2', minutes(5))).toBe(true);
    expect(await alerts.get('login:005A:0Ya1')).toEqual({
      key: 'login:005A:0Ya1', firstSeenAt: T0, lastSeenAt: minutes(5), channelId: null, messageTs: null,
    });
    // An out-of-order (older) sighting must not move last_seen_at backwards.
    expect(await alerts.claim('login:005A:0Ya1', minutes(1))).toBe(false);
    expect((await alerts.get('login:005A:0Ya1'))?.lastSeenAt).toEqual(minutes(5));
  });

  it('gives exactly one true among 50 concurrent claims', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, () => alerts.claim('race', T0)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('stores the Slack message of an alert', async () => {
    await alerts.claim('k', T0);
    expect(await alerts.setMessage('k', 'C0SEC', '1700000000.000200')).toBe(true);
    expect(await alerts.get('k')).toMatchObject({ channelId: 'C0SEC', messageTs: '1700000000.000200' });
    expect(await alerts.setMessage('missing', 'C0SEC', '1.2')).toBe(false);
    expect(await alerts.get('missing')).toBeNull();
  });
});
