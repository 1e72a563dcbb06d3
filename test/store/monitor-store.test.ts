import { sql } from 'kysely';
import type { LoginEvent, Place, Session } from '../../src/domain/types';
import { MonitorStateStore, type MonitorStateKey, type MonitorStateValues } from '../../src/store/monitor-state-store';
import { MonitorStore } from '../../src/store/monitor-store';
import { DIALECTS, indexesOn, useDatabase } from '../support/databases';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

const MOSCOW: Place = { city: 'Moscow', subdivision: null, country: 'Russia', countryIso: 'RU', latitude: 55.7558, longitude: 37.6173 };

function session(id: string, userId: string, overrides: Partial<Session> = {}): Session {
  return {
    id,
    userId,
    parentId: null,
    sessionType: 'UI',
    loginType: 'Application',
    securityLevel: 'STANDARD',
    sourceIp: '203.0.113.7',
    createdAt: T0,
    lastModifiedAt: minutes(5),
    secondsValid: 7200,
    expiresAt: minutes(125),
    isCurrent: false,
    login: { loginTime: T0, browser: 'Chrome 122', platform: 'Mac OSX', application: 'Browser', loginType: 'Application' },
    place: MOSCOW,
    ...overrides,
  };
}

function login(id: string, userId: string, at: Date, overrides: Partial<LoginEvent> = {}): LoginEvent {
  return {
    id,
    userId,
    loginTime: at,
    status: 'Success',
    success: true,
    sourceIp: '203.0.113.7',
    loginType: 'Application',
    application: 'Browser',
    browser: 'Chrome 122',
    platform: 'Mac OSX',
    place: MOSCOW,
    ...overrides,
  };
}

