/**
 * The demo's Salesforce org (issue 11): its shape, its determinism, and — with the real bot, real
 * Bolt and real jsforce against the stand-ins — exactly the alerts its first monitor pass posts:
 * Bob's (the leaked password) and the integration user's stale session, nothing about anyone else,
 * although the ordinary people work a realistic day (a login kept all day, typos, the phone app).
 */
import { buildDemoOrg, type DemoOrg } from '../../demo/org';
import { OPEN_LOGIN_MAX_MINUTES } from '../../demo/org/ordinary';
import type { PollReport } from '../../src/monitor/monitor';
import { PROFILE_ADMIN, PROFILE_INTEGRATION, PROFILE_STANDARD } from '../standins/salesforce/generator';
import type { Org, SfRecord } from '../standins/salesforce/org';
import { startHarness, type Harness } from '../support/harness';
import { alertFor, alertMessages, alertsAbout, blockText, pollAndDeliver, removableSessionIds, ruleOf } from '../support/monitor';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const OBJECTS = ['Organization', 'Profile', 'User', 'UserLogin', 'LoginHistory', 'LoginGeo', 'AuthSession', 'OauthToken'] as const;

function snapshot(org: Org): Record<string, SfRecord[]> {
  return Object.fromEntries(OBJECTS.map((name) => [name, [...org.all(name)]]));
}

function profileOf(org: Org, userId: string): unknown {
  const profileId = org.get(userId)?.ProfileId;
  return typeof profileId === 'string' ? org.get(profileId)?.Name : undefined;
}

function sessionsOf(org: Org, userId: string): SfRecord[] {
  return org.byReference('AuthSession', 'UsersId', userId);
}

function loginsOf(org: Org, userId: string): SfRecord[] {
  return org.byReference('LoginHistory', 'UserId', userId);
}

const time = (value: unknown): number => new Date(value as string).getTime();

