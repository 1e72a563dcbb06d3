/**
 * The org view's aggregation (src/operations/org-view.ts): pure over domain sessions, so each
 * case is a small table of sessions and what the view must say about them.
 */
import { DEFAULT_POLICY, type Session } from '../../src/domain/types';
import { countAlerts, mirrorIsFresh, orgView, summarizeOrg, TOP_HOLDERS, type OrgPerson, type OrgViewDeps } from '../../src/operations/org-view';
import { makeSession, MOSCOW, NOW, SAN_FRANCISCO } from '../support/view-factories';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const ADA = '005000000000001AAA';
const BOB = '005000000000002AAA';
const BOT = '005000000000009AAA';
const PARIS = { ...SAN_FRANCISCO, city: 'Paris', country: 'France', countryIso: 'FR' };

const people = new Map<string, OrgPerson>([
  [ADA, { userId: ADA, name: 'Ada Lovelace', username: 'ada@acme.com' }],
  [BOB, { userId: BOB, name: 'Bob Baker', username: 'bob@acme.com' }],
]);
const noAlerts = countAlerts([], false);
const noTokens = { state: 'read', rows: [], complete: true } as const;
const source = { kind: 'salesforce', calls: 1, extraCalls: 0, mirror: 'off', mirrorPolledAt: null } as const;

function at(minutesAgo: number): Date {
  return new Date(NOW.getTime() - minutesAgo * MIN);
}

function s(n: number, over: Partial<Session>): Session {
  return makeSession(n, { createdAt: at(30), lastModifiedAt: at(1), place: SAN_FRANCISCO, ...over });
}

function summarize(sessions: Session[], over: Partial<Parameters<typeof summarizeOrg>[0]> = {}) {
  return summarizeOrg({ sessions, people, alerts: noAlerts, policy: DEFAULT_POLICY, now: NOW, botUserId: BOT, source, tokens: noTokens, ...over });
}

