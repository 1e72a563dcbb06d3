import type { Finding } from '../../src/domain/types';
import { makeFinding } from '../../src/rules/rule';
import { AlertsStore, type AlertState } from '../../src/store/alerts-store';
import { DIALECTS, useDatabase } from '../support/databases';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

/** A distant-places finding over session roots `rowIds`, with evidence holding Dates and an Infinity speed. */
function travel(userId: string, rowIds: string[], severity: Finding['severity'] = 'high'): Finding {
  return makeFinding({
    rule: 'distant-places',
    userId,
    subject: 'sessions',
    rowIds,
    severity,
    message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, at the same time',
    sessionIds: rowIds,
    evidence: {
      kind: 'travel',
      from: { rowId: rowIds[0] ?? '', at: T0, label: 'San Francisco, US', countryIso: 'US', ip: '198.51.100.4' },
      to: { rowId: rowIds[1] ?? '', at: T0, label: 'Moscow, RU', countryIso: 'RU', ip: null },
      km: 9400,
      speedKmh: Infinity,
      gapMs: 0,
    },
  });
}

/** A user-level finding without evidence. */
function failures(userId: string, loginIds: string[]): Finding {
  return makeFinding({
    rule: 'failed-logins',
    userId,
    subject: 'logins',
    rowIds: loginIds,
    severity: 'medium',
    message: '4 failed logins in 12 min, then a success',
  });
}

