import { DEFAULT_POLICY, type Session } from '../../src/domain/types';
import { assessSessions, summarizeLogins } from '../../src/rules/assess';
import { DAY, HOUR, MINUTE, NOW, PLACES, ago, childOf, grant, login, place, session } from '../support/rule-factories';

const BOT = '005BOT000000000AAA';
const base = { policy: DEFAULT_POLICY, now: NOW, botUserId: BOT };

describe('assessSessions', () => {
  it('handles no sessions', () => {
    expect(assessSessions({ ...base, sessions: [] })).toEqual({
      families: [],
      userFindings: [],
      totals: { sessions: 0, families: 0, countries: [], oldestCreatedAt: null },
    });
  });

  it('ranks the riskiest family first and attaches findings to the families they name', () => {
    // No place on the calm and Login-As families, so Moscow can only be paired with `sf`.
    const calm = session({ place: null, createdAt: ago(30 * MINUTE), lastModifiedAt: ago(MINUTE) });
    const sf = session({ createdAt: ago(100 * MINUTE), lastModifiedAt: ago(10 * MINUTE) });
    const moscow = session({ place: PLACES.moscow, createdAt: ago(10 * MINUTE), lastModifiedAt: ago(5 * MINUTE) });
    const loginAs = session({ sessionType: 'SubstituteUser', createdAt: ago(20 * MINUTE), place: null });
    const result = assessSessions({ ...base, sessions: [calm, childOf(calm), sf, moscow, loginAs] });

    const order = result.families.map((f) => f.family.root.id);
    // distant-places names only the suspect (the later login of the pair, without history), so
    // San Francisco ranks with the calm family, behind it as the less recently used.
    expect(order).toEqual([moscow.id, loginAs.id, calm.id, sf.id]);
    const byId = new Map(result.families.map((f) => [f.family.root.id, f]));
    expect(byId.get(moscow.id)?.findings.map((f) => f.rule)).toEqual(['distant-places']);
    expect(byId.get(sf.id)?.findings).toEqual([]);
    expect(byId.get(loginAs.id)?.findings.map((f) => f.rule)).toEqual(['substitute-user']);
    expect(byId.get(calm.id)?.findings).toEqual([]);
    // Weights: high 100, low 10 (Login-As is information), plus a tiebreak below 1.
    expect(Math.floor(byId.get(moscow.id)?.risk ?? 0)).toBe(100);
    expect(Math.floor(byId.get(loginAs.id)?.risk ?? 0)).toBe(10);
    expect(byId.get(calm.id)?.risk).toBeGreaterThan(0);
    expect(byId.get(calm.id)?.risk).toBeLessThan(1);
    expect(byId.get(sf.id)?.risk).toBeLessThan(byId.get(calm.id)?.risk ?? 0);
  });

  it('ranks two high families by recency: the more recently used comes first', () => {
    const longAgo = session({ id: '0Ak0000000000000LA', createdAt: ago(3 * DAY), lastModifiedAt: ago(20 * MINUTE) });
    const recent = session({ id: '0Ak0000000000000RE', createdAt: ago(4 * DAY), lastModifiedAt: ago(2 * MINUTE) });
    const result = assessSessions({ ...base, sessions: [longAgo, recent] });
    expect(result.families.map((f) => [f.family.root.id, f.findings.map((x) => `${x.rule}/${x.severity}`)])).toEqual([
      [recent.id, ['session-timeout/high']],
      [longAgo.id, ['session-timeout/high']],
    ]);
  });

  it('sums severities across rules', () => {
    const old = session({ sessionType: 'SubstituteUser', createdAt: ago(40 * DAY) });
    const [assessed] = assessSessions({ ...base, sessions: [old] }).families;
    expect(assessed?.findings.map((f) => f.severity).sort()).toEqual(['high', 'low']);
    expect(Math.floor(assessed?.risk ?? 0)).toBe(110);
  });

  it('breaks ties by latest activity, then id', () => {
    const a = session({ id: '0Ak00000000000000B', lastModifiedAt: ago(5 * MINUTE) });
    const b = session({ id: '0Ak00000000000000A', lastModifiedAt: ago(5 * MINUTE) });
    const c = session({ id: '0Ak00000000000000C', lastModifiedAt: ago(MINUTE) });
    const order = assessSessions({ ...base, sessions: [a, b, c] }).families.map((f) => f.family.root.id);
    expect(order).toEqual([c.id, b.id, a.id]);
  });

  it("marks the bot's own families and keeps them in the list", () => {
    const own = session({ isCurrent: true, sessionType: 'Oauth2' });
    const botUser = session({ userId: BOT });
    const childCurrent = session();
    const other = session();
    const result = assessSessions({
      ...base,
      sessions: [own, botUser, childCurrent, childOf(childCurrent, { isCurrent: true }), other],
    });
    const flags = new Map(result.families.map((f) => [f.family.root.id, f.isBotOwn]));
    expect(flags).toEqual(
      new Map([
        [own.id, true],
        [botUser.id, true],
        [childCurrent.id, true],
        [other.id, false],
      ]),
    );
  });

  it('puts login and grant findings on the user, and on the session a login names', () => {
    const success = new Date(NOW.getTime() - 5 * MINUTE);
    const s = session({ login: { loginTime: success, browser: null, platform: null, application: null, loginType: null } });
    const logins = [
      login({ status: 'Invalid Password', loginTime: ago(9 * MINUTE) }),
      login({ status: 'Invalid Password', loginTime: ago(8 * MINUTE) }),
      login({ status: 'Invalid Password', loginTime: ago(7 * MINUTE) }),
      login({ status: 'Success', loginTime: success }),
    ];
    const grants = [grant({ createdAt: ago(90 * DAY) }), grant({ createdAt: ago(DAY) })];
    const result = assessSessions({ ...base, sessions: [s], logins, grants });
    // A connected-app token's age is grant-age's; an app authorised a day ago (new-app-grant) is the monitor's only.
    expect(result.userFindings.map((f) => f.rule)).toEqual(['failed-then-success', 'grant-age']);
    expect(result.families[0]?.findings.map((f) => f.rule)).toEqual(['failed-then-success']);
  });

  it('shows only the /sessions rules: impossible-travel and new-country are left to the monitor', () => {
    // Bob: San Francisco, then four failures and a success from Moscow 90 min later.
    const sf = session({ place: PLACES.sanFrancisco, createdAt: ago(115 * MINUTE) });
    const moscowAt = ago(25 * MINUTE);
    const moscow = session({
      place: PLACES.moscow,
      createdAt: moscowAt,
      login: { loginTime: moscowAt, browser: null, platform: null, application: null, loginType: null },
    });
    // The attacker's addresses are not Bob's (the factories' default, 203.0.113.7, is his usual one).
    const logins = [
      login({ status: 'Success', place: PLACES.sanFrancisco, loginTime: ago(115 * MINUTE) }),
      ...[33, 31, 29, 27].map((m) => login({ status: 'Invalid Password', place: PLACES.moscow, sourceIp: `198.51.100.${m}`, loginTime: ago(m * MINUTE) })),
      login({ status: 'Success', place: PLACES.moscow, sourceIp: '198.51.100.9', loginTime: moscowAt }),
    ];
    const result = assessSessions({ ...base, sessions: [sf, moscow], logins });
    expect(result.userFindings.map((f) => f.rule)).toEqual(['failed-then-success']);
    const moscowFindings = result.families.find((f) => f.family.root.id === moscow.id)?.findings;
    expect(moscowFindings?.map((f) => `${f.rule}/${f.severity}`)).toEqual(['distant-places/high', 'failed-then-success/high']);
    expect(result.families.find((f) => f.family.root.id === sf.id)?.findings).toEqual([]);
  });

  it('a session at work for three hours is not flagged in /sessions (issue 17)', () => {
    const atWork = session({ place: PLACES.sanFrancisco, createdAt: ago(3 * HOUR), lastModifiedAt: ago(2 * MINUTE) });
    const logins = [login({ status: 'Success', place: PLACES.sanFrancisco, loginTime: ago(3 * HOUR) })];
    const result = assessSessions({ ...base, sessions: [atWork], logins });
    expect(result.families.map((f) => f.findings)).toEqual([[]]);
    expect(result.userFindings).toEqual([]);
  });

  it("lists and marks the bot's own old integration session without flagging it", () => {
    const own = session({ userId: BOT, sessionType: 'Oauth2', createdAt: ago(45 * DAY) });
    const result = assessSessions({ ...base, sessions: [own] });
    expect(result.families.map((f) => [f.family.root.id, f.isBotOwn, f.findings])).toEqual([[own.id, true, []]]);
  });

  it('keys grant findings to the user given, or else to the one user the sessions belong to', () => {
    const old = grant({ createdAt: ago(90 * DAY) });
    const only = assessSessions({ ...base, sessions: [session({ userId: '005000000000009AAA' })], grants: [old] });
    expect(only.userFindings.map((f) => f.userId)).toEqual(['005000000000009AAA']);
    const given = assessSessions({ ...base, sessions: [], grants: [old], userId: '005000000000007AAA' });
    expect(given.userFindings.map((f) => [f.rule, f.groupKey])).toEqual([['grant-age', 'grant-age:005000000000007AAA']]);
  });

  it('passes the trusted-network predicate to the rules', () => {
    const sf = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const vpn = session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE), sourceIp: '198.51.100.23' });
    const flagged = (trusted?: (ip: string) => boolean) =>
      assessSessions({ ...base, sessions: [sf, vpn], ...(trusted ? { trusted } : {}) }).families.flatMap((f) => f.findings.map((x) => x.rule));
    expect(flagged()).toContain('distant-places');
    expect(flagged((ip) => ip === '198.51.100.23')).not.toContain('distant-places');
  });

  it('totals sessions, families, countries and the oldest session', () => {
    const root = session({ createdAt: ago(3 * HOUR), place: PLACES.sanFrancisco });
    const oldChild = childOf(root, { createdAt: ago(5 * HOUR) });
    const ru = session({ place: PLACES.russiaNoCoords, createdAt: ago(2 * DAY) });
    const unknown = session({ place: null });
    const lower = session({ place: place({ countryIso: 'gb' }) });
    const { totals } = assessSessions({ ...base, sessions: [root, oldChild, ru, unknown, lower] });
    expect(totals).toEqual({
      sessions: 5,
      families: 4,
      countries: ['GB', 'RU', 'US'],
      oldestCreatedAt: ru.createdAt,
    });
  });

  it('assesses 5,000 sessions correctly and quickly', () => {
    const sessions: Session[] = [];
    const cities = [PLACES.sanFrancisco, PLACES.oakland, place({ city: 'San Jose', countryIso: 'US', latitude: 37.34, longitude: -121.89 })];
    // 1,000 families of 5 sessions each around the Bay Area, created over the last 10 days.
    for (let i = 0; i < 1000; i += 1) {
      const root = session({
        place: cities[i % cities.length] ?? null,
        createdAt: ago(HOUR + i * 14 * MINUTE),
        lastModifiedAt: ago((i % 50) * MINUTE),
      });
      sessions.push(root);
      for (let c = 0; c < 4; c += 1) sessions.push(childOf(root));
    }
    // One family from Moscow, logged in 5 minutes after the newest Californian one.
    const moscow = session({ place: PLACES.moscow, createdAt: ago(55 * MINUTE), lastModifiedAt: ago(30 * MINUTE) });
    sessions.push(moscow);
    const shuffled = sessions
      .map((s, i) => ({ s, k: (i * 7919) % sessions.length }))
      .sort((a, b) => a.k - b.k)
      .map((x) => x.s);

    assessSessions({ ...base, sessions: shuffled.slice(0, 50) }); // warm up the JIT a little
    const started = performance.now();
    const result = assessSessions({ ...base, sessions: shuffled });
    const ms = performance.now() - started;
    console.log(`assessSessions: ${shuffled.length} sessions, ${result.totals.families} families in ${ms.toFixed(1)} ms`);

    expect(result.totals.sessions).toBe(5001);
    expect(result.totals.families).toBe(1001);
    expect(result.totals.countries).toEqual(['RU', 'US']);
    expect(result.families.every((f) => f.family.children.length === (f.family.root.id === moscow.id ? 0 : 4))).toBe(true);
    // Only the Moscow family is named: it is the smaller side against every Californian place.
    const distant = result.families.filter((f) => f.findings.some((x) => x.rule === 'distant-places'));
    expect(distant.map((f) => f.family.root.id)).toEqual([moscow.id]);
    expect(result.families.find((f) => f.family.root.id === moscow.id)?.findings.map((f) => `${f.rule}/${f.severity}`)).toEqual(['distant-places/high']);
    // Alive longer than the 16 h working day: i ≥ 65 (1 h + 65 × 14 min = 16 h 10 min); kept alive
    // 2 whole days or more (high): i ≥ 202 (1 h + 202 × 14 min = 48 h 8 min).
    const timeouts = result.families.filter((f) => f.findings.some((x) => x.rule === 'session-timeout'));
    expect(timeouts).toHaveLength(935);
    expect(timeouts.filter((f) => f.findings.some((x) => x.severity === 'high'))).toHaveLength(798);
    // Every high family, the Moscow one among them, ranks above every medium one.
    const firstMedium = result.families.findIndex((f) => Math.floor(f.risk) < 100);
    expect(firstMedium).toBe(799);
    expect(result.families.findIndex((f) => f.family.root.id === moscow.id)).toBeLessThan(firstMedium);
    for (let i = 1; i < result.families.length; i += 1) {
      expect(result.families[i - 1]?.risk ?? 0).toBeGreaterThanOrEqual(result.families[i]?.risk ?? 0);
    }
  });
});

describe('summarizeLogins', () => {
  it('counts totals, failures, countries and distinct IPs', () => {
    const events = [
      login({ status: 'Success', sourceIp: '203.0.113.7', place: PLACES.sanFrancisco }),
      login({ status: 'Invalid Password', sourceIp: '203.0.113.7', place: PLACES.sanFrancisco }),
      login({ status: 'Failed: API security token required', sourceIp: '2001:DB8::1', place: PLACES.moscow }),
      login({ status: 'SUCCESS', sourceIp: '2001:db8::1', place: null }),
      login({ status: '', sourceIp: null, place: place({ countryIso: 'gb' }) }),
    ];
    expect(summarizeLogins(events)).toEqual({ total: 5, failures: 3, countries: ['GB', 'RU', 'US'], distinctIps: 2 });
  });

  it('handles no events', () => {
    expect(summarizeLogins([])).toEqual({ total: 0, failures: 0, countries: [], distinctIps: 0 });
  });
});