describe('summarizeOrg', () => {
  it('counts sessions by session type and login type, logins, people online, integration and unknown places', () => {
    const summary = summarize([
      s(1, { userId: ADA }),
      s(2, { userId: ADA, parentId: makeSession(1).id, sessionType: 'Aura' }),
      s(3, { userId: BOB, sessionType: 'Oauth2', loginType: 'Remote Access 2.0', place: null }),
      s(4, { userId: BOT, sessionType: 'Oauth2', loginType: 'Remote Access 2.0', isCurrent: true }),
    ]);
    expect(summary.totals).toEqual({ sessions: 4, families: 3, people: 2, apiOnlyPeople: 1, integrationSessions: 2, botOwn: 1, unknownPlace: 1 });
    expect(summary.bySessionType).toEqual([
      { label: 'Oauth2', count: 2 },
      { label: 'Aura', count: 1 },
      { label: 'UI', count: 1 },
    ]);
    expect(summary.byLoginType).toEqual([
      { label: 'Application', count: 2 },
      { label: 'Remote Access 2.0', count: 2 },
    ]);
  });

  it.each<[string, Session[], string[][]]>([
    ['two countries at once', [s(1, { userId: BOB, place: SAN_FRANCISCO }), s(2, { userId: BOB, place: MOSCOW })], [['RU', 'US']]],
    ['one country twice is not several', [s(1, { userId: BOB }), s(2, { userId: BOB })], []],
    ['an unknown place is not a country', [s(1, { userId: BOB }), s(2, { userId: BOB, place: null })], []],
    [
      'most countries first',
      [
        s(1, { userId: ADA }),
        s(2, { userId: ADA, place: MOSCOW }),
        s(3, { userId: ADA, place: PARIS }),
        s(4, { userId: BOB }),
        s(5, { userId: BOB, place: MOSCOW }),
      ],
      [
        ['FR', 'RU', 'US'],
        ['RU', 'US'],
      ],
    ],
    ["the bot's own sessions are nobody's travel", [s(1, { userId: BOT }), s(2, { userId: BOT, place: MOSCOW })], []],
  ])('several countries: %s', (_name, sessions, expected) => {
    const lines = summarize(sessions).lines.flatMap((l) => (l.kind === 'countries' ? [l.countries] : []));
    expect(lines).toEqual(expected);
  });

  it.each<[string, Session, { kind: string; beyondMaxAge?: boolean } | null]>([
    // The monitor's rules decide (session-timeout, token-age): a person's session by how long it was in use.
    ['a person in use within a working day', s(1, { createdAt: at(10 * 60) }), null],
    ['a person kept in use past a working day', s(1, { createdAt: at(20 * 60) }), { kind: 'past-policy', beyondMaxAge: false }],
    ['valid overnight but idle since the evening', s(1, { createdAt: at(20 * 60), lastModifiedAt: at(19 * 60), expiresAt: at(-60) }), null],
    ['a person kept in use for days', s(1, { createdAt: new Date(NOW.getTime() - 45 * DAY) }), { kind: 'past-policy', beyondMaxAge: true }],
    ['an integration session within rotation', s(1, { sessionType: 'Oauth2', createdAt: new Date(NOW.getTime() - 30 * DAY) }), null],
    ['an integration session past rotation', s(1, { sessionType: 'Oauth2', createdAt: new Date(NOW.getTime() - 31 * DAY - MIN) }), { kind: 'integration' }],
    ['an integration session in use a whole day is no working-day case', s(1, { sessionType: 'API', createdAt: at(20 * 60) }), null],
    ["the bot's own old session", s(1, { userId: BOT, createdAt: new Date(NOW.getTime() - 45 * DAY) }), null],
  ])('policy: %s', (_name, session, expected) => {
    const lines = summarize([session]).lines.filter((l) => l.kind === 'past-policy' || l.kind === 'integration');
    if (expected === null) expect(lines).toEqual([]);
    else expect(lines).toEqual([expect.objectContaining(expected)]);
  });

  it('lists the top holders, most sessions first, leaving out the bot', () => {
    const sessions: Session[] = [];
    let n = 0;
    for (let u = 0; u < TOP_HOLDERS + 3; u++) {
      for (let k = 0; k <= u; k++) sessions.push(s(++n, { userId: `005${String(u + 100).padStart(12, '0')}AAA` }));
    }
    for (let k = 0; k < 50; k++) sessions.push(s(++n, { userId: BOT }));
    const holders = summarize(sessions).lines.filter((l) => l.kind === 'holder');
    expect(holders).toHaveLength(TOP_HOLDERS);
    expect(holders.map((h) => (h.kind === 'holder' ? h.sessions : 0))).toEqual([13, 12, 11, 10, 9, 8, 7, 6, 5, 4]);
    expect(holders.some((h) => h.person.userId === BOT)).toBe(false);
  });

  it('names people from the read and keeps unknown ones by id, never inventing a name', () => {
    const lines = summarize([s(1, { userId: BOB }), s(2, { userId: '005000000000007AAA' })]).lines.filter((l) => l.kind === 'holder');
    expect(lines.map((l) => l.person)).toEqual(
      expect.arrayContaining([
        { userId: BOB, name: 'Bob Baker', username: 'bob@acme.com' },
        { userId: '005000000000007AAA', name: null, username: null },
      ]),
    );
    expect(lines).toHaveLength(2);
  });

  it('counts open alerts per severity and per person, worst first', () => {
    const alerts = countAlerts(
      [
        { userId: ADA, severity: 'medium', rule: 'new-country' },
        { userId: BOB, severity: 'medium', rule: 'session-timeout' },
        { userId: BOB, severity: 'high', rule: 'distant-places' },
      ],
      false,
    );
    const summary = summarize([], { alerts });
    expect(summary.alerts).toEqual({ count: 3, capped: false, bySeverity: { high: 1, medium: 2, low: 0 } });
    expect(summary.lines.map((l) => (l.kind === 'alerts' ? [l.person.userId, l.worst, l.rules] : null))).toEqual([
      [BOB, 'high', ['session-timeout', 'distant-places']],
      [ADA, 'medium', ['new-country']],
    ]);
  });

  it("lists integrations' tokens past rotation (whole days), counts people's without listing them, leaves out the bot", () => {
    const token = (userId: string, days: number, appName: string) => ({ appName, userId, createdAt: new Date(NOW.getTime() - days * DAY), lastUsedAt: null });
    // Bob is online through an integration only, Ada in a browser: only Bob's tokens are held to rotation.
    const sessions = [s(1, { userId: BOB, sessionType: 'Oauth2', loginType: 'Remote Access 2.0' }), s(2, { userId: ADA })];
    const summary = summarize(sessions, {
      tokens: {
        state: 'read',
        complete: true,
        rows: [
          token(BOB, 120, 'Salesforce for iOS'),
          token(BOB, 45, 'Data Loader'),
          token(ADA, 30.5, 'Workbench'),
          token(ADA, 31, 'Workbench'),
          token(BOT, 400, 'Warden'),
        ],
      },
    });
    expect(summary.tokens).toEqual({ state: 'read', count: 2, people: 1, complete: true });
    expect(summary.lines.flatMap((l) => (l.kind === 'tokens' ? [[l.person.userId, l.count, l.apps, l.oldestDays]] : []))).toEqual([
      [BOB, 2, ['Data Loader', 'Salesforce for iOS'], 120],
    ]);
  });

  it('says tokens are unknown, never none, when they could not be read', () => {
    expect(summarize([], { tokens: { state: 'unknown', why: 'not-in-mirror' } }).tokens).toEqual({ state: 'unknown', why: 'not-in-mirror' });
  });

  it('keeps the reading order: countries, kept in use past a working day, integration, holders, alerts', () => {
    const alerts = countAlerts([{ userId: BOB, severity: 'high', rule: 'distant-places' }], false);
    const kinds = summarize(
      [
        s(1, { userId: BOB, place: MOSCOW, createdAt: at(20 * 60) }),
        s(2, { userId: BOB }),
        s(3, { userId: ADA, sessionType: 'Oauth2', createdAt: new Date(NOW.getTime() - 40 * DAY) }),
      ],
      { alerts },
    ).lines.map((l) => l.kind);
    expect(kinds).toEqual(['countries', 'past-policy', 'integration', 'holder', 'holder', 'alerts']);
  });
});