describe('the demo org', () => {
  const now = new Date();
  const demo = buildDemoOrg(now, 11);
  const { org } = demo;

  it.each([
    ['ordinary users, the four people included', 30, 40, () => demo.ordinary.length],
    ['countries the ordinary users work in', 6, Infinity, () => new Set(demo.ordinary.map((u) => u.home.countryIso)).size],
    ['Users besides the ordinary ones (bob, integration, the bot)', 3, 3, () => org.count('User') - demo.ordinary.length],
    ["integration user's sessions", 200, Infinity, () => sessionsOf(org, demo.integration.userId).length],
  ])('%s: within [%d, %d]', (_what, min, max, measure) => {
    const value = measure();
    expect(value).toBeGreaterThanOrEqual(min);
    expect(value).toBeLessThanOrEqual(max);
  });

  it.each([
    ['ada', 'ada@acme.com', 'Ada Lovelace', PROFILE_ADMIN],
    ['paul', 'paul@acme.com', 'Paul Otlet', PROFILE_STANDARD],
    ['quinn', 'quinn@acme.com', 'Quinn Hughes', PROFILE_STANDARD],
    ['nora', 'nora@acme.com', 'Nora Ephron', PROFILE_STANDARD],
  ] as const)('the Slack person %s is the Salesforce user %s (%s, %s), live and among the ordinary', (key, username, name, profile) => {
    const person = demo.people[key];
    const user = org.get(person.userId);
    expect(user).toMatchObject({ Username: username, Email: username, Name: name, IsActive: true });
    expect(profileOf(org, person.userId)).toBe(profile);
    expect(demo.ordinary).toContain(person);
    expect(sessionsOf(org, person.userId).length).toBeGreaterThan(0);
  });

  it('ordinary users sign in only from their home city and their own addresses, inside a working day, never in the future', () => {
    for (const user of demo.ordinary) {
      const logins = loginsOf(org, user.userId).sort((a, b) => time(a.LoginTime) - time(b.LoginTime));
      expect(logins.length).toBeGreaterThan(1);
      for (const login of logins) {
        const geo = org.get(login.LoginGeoId as string);
        expect(geo).toMatchObject({ City: user.home.city, CountryIso: user.home.countryIso });
        expect(time(login.LoginTime)).toBeLessThanOrEqual(now.getTime());
        expect([user.ip, user.officeIp, user.phoneIp]).toContain(login.SourceIp);
      }
      // A mistyped password is followed within a minute by the right one, from the same address and browser; never three in a row.
      logins.forEach((login, i) => {
        if (login.Status === 'Success') return;
        expect(login).toMatchObject({ Status: 'Invalid Password', Browser: user.device.browser, Platform: user.device.platform });
        const next = logins.slice(i + 1).find((l) => l.Status === 'Success');
        expect(next?.SourceIp).toBe(login.SourceIp);
        expect(time(next?.LoginTime) - time(login.LoginTime)).toBeLessThan(MINUTE_MS + 30_000);
        expect(logins.slice(Math.max(0, i - 2), i + 1).every((l) => l.Status !== 'Success') && i >= 2).toBe(false);
      });
      for (const session of sessionsOf(org, user.userId)) {
        expect(now.getTime() - time(session.CreatedDate)).toBeLessThanOrEqual(OPEN_LOGIN_MAX_MINUTES * MINUTE_MS);
        expect(time(session.LastModifiedDate)).toBeLessThanOrEqual(now.getTime());
        if (session.SessionType === 'Oauth2') {
          // Only the mobile app holds an OAuth session of a person, through the carrier.
          expect(user.phone).not.toBeNull();
          expect(session.SourceIp).toBe(user.phoneIp);
          expect(org.get(session.LoginHistoryId as string)?.Application).toBe(user.phone?.application);
        } else {
          expect([user.ip, user.officeIp]).toContain(session.SourceIp);
        }
      }
    }
  });

  it('ordinary users work a realistic day: logins kept open for hours, typos from their usual address, the phone app', () => {
    const ordinaryIds = new Set(demo.ordinary.map((u) => u.userId));
    const sessions = [...org.all('AuthSession')].filter((s) => ordinaryIds.has(s.UsersId as string));
    const logins = [...org.all('LoginHistory')].filter((l) => ordinaryIds.has(l.UserId as string));
    const uiRoots = sessions.filter((s) => s.SessionType === 'UI');
    expect(uiRoots.filter((s) => now.getTime() - time(s.CreatedDate) > 6 * 60 * MINUTE_MS).length).toBeGreaterThanOrEqual(3);
    expect(logins.filter((l) => l.Status === 'Invalid Password').length).toBeGreaterThanOrEqual(3);
    expect(demo.ordinary.filter((u) => u.phone).length).toBeGreaterThanOrEqual(5);
    expect(sessions.filter((s) => s.SessionType === 'Oauth2').length).toBeGreaterThanOrEqual(2);
    expect(
      logins.filter((l) => /Salesforce for (iOS|Android)/.test(String(l.Application)) && time(l.LoginTime) < now.getTime() - DAY_MS).length,
    ).toBeGreaterThan(5);
  });

  it('bob is at home in San Francisco and signed in from Moscow after failed logins from there', () => {
    const bob = demo.compromised;
    expect(org.get(bob.userId)).toMatchObject({ Username: 'bob@acme.com', Name: 'Bob Baker' });
    const roots = sessionsOf(org, bob.userId).filter((s) => s.ParentId === s.Id);
    const cityOf = (root: SfRecord): unknown => org.get(root.LoginGeoId as string)?.City;
    expect(roots.map(cityOf).sort()).toEqual(['Moscow', 'San Francisco', 'San Francisco']);

    const failures = bob.failedLoginIds.map((id) => org.get(id));
    expect(failures.length).toBeGreaterThanOrEqual(3);
    for (const failure of failures) expect(failure).toMatchObject({ Status: 'Invalid Password', CountryIso: 'RU', SourceIp: bob.attackerIp });
    const success = org.get(bob.successLoginId);
    expect(success).toMatchObject({ Status: 'Success', CountryIso: 'RU' });
    expect(failures.every((f) => time(f?.LoginTime) < time(success?.LoginTime))).toBe(true);

    const old = org.get(bob.sessions.oldRootId);
    expect(now.getTime() - time(old?.CreatedDate)).toBeGreaterThan(30 * DAY_MS);
    expect(now.getTime() - time(old?.LastModifiedDate)).toBeLessThan(10 * MINUTE_MS);
    const grant = [...org.all('OauthToken')].find((t) => t.UserId === bob.userId);
    expect(grant).toMatchObject({ AppName: 'Salesforce for iOS' });
    expect(now.getTime() - time(grant?.CreatedDate)).toBeGreaterThan(90 * DAY_MS);
  });

  it('the integration user is API-only with hundreds of OAuth sessions from one region and a grant over a year old', () => {
    const integration = demo.integration;
    expect(profileOf(org, integration.userId)).toBe(PROFILE_INTEGRATION);
    const sessions = sessionsOf(org, integration.userId);
    expect(sessions).toHaveLength(integration.sessionCount);
    expect(new Set(sessions.map((s) => s.SessionType))).toEqual(new Set(['Oauth2']));
    expect(new Set(sessions.map((s) => s.SourceIp))).toEqual(new Set(integration.ips));
    const ages = sessions.map((s) => now.getTime() - time(s.CreatedDate));
    expect(ages.filter((a) => a < 2 * 60 * MINUTE_MS).length).toBeGreaterThan(sessions.length / 2);
    expect(ages.filter((a) => a > DAY_MS && a < 30 * DAY_MS).length).toBeGreaterThan(5);
    expect(ages.filter((a) => a > 30 * DAY_MS)).toHaveLength(integration.staleSessionIds.length);
    const grants = [...org.all('OauthToken')].filter((t) => t.UserId === integration.userId);
    expect(Math.max(...grants.map((g) => now.getTime() - time(g.CreatedDate)))).toBeGreaterThan(365 * DAY_MS);
  });

  it('is the same org for the same seed and now, and a different one for another seed', () => {
    expect(snapshot(buildDemoOrg(now, 11).org)).toEqual(snapshot(org));
    expect(snapshot(buildDemoOrg(now, 12).org)).not.toEqual(snapshot(org));
  });
});