describe.each(DIALECTS)('MonitorStore on %s', (dialect) => {
  const database = useDatabase(dialect);
  let mirror: MonitorStore;
  beforeEach(async () => {
    const { db } = database();
    await sql`delete from monitor_sessions`.execute(db);
    await sql`delete from monitor_logins`.execute(db);
    await sql`delete from monitor_scan_pending`.execute(db);
    mirror = new MonitorStore(database());
  });

  describe('sessions', () => {
    it('gives back exactly the sessions written, Dates and nulls included, by user then oldest first', async () => {
      const full = session('0Ak1', '005A');
      const bare = session('0Ak2', '005A', {
        parentId: '0Ak1',
        loginType: null,
        securityLevel: null,
        sourceIp: null,
        createdAt: minutes(1),
        isCurrent: true,
        login: null,
        place: null,
      });
      const partialLogin = session('0Ak3', '005B', {
        createdAt: minutes(-30),
        login: { loginTime: null, browser: null, platform: null, application: null, loginType: null },
        place: { city: null, subdivision: null, country: null, countryIso: null, latitude: null, longitude: null },
      });
      await mirror.upsertSessions([bare, partialLogin, full]);
      expect(await mirror.sessionsOfUsers(['005A', '005B'])).toEqual([full, bare, partialLogin]);
      const [first] = await mirror.sessionsOfUsers(['005A']);
      expect(first?.createdAt).toBeInstanceOf(Date);
      expect(first?.login?.loginTime).toBeInstanceOf(Date);
      expect(await mirror.sessionsOfUsers(['005Z'])).toEqual([]);
      expect(await mirror.sessionsOfUsers([])).toEqual([]);
    });

    it.each<[string, (s: Session) => Session, string[]]>([
      ['an identical row (repeat from the overlap window)', (s) => s, []],
      ['the same values in another key order', (s) => ({ ...Object.fromEntries(Object.entries(s).reverse()) }) as Session, []],
      ['a later LastModifiedDate', (s) => ({ ...s, lastModifiedAt: minutes(30), expiresAt: minutes(150) }), ['005A']],
      ['a place filled in', (s) => ({ ...s, place: { ...MOSCOW, city: 'Khimki' } }), ['005A']],
      ['a field becoming null', (s) => ({ ...s, sourceIp: null }), ['005A']],
    ])('reports the user of %s as changed: %j', async (_case, change, expected) => {
      const original = session('0Ak1', '005A');
      expect(await mirror.upsertSessions([original, session('0Ak9', '005B')])).toEqual({ rowIds: ['0Ak1', '0Ak9'], userIds: ['005A', '005B'] });
      const changed = change(original);
      const result = await mirror.upsertSessions([changed, session('0Ak9', '005B')]);
      expect(result.userIds).toEqual(expected);
      expect(result.rowIds).toEqual(expected.length > 0 ? ['0Ak1'] : []);
      expect(await mirror.sessionsOfUsers(['005A'])).toEqual([changed]);
    });

    it('keeps the last copy of an id given twice in one call (one statement cannot update a row twice)', async () => {
      const older = session('0Ak1', '005A', { lastModifiedAt: minutes(5) });
      const newer = session('0Ak1', '005A', { lastModifiedAt: minutes(9) });
      expect(await mirror.upsertSessions([older, newer])).toEqual({ rowIds: ['0Ak1'], userIds: ['005A'] });
      expect(await mirror.sessionsOfUsers(['005A'])).toEqual([newer]);
    });

    it('writes nothing when any row of the call fails, so no change goes unreported', async () => {
      await expect(mirror.upsertSessions([session('0Ak1', '005A'), session('0Ak2', '005B', { createdAt: new Date(Number.NaN) })])).rejects.toThrow(
        'invalid Date',
      );
      expect(await mirror.sessionsOfUsers(['005A', '005B'])).toEqual([]);
      expect(await mirror.upsertSessions([])).toEqual({ rowIds: [], userIds: [] });
    });
  });

  describe('logins', () => {
    it('gives back the logins of the window, newest first, dedupes by Id and prunes the old ones', async () => {
      const failed = login('0Ya1', '005A', minutes(-90), { status: 'Invalid Password', success: false, place: null, browser: null });
      const recent = login('0Ya2', '005A', minutes(-10));
      const other = login('0Ya3', '005B', minutes(-5));
      expect(await mirror.upsertLogins([failed, recent, other])).toEqual({ rowIds: ['0Ya1', '0Ya2', '0Ya3'], userIds: ['005A', '005B'] });
      // The next poll's overlap reads the same rows again: nothing new.
      expect(await mirror.upsertLogins([recent, other])).toEqual({ rowIds: [], userIds: [] });

      expect(await mirror.loginsOfUsers(['005A', '005B'], minutes(-120))).toEqual([other, recent, failed]);
      expect(await mirror.loginsOfUsers(['005A'], minutes(-60))).toEqual([recent]);
      expect(await mirror.loginsOfUsers(['005A'], minutes(-10))).toEqual([recent]);

      expect(await mirror.pruneLogins(minutes(-60))).toBe(1);
      expect(await mirror.loginsOfUsers(['005A'], minutes(-120))).toEqual([recent]);
      expect(await mirror.pruneLogins(minutes(-60))).toBe(0);
    });

    it("bulkLoadLogins: loads without the per-user index, builds it after, and after a failed load too (the load's error is kept)", async () => {
      const indexes = (): Promise<string[]> => indexesOn(database(), 'monitor_logins');
      expect(await indexes()).toContain('monitor_logins_user_idx');
      const during = await mirror.bulkLoadLogins(async () => {
        await mirror.upsertLogins([login('0Ya1', '005A', minutes(-5)), login('0Ya2', '005B', minutes(-4))]);
        return indexes();
      });
      expect(during).not.toContain('monitor_logins_user_idx');
      expect(await indexes()).toContain('monitor_logins_user_idx');
      expect((await mirror.loginsOfUsers(['005A'], minutes(-60))).map((l) => l.id)).toEqual(['0Ya1']);

      await expect(mirror.bulkLoadLogins(() => Promise.reject(new Error('Salesforce: REQUEST_LIMIT_EXCEEDED')))).rejects.toThrow('REQUEST_LIMIT_EXCEEDED');
      expect(await indexes()).toContain('monitor_logins_user_idx');
    });

    it("loginCountsOfUsers: each user's logins in the window, as numbers on both databases, users without any left out", async () => {
      await mirror.upsertLogins([
        login('0Ya1', '005A', minutes(-90)),
        login('0Ya2', '005A', minutes(-10)),
        login('0Ya3', '005A', minutes(-5), { status: 'Invalid Password', success: false }),
        login('0Ya4', '005B', minutes(-5)),
      ]);
      expect(await mirror.loginCountsOfUsers(['005A', '005B', '005C'], minutes(-60))).toEqual(
        new Map([
          ['005A', 2],
          ['005B', 1],
        ]),
      );
      expect(await mirror.loginCountsOfUsers([], minutes(-60))).toEqual(new Map());
    });

    it('sharedAddresses: addresses at least minUsers different people signed in from successfully in the window (an office NAT, a VPN exit)', async () => {
      const office = '203.0.113.20';
      const vpn = '2001:db8:aa::1';
      const rows = [
        // Five people through the office: shared. The same person twice counts once.
        ...['005A', '005B', '005C', '005D', '005E'].map((u, i) => login(`0YaO${i}`, u, minutes(-30 + i), { sourceIp: office })),
        login('0YaO9', '005A', minutes(-2), { sourceIp: office }),
        // Four people and one failure from a fifth: not shared (failures say nothing about who works there).
        ...['005A', '005B', '005C', '005D'].map((u, i) => login(`0YaV${i}`, u, minutes(-20 + i), { sourceIp: vpn.toUpperCase() })),
        login('0YaV9', '005E', minutes(-5), { sourceIp: vpn, status: 'Invalid Password', success: false }),
        // Five people, but one of them before the window: not shared.
        ...['005A', '005B', '005C', '005D'].map((u, i) => login(`0YaH${i}`, u, minutes(-20 + i), { sourceIp: '192.0.2.10' })),
        login('0YaH9', '005E', minutes(-200), { sourceIp: '192.0.2.10' }),
        // No address at all is never a shared network.
        ...['005A', '005B', '005C', '005D', '005E'].map((u, i) => login(`0YaN${i}`, u, minutes(-10 + i), { sourceIp: null })),
      ];
      await mirror.upsertLogins(rows);
      expect((await mirror.sharedAddresses(minutes(-60), 5)).sort()).toEqual([office]);
      // Stored lower-cased, so an IPv6 address written in capitals by Salesforce still groups.
      expect((await mirror.sharedAddresses(minutes(-60), 4)).sort()).toEqual(['192.0.2.10', office, vpn].sort());
      expect(await mirror.sharedAddresses(minutes(-1), 1)).toEqual([]);
    });

    it('loginsFromAddresses: every login from the addresses in the window, oldest first, failures included, whoever they were', async () => {
      const spray = '198.51.100.66';
      const a = login('0Ya1', '005A', minutes(-40), { sourceIp: spray, status: 'Invalid Password', success: false });
      const b = login('0Ya2', '005B', minutes(-30), { sourceIp: spray, status: 'Invalid Password', success: false });
      const c = login('0Ya3', '005B', minutes(-30), { sourceIp: spray });
      const elsewhere = login('0Ya4', '005C', minutes(-20), { sourceIp: '203.0.113.7' });
      const before = login('0Ya5', '005C', minutes(-200), { sourceIp: spray });
      const v6 = login('0Ya6', '005D', minutes(-10), { sourceIp: '2001:DB8:BAD::1' });
      await mirror.upsertLogins([c, elsewhere, b, before, a, v6]);
      expect(await mirror.loginsFromAddresses([spray], minutes(-60))).toEqual([a, b, c]);
      expect(await mirror.loginsFromAddresses([spray, '2001:db8:bad::1'], minutes(-60))).toEqual([a, b, c, v6]);
      expect(await mirror.loginsFromAddresses([spray], minutes(-300))).toEqual([before, a, b, c]);
      expect(await mirror.loginsFromAddresses([], minutes(-300))).toEqual([]);
      expect(await mirror.loginsFromAddresses(['192.0.2.99'], minutes(-300))).toEqual([]);
    });

    it('lists every user with a session or a login once, for the time-based sweep', async () => {
      await mirror.upsertSessions([session('0Ak1', '005B'), session('0Ak2', '005A'), session('0Ak3', '005B')]);
      await mirror.upsertLogins([login('0Ya1', '005C', T0), login('0Ya2', '005A', T0)]);
      expect(await mirror.allUserIds()).toEqual(['005A', '005B', '005C']);
    });
  });

  describe('full reconciliation', () => {
    it('drops the sessions Salesforce no longer lists and names their users', async () => {
      await mirror.upsertSessions([session('0Ak1', '005A'), session('0Ak2', '005A'), session('0Ak3', '005B'), session('0Ak4', '005C')]);
      expect(await mirror.beginScan('scan-1')).toBe(4);
      await mirror.markSeen('scan-1', ['0Ak1', '0AkNEW']);
      await mirror.markSeen('scan-1', ['0Ak4']);
      expect(await mirror.endScan('scan-1')).toEqual({ sessionIds: ['0Ak2', '0Ak3'], userIds: ['005A', '005B'] });
      expect((await mirror.sessionsOfUsers(['005A', '005B', '005C'])).map((s) => s.id)).toEqual(['0Ak1', '0Ak4']);
      // Ending it again finds nothing left to do.
      expect(await mirror.endScan('scan-1')).toEqual({ sessionIds: [], userIds: [] });
    });

    it('keeps sessions the steady poll added while the scan was running', async () => {
      await mirror.upsertSessions([session('0Ak1', '005A')]);
      await mirror.beginScan('scan-1');
      await mirror.upsertSessions([session('0Ak2', '005A', { createdAt: minutes(1) })]);
      await mirror.markSeen('scan-1', ['0Ak1']);
      expect(await mirror.endScan('scan-1')).toEqual({ sessionIds: [], userIds: [] });
      expect((await mirror.sessionsOfUsers(['005A'])).map((s) => s.id)).toEqual(['0Ak1', '0Ak2']);
    });

    it.each<[string, (m: MonitorStore) => Promise<void>]>([
      ['abandoned after a failed page', (m) => m.abandonScan('scan-1')],
      ['superseded by a newer scan (a stale leader ends it late)', (m) => m.beginScan('scan-2').then(() => undefined)],
    ])('removes nothing when the scan was %s', async (_case, interrupt) => {
      await mirror.upsertSessions([session('0Ak1', '005A'), session('0Ak2', '005B')]);
      await mirror.beginScan('scan-1');
      await mirror.markSeen('scan-1', ['0Ak1']);
      await interrupt(mirror);
      expect(await mirror.endScan('scan-1')).toEqual({ sessionIds: [], userIds: [] });
      expect((await mirror.sessionsOfUsers(['005A', '005B'])).map((s) => s.id)).toEqual(['0Ak1', '0Ak2']);
    });

    it('replaces the live set in one call when all ids are at hand', async () => {
      await mirror.upsertSessions([session('0Ak1', '005A'), session('0Ak2', '005B')]);
      expect(await mirror.replaceLiveSessions(['0Ak2'])).toEqual({ sessionIds: ['0Ak1'], userIds: ['005A'] });
      expect(await mirror.replaceLiveSessions([])).toEqual({ sessionIds: ['0Ak2'], userIds: ['005B'] });
      expect(await mirror.allUserIds()).toEqual([]);
    });
  });

  it('handles 100k sessions: upsert, repeat, a few changes and a full scan', async () => {
    const N = 100_000;
    const users = 5_000;
    const all = Array.from({ length: N }, (_, i) =>
      session(`0Ak${String(i).padStart(12, '0')}`, `005${String(i % users).padStart(12, '0')}`, { createdAt: new Date(T0.getTime() - i * 1000) }),
    );

    let started = performance.now();
    const first = await mirror.upsertSessions(all);
    const insertMs = performance.now() - started;
    expect(first.rowIds).toHaveLength(N);
    expect(first.userIds).toHaveLength(users);

    started = performance.now();
    const repeat = await mirror.upsertSessions(all);
    const repeatMs = performance.now() - started;
    expect(repeat).toEqual({ rowIds: [], userIds: [] });

    const touched = all.map((s, i) => (i % 10_000 === 7 ? { ...s, lastModifiedAt: minutes(60) } : s));
    started = performance.now();
    const someChanged = await mirror.upsertSessions(touched);
    const changeMs = performance.now() - started;
    expect(someChanged.rowIds).toHaveLength(10);
    expect(someChanged.userIds).toEqual([...new Set(all.filter((_, i) => i % 10_000 === 7).map((s) => s.userId))].sort());

    started = performance.now();
    await mirror.beginScan('big');
    const live = all.filter((_, i) => i % 20_000 !== 3).map((s) => s.id);
    for (let page = 0; page < live.length; page += 2000) await mirror.markSeen('big', live.slice(page, page + 2000));
    const ended = await mirror.endScan('big');
    const scanMs = performance.now() - started;
    expect(ended.sessionIds).toEqual(all.filter((_, i) => i % 20_000 === 3).map((s) => s.id));

    const someUsers = new Set(all.slice(0, 1000).map((s) => s.userId));
    const endedIds = new Set(ended.sessionIds);
    started = performance.now();
    const ofUsers = await mirror.sessionsOfUsers([...someUsers]);
    const readMs = performance.now() - started;
    expect(ofUsers.map((s) => s.id).sort()).toEqual(all.filter((s) => someUsers.has(s.userId) && !endedIds.has(s.id)).map((s) => s.id));

    console.log(
      `${dialect}: 100k sessions upsert ${insertMs.toFixed(0)} ms (new), ${repeatMs.toFixed(0)} ms (all unchanged), ${changeMs.toFixed(0)} ms (10 changed); ` +
        `full scan of 100k in 50 pages ${scanMs.toFixed(0)} ms; sessions of 1,000 users ${readMs.toFixed(0)} ms`,
    );
  }, 120_000);
});