describe('mirrorIsFresh', () => {
  const monitor = { intervalSeconds: 60, fullScanMinutes: 15 };
  it.each<[string, { lastPollAt: Date | null; lastFullScanAt: Date | null }, typeof monitor, boolean]>([
    ['just polled and scanned', { lastPollAt: at(1), lastFullScanAt: at(5) }, monitor, true],
    ['never polled', { lastPollAt: null, lastFullScanAt: null }, monitor, false],
    ['polled but never read in full', { lastPollAt: at(1), lastFullScanAt: null }, monitor, false],
    ['last poll older than three intervals (and 3 min)', { lastPollAt: at(4), lastFullScanAt: at(5) }, monitor, false],
    ['full read older than the scan period and the slack', { lastPollAt: at(1), lastFullScanAt: at(19) }, monitor, false],
    ['full read within the period and the slack', { lastPollAt: at(1), lastFullScanAt: at(17) }, monitor, true],
    ['the monitor is off', { lastPollAt: at(0), lastFullScanAt: at(0) }, { intervalSeconds: 0, fullScanMinutes: 15 }, false],
  ])('%s', (_name, clock, settings, fresh) => {
    expect(mirrorIsFresh(clock, settings, NOW)).toBe(fresh);
  });
});

describe('orgView', () => {
  function deps(clock: { lastPollAt: Date | null; lastFullScanAt: Date | null }, calls: string[]): OrgViewDeps {
    return {
      source: {
        liveSessions: () => {
          calls.push('salesforce');
          return Promise.resolve({ sessions: [s(1, { userId: BOB })], people: [...people.values()], calls: 1, extraCalls: 0, tokens: { problem: 'refused' } });
        },
      },
      mirror: {
        allSessions: () => {
          calls.push('mirror');
          return Promise.resolve([s(2, { userId: ADA })]);
        },
        usersByIds: () => Promise.resolve([]),
      },
      mirrorClock: () => Promise.resolve(clock),
      monitor: { intervalSeconds: 60, fullScanMinutes: 15 },
      openAlerts: () => Promise.resolve(noAlerts),
      policy: DEFAULT_POLICY,
      botUserId: () => BOT,
      now: () => NOW,
    };
  }

  it('reads the mirror when fresh, and Salesforce otherwise', async () => {
    const calls: string[] = [];
    const fresh = await orgView(deps({ lastPollAt: at(1), lastFullScanAt: at(2) }, calls));
    expect(fresh?.summary.source).toEqual({ kind: 'mirror', polledAt: at(1), scannedAt: at(2) });
    expect(fresh?.sessions.map((x) => x.userId)).toEqual([ADA]);
    const stale = await orgView(deps({ lastPollAt: at(30), lastFullScanAt: at(30) }, calls));
    expect(stale?.summary.source).toEqual({ kind: 'salesforce', calls: 1, extraCalls: 0, mirror: 'stale', mirrorPolledAt: at(30) });
    expect(fresh?.summary.tokens).toEqual({ state: 'unknown', why: 'not-in-mirror' });
    expect(stale?.summary.tokens).toEqual({ state: 'unknown', why: 'refused', detail: 'refused' });
    expect(calls).toEqual(['mirror', 'salesforce']);
  });

  it('mirrorOnly (App Home) never calls Salesforce: null when the mirror is stale', async () => {
    const calls: string[] = [];
    expect(await orgView(deps({ lastPollAt: null, lastFullScanAt: null }, calls), { mirrorOnly: true })).toBeNull();
    expect(calls).toEqual([]);
  });
});