/**
 * Every alert the first monitor pass over the demo org posts, by rule and user: one per incident
 * (issue 17), the others of the same person shown in it as signals.
 */
const EXPECTED_ALERTS = [
  {
    rule: 'distant-places',
    username: 'bob@acme.com',
    why: 'a live session from Moscow next to his San Francisco one, 41 min apart',
    signals: ['failed-then-success', 'impossible-travel', 'new-country', 'session-timeout'],
  },
  { rule: 'token-age', username: 'integration@acme.com', why: 'an integration session alive 41 days', signals: ['grant-age'] },
] as const;

/** The rules an alert's "Also seen at the same time" block lists, sorted. */
function signalRules(message: Parameters<typeof blockText>[0]): string[] {
  return [...blockText(message, 'alert_signals').matchAll(/`([a-z-]+)`/g)].map((m) => m[1] ?? '').sort();
}

describe('the real bot over the demo org: first monitor pass', () => {
  let h: Harness;
  let demo: DemoOrg;
  let passMs: number;
  let report: PollReport;

  beforeAll(async () => {
    demo = buildDemoOrg(new Date(), 11);
    h = await startHarness({ org: demo.org });
    const started = performance.now();
    report = await pollAndDeliver(h);
    passMs = performance.now() - started;
  });
  afterAll(() => h.close());

  it('posts exactly the expected alerts, none about any ordinary user', () => {
    const posted = alertMessages(h).map((m) => `${ruleOf(m) ?? '?'} ${/\(([^()]+@acme\.com)\)/.exec(m.text)?.[1] ?? '?'}`);
    expect(posted.sort()).toEqual(EXPECTED_ALERTS.map((a) => `${a.rule} ${a.username}`).sort());
    for (const user of demo.ordinary) expect(alertsAbout(h, user.username)).toEqual([]);
    // Not even a held finding (a "was this you?" DM instead of a channel post) about an ordinary person.
    const ordinaryIds = new Set(demo.ordinary.map((u) => u.userId));
    expect(
      report.steps.filter((s) => s.kind !== 'resolve' && ordinaryIds.has(s.finding.userId)).map((s) => (s.kind === 'resolve' ? '' : s.finding.key)),
    ).toEqual([]);
    expect(h.slack.messages.filter((m) => m.channel.startsWith('D'))).toEqual([]);
  });

  it('runs its first pass (backfill, full scan, rules, posting) in well under the 60 s poll interval', () => {
    // ~0.4 s on the 2-core CI machine; the bound leaves room for a busy machine, not for a regression to minutes.
    expect(passMs).toBeLessThan(5_000);
  });

  it.each(EXPECTED_ALERTS)('$rule about $username: $why, with $signals beside it', ({ rule, username, signals }) => {
    const alert = alertFor(h, rule, username);
    const summary = blockText(alert, 'alert_summary');
    const also = blockText(alert, 'alert_signals');
    expect(signalRules(alert)).toEqual([...signals]);
    if (rule === 'distant-places') {
      expect(summary).toMatch(/High · another session from Moscow, RU — 9,\d00 km from San Francisco, US, 41 min apart/);
      expect(also).toMatch(/`failed-then-success` 4 failed logins \(Invalid Password\) in \d min, then a success from Moscow, RU/);
      expect(also).toMatch(/`impossible-travel` login from Moscow, RU at [^,]+, 9,\d00 km from the previous login in San Francisco, US/);
      expect(also).toMatch(/Medium · `new-country` login from a new country: Moscow, RU/);
      expect(also).toMatch(/High · `session-timeout` kept in use 4\d days since its login/);
      // Only the stranger's session and the one kept alive for weeks: Bob's own session of today is not named.
      expect(removableSessionIds(alert).sort()).toEqual([demo.compromised.sessions.oldRootId, demo.compromised.sessions.attackerRootId].sort());
    }
    if (rule === 'token-age') {
      expect(summary).toMatch(/integration session alive 41 days; rotation policy is 30/);
      expect(also).toMatch(/`grant-age` connected app 'Acme Data Sync' token is 400 days old; rotation policy is 30/);
      expect(removableSessionIds(alert)).toEqual(demo.integration.staleSessionIds);
    }
  });
});