describe.each(DIALECTS)('MonitorStateStore on %s', (dialect) => {
  const database = useDatabase(dialect);
  let state: MonitorStateStore;
  beforeEach(async () => {
    await sql`delete from monitor_state`.execute(database().db);
    state = new MonitorStateStore(database());
  });

  it.each<[MonitorStateKey, MonitorStateValues[MonitorStateKey], MonitorStateValues[MonitorStateKey]]>([
    ['sessionWatermark', T0, minutes(1)],
    ['loginWatermark', T0, minutes(1)],
    ['lastFullScanAt', T0, minutes(15)],
    ['backfillDoneAt', T0, minutes(2)],
    ['lastPollAt', T0, minutes(1)],
    ['callsToday', { day: '2026-03-01', calls: 41 }, { day: '2026-03-02', calls: 1 }],
    ['budgetState', { state: 'stretched', since: T0 }, { state: 'normal', since: minutes(30) }],
  ])('stores %s and gives it back exactly, versioned', async (key, value, next) => {
    expect(await state.get(key)).toBeNull();
    expect(await state.set(key, value, T0)).toEqual({ value, version: 1, updatedAt: T0 });
    expect(await state.get(key)).toEqual({ value, version: 1, updatedAt: T0 });
    await state.set(key, next, minutes(1));
    expect(await state.get(key)).toEqual({ value: next, version: 2, updatedAt: minutes(1) });
  });

  it.each<[string, number | null, boolean]>([
    ['nothing stored yet, expecting nothing', null, true],
    ['a value stored, expecting nothing', null, false],
    ['the version read', 1, true],
    ['a stale version', 0, false],
    ['a version from the future', 5, false],
  ])('compare-and-set against %s', async (caseName, expected, wins) => {
    if (!caseName.startsWith('nothing')) await state.set('callsToday', { day: '2026-03-01', calls: 1 }, T0);
    const before = await state.get('callsToday');
    const written = await state.compareAndSet('callsToday', { day: '2026-03-01', calls: 99 }, expected, minutes(1));
    if (wins) {
      expect(written).toEqual({ value: { day: '2026-03-01', calls: 99 }, version: (before?.version ?? 0) + 1, updatedAt: minutes(1) });
      expect(await state.get('callsToday')).toEqual(written);
    } else {
      expect(written).toBeNull();
      expect(await state.get('callsToday')).toEqual(before);
    }
  });

  it('lets one of many concurrent writers of the same version win', async () => {
    await state.set('budgetState', { state: 'normal', since: T0 }, T0);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => state.compareAndSet('budgetState', { state: 'paused', since: minutes(i) }, 1, minutes(i))),
    );
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    expect(await state.get('budgetState')).toEqual(winners[0]);
  });

  it('counts every call when several increments race (modify retries lost compare-and-sets)', async () => {
    const count = (day: string) => (current: MonitorStateValues['callsToday'] | null) => ({ day, calls: current?.day === day ? current.calls + 1 : 1 });
    await Promise.all(Array.from({ length: 8 }, () => state.modify('callsToday', count('2026-03-01'), T0)));
    expect((await state.get('callsToday'))?.value).toEqual({ day: '2026-03-01', calls: 8 });
    // A new day starts the count again.
    expect((await state.modify('callsToday', count('2026-03-02'), minutes(1))).value).toEqual({ day: '2026-03-02', calls: 1 });
  });

  it.each<[string, Date, boolean, Date]>([
    ['forward', minutes(5), true, minutes(5)],
    ['to the same instant', minutes(2), false, minutes(2)],
    ['backwards (a stale leader writing late)', minutes(1), false, minutes(2)],
    ['by one millisecond', new Date(minutes(2).getTime() + 1), true, new Date(minutes(2).getTime() + 1)],
  ])('advances a watermark only forward: %s', async (_case, to, moved, stored) => {
    expect(await state.advance('sessionWatermark', minutes(2), T0)).toBe(true);
    expect(await state.advance('sessionWatermark', to, minutes(1))).toBe(moved);
    expect((await state.get('sessionWatermark'))?.value).toEqual(stored);
  });

  it('names the key when a stored value is not what the monitor wrote', async () => {
    await sql`insert into monitor_state (key, value, version, updated_at) values ('callsToday', '{"day":"yesterday","calls":3}', 1, ${T0.toISOString()})`.execute(
      database().db,
    );
    await expect(state.get('callsToday')).rejects.toThrow('monitor state "callsToday" holds an unexpected value');
  });
});