describe.each(DIALECTS)('AlertsStore on %s', (dialect) => {
  const database = useDatabase(dialect);
  let alerts: AlertsStore;
  beforeEach(() => {
    alerts = new AlertsStore(database());
  });

  it('lets only the first claimer through, keeps the finding exactly and tracks when it was last seen', async () => {
    const finding = travel('005A', ['0Ak1', '0Ak2']);
    expect(await alerts.claim(finding, T0)).toBe(true);
    expect(await alerts.claim(finding, minutes(5))).toBe(false);
    expect(await alerts.get(finding.key)).toEqual({
      key: 'distant-places:005A:0Ak1,0Ak2',
      groupKey: 'distant-places:005A',
      userId: '005A',
      rule: 'distant-places',
      severity: 'high',
      state: 'open',
      firstSeenAt: T0,
      lastSeenAt: minutes(5),
      finding,
      channelId: null,
      messageTs: null,
      resolvedAt: null,
      resolvedBy: null,
      // Claimed without { held: true }: it goes to the channel at once.
      held: false,
    });
    const stored = await alerts.get(finding.key);
    expect(stored?.finding.evidence).toMatchObject({ speedKmh: Infinity, from: { at: T0 } });
    // An out-of-order (older) sighting must not move last_seen_at backwards.
    expect(await alerts.claim(finding, minutes(1))).toBe(false);
    expect((await alerts.get(finding.key))?.lastSeenAt).toEqual(minutes(5));
    // A finding without evidence comes back without the property, not with an undefined one.
    const plain = failures('005A', ['0Ya1']);
    await alerts.claim(plain, T0);
    expect((await alerts.get(plain.key))?.finding).toStrictEqual(plain);
  });

  it('keeps a held alert out of the channel until it is released, once', async () => {
    const finding = travel('005H', ['0Ak7']);
    expect(await alerts.claim(finding, T0, { held: true })).toBe(true);
    expect((await alerts.get(finding.key))?.held).toBe(true);
    expect(await alerts.release(finding.key)).toBe(true);
    expect(await alerts.release(finding.key)).toBe(false);
    expect((await alerts.get(finding.key))?.held).toBe(false);
    // A later claim of the same finding (another poll, another replica) does not hold it again.
    expect(await alerts.claim(finding, minutes(1), { held: true })).toBe(false);
    expect((await alerts.get(finding.key))?.held).toBe(false);
  });

  it('gives exactly one true among 50 concurrent claims', async () => {
    const finding = travel('005A', ['0Ak1', '0Ak2']);
    const results = await Promise.all(Array.from({ length: 50 }, () => alerts.claim(finding, T0)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('never claims a key twice, even once the alert is resolved', async () => {
    const finding = travel('005A', ['0Ak1', '0Ak2']);
    await alerts.claim(finding, T0);
    await alerts.resolve(finding.key, 'sessions ended', minutes(1));
    expect(await alerts.claim(finding, minutes(2))).toBe(false);
    expect((await alerts.get(finding.key))?.state).toBe('resolved');
  });

  it('stores the Slack message of an alert', async () => {
    const finding = travel('005A', ['0Ak1', '0Ak2']);
    await alerts.claim(finding, T0);
    expect(await alerts.setMessage(finding.key, 'C0SEC', '1700000000.000200')).toBe(true);
    expect(await alerts.get(finding.key)).toMatchObject({ channelId: 'C0SEC', messageTs: '1700000000.000200' });
    expect(await alerts.setMessage('missing', 'C0SEC', '1.2')).toBe(false);
    expect(await alerts.get('missing')).toBeNull();
  });

  it('replaces the finding of an open alert of the same group, so its message can be edited in place', async () => {
    const first = travel('005A', ['0Ak1', '0Ak2'], 'medium');
    await alerts.claim(first, T0);
    const grown = travel('005A', ['0Ak1', '0Ak2', '0Ak3'], 'high');
    expect(await alerts.update(first.key, grown, minutes(3))).toBe(true);
    expect(await alerts.get(first.key)).toMatchObject({
      key: first.key,
      severity: 'high',
      finding: grown,
      firstSeenAt: T0,
      lastSeenAt: minutes(3),
      state: 'open',
    });

    expect(await alerts.update(first.key, travel('005B', ['0Ak9', '0Ak8']), minutes(4))).toBe(false);
    expect(await alerts.update('missing', grown, minutes(4))).toBe(false);
    await alerts.resolve(first.key, 'sessions ended', minutes(5));
    expect(await alerts.update(first.key, first, minutes(6))).toBe(false);
    expect((await alerts.get(first.key))?.finding).toEqual(grown);
  });

  it.each<[string, AlertState | null, 'resolve' | 'suppress', boolean, AlertState | null]>([
    ['resolves an open alert', 'open', 'resolve', true, 'resolved'],
    ['resolves a suppressed alert', 'suppressed', 'resolve', true, 'resolved'],
    ['does not resolve a resolved alert again', 'resolved', 'resolve', false, 'resolved'],
    ['does not resolve an unknown alert', null, 'resolve', false, null],
    ['suppresses an open alert', 'open', 'suppress', true, 'suppressed'],
    ['does not suppress a resolved alert', 'resolved', 'suppress', false, 'resolved'],
    ['does not suppress a suppressed alert again', 'suppressed', 'suppress', false, 'suppressed'],
  ])('%s (compare-and-set on state)', async (_case, from, action, moved, to) => {
    const finding = travel('005A', ['0Ak1', '0Ak2']);
    if (from !== null) {
      await alerts.claim(finding, T0);
      if (from === 'resolved') await alerts.resolve(finding.key, 'earlier', T0);
      if (from === 'suppressed') await alerts.suppress(finding.key, 'U0EARLIER', T0);
    }
    expect(await alerts[action](finding.key, 'R-42', minutes(1))).toBe(moved);
    const after = await alerts.get(finding.key);
    expect(after?.state ?? null).toBe(to);
    if (moved) expect(after).toMatchObject({ resolvedAt: minutes(1), resolvedBy: 'R-42' });
  });

  it('lets one of many concurrent resolvers win', async () => {
    const finding = travel('005A', ['0Ak1', '0Ak2']);
    await alerts.claim(finding, T0);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => alerts.resolve(finding.key, `R-${i}`, minutes(1))));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect((await alerts.get(finding.key))?.resolvedBy).toBe(`R-${winner}`);
  });

  it('lists open alerts by group, by user and oldest first', async () => {
    const a1 = travel('005A', ['0Ak1', '0Ak2']);
    const a2 = travel('005A', ['0Ak3', '0Ak4']);
    const a3 = failures('005A', ['0Ya1']);
    const b1 = travel('005B', ['0Ak5', '0Ak6']);
    const gone = failures('005B', ['0Ya2']);
    await alerts.claim(a2, minutes(2));
    await alerts.claim(a1, minutes(1));
    await alerts.claim(b1, minutes(3));
    await alerts.claim(a3, minutes(4));
    await alerts.claim(gone, T0);
    await alerts.resolve(gone.key, 'sessions ended', minutes(5));

    const keys = (records: Array<{ key: string }>) => records.map((r) => r.key);
    expect(keys(await alerts.openByGroup('distant-places:005A'))).toEqual([a1.key, a2.key]);
    expect(keys(await alerts.openByGroup('failed-logins:005B'))).toEqual([]);
    expect(keys(await alerts.openForUser('005A'))).toEqual([a1.key, a2.key, a3.key]);
    expect(keys(await alerts.openForUser('005B'))).toEqual([b1.key]);
    expect(keys(await alerts.listOpen(10))).toEqual([a1.key, a2.key, b1.key, a3.key]);
    expect(keys(await alerts.listOpen(2))).toEqual([a1.key, a2.key]);
  });
});
