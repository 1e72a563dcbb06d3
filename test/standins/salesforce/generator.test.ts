import { addOauthToken, addSessionFamily, addUser, addUserWithSessions, BOT_USERNAME, FAILURE_STATUSES, generateOrg, rng } from './generator';
import { Org, type SfRecord } from './org';
import { PLACES, place } from './places';
import {
  bigUser,
  botUser,
  COMPROMISED_TIMES,
  compromisedUser,
  duplicateEmail,
  everything,
  inactiveAndFrozen,
  integrationUser,
  quietUser,
  SHARED_EMAIL,
} from './scenarios';
import { SCHEMA } from './schema';

const NOW = new Date('2026-11-26T12:00:00.000Z');
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function rows(org: Org, object: string): SfRecord[] {
  return [...org.all(object)];
}

function dump(org: Org): string {
  return JSON.stringify(Object.keys(SCHEMA).map((name) => [name, rows(org, name)]));
}

function ms(value: unknown): number {
  if (typeof value !== 'string') throw new Error(`expected a datetime string, got ${String(value)}`);
  return Date.parse(value);
}

function str(value: unknown): string {
  if (typeof value !== 'string') throw new Error(`expected a string, got ${String(value)}`);
  return value;
}

function assert(ok: boolean, message: () => string): void {
  // Plain checks: expect() per field would make a 10k-row walk take seconds.
  if (!ok) throw new Error(message());
}

/** Every structural invariant the stand-in's consumers rely on, checked over a whole org. */
function checkIntegrity(org: Org): void {
  for (const [name, def] of Object.entries(SCHEMA)) {
    const fieldNames = Object.keys(def.fields).sort().join(',');
    for (const record of org.all(name)) {
      const where = (): string => `${name} ${JSON.stringify(record)}`;
      assert(Object.keys(record).sort().join(',') === fieldNames, () => `fields differ from the schema: ${where()}`);
      for (const [field, f] of Object.entries(def.fields)) {
        const value = record[field];
        if (value === null || value === undefined) continue;
        if (f.type === 'datetime') {
          assert(typeof value === 'string' && ISO_Z.test(value), () => `${field} is not ISO-8601 Z: ${where()}`);
          assert(new Date(ms(value)).toISOString() === value, () => `${field} is not a real instant: ${where()}`);
        }
        if (f.type === 'reference') {
          const target = org.get(str(value));
          assert(target !== undefined, () => `${field} does not resolve: ${where()}`);
          assert(str(target?.Id).slice(0, 3) === SCHEMA[f.referenceTo ?? '']?.keyPrefix, () => `${field} points at the wrong object: ${where()}`);
        }
        if (f.type === 'boolean') assert(typeof value === 'boolean', () => `${field} is not boolean: ${where()}`);
        if (f.type === 'int' || f.type === 'double') assert(typeof value === 'number', () => `${field} is not a number: ${where()}`);
      }
      if (def.keyPrefix) assert(new RegExp(`^${def.keyPrefix}[0-9A-Za-z]{15}$`).test(str(record.Id)), () => `bad Id: ${where()}`);
      else assert(record.Id === null, () => `Id should be null: ${where()}`);
    }
  }
  for (const s of org.all('AuthSession')) {
    const where = (): string => JSON.stringify(s);
    const parent = org.get(str(s.ParentId));
    assert(parent !== undefined, () => `ParentId does not resolve: ${where()}`);
    // One level only: a root points at itself, a child at a root.
    assert(parent?.ParentId === parent?.Id, () => `parent is not a root: ${where()}`);
    if (s.ParentId === s.Id) {
      assert(s.SessionType === 'UI' || s.SessionType === 'Oauth2', () => `unexpected root type: ${where()}`);
    } else {
      assert(parent?.SessionType === 'UI', () => `child of a non-UI root: ${where()}`);
      for (const f of ['UsersId', 'LoginHistoryId', 'LoginGeoId', 'SourceIp']) {
        assert(s[f] === parent?.[f], () => `child ${f} differs from its root: ${where()}`);
      }
      assert(ms(s.CreatedDate) > ms(parent?.CreatedDate), () => `child not created after its root: ${where()}`);
    }
    assert(ms(s.LastModifiedDate) >= ms(s.CreatedDate), () => `modified before created: ${where()}`);
    const login = org.get(str(s.LoginHistoryId));
    assert(login?.UserId === s.UsersId, () => `login of another user: ${where()}`);
    assert(login?.Status === 'Success', () => `session from a failed login: ${where()}`);
    assert((login?.LoginGeoId ?? null) === s.LoginGeoId, () => `LoginGeoId differs from the login's: ${where()}`);
  }
  const userLogins = new Map<string, number>();
  for (const ul of org.all('UserLogin')) userLogins.set(str(ul.UserId), (userLogins.get(str(ul.UserId)) ?? 0) + 1);
  for (const u of org.all('User')) assert(userLogins.get(str(u.Id)) === 1, () => `not one UserLogin for ${str(u.Username)}`);
  for (const lh of org.all('LoginHistory')) {
    const geo = lh.LoginGeoId ? org.get(str(lh.LoginGeoId)) : null;
    assert(lh.CountryIso === (geo ? geo.CountryIso : null), () => `CountryIso differs from LoginGeo: ${JSON.stringify(lh)}`);
    if (geo) assert(geo.LoginTime === lh.LoginTime, () => `LoginGeo time differs: ${JSON.stringify(lh)}`);
  }
}

function sessionsOf(org: Org, userId: string): SfRecord[] {
  return org.byReference('AuthSession', 'UsersId', userId);
}

function loginsOf(org: Org, userId: string): SfRecord[] {
  return org.byReference('LoginHistory', 'UserId', userId).sort((a, b) => ms(a.LoginTime) - ms(b.LoginTime));
}

function userNamed(org: Org, username: string): SfRecord {
  const user = rows(org, 'User').find((u) => u.Username === username);
  if (!user) throw new Error(`no user ${username}`);
  return user;
}

describe('rng', () => {
  it('repeats for a seed, differs across seeds and stays in range', () => {
    const a = rng(42);
    const b = rng(42);
    const c = rng(43);
    const seqA = Array.from({ length: 1000 }, () => a.next());
    expect(Array.from({ length: 1000 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 1000 }, () => c.next())).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
    const r = rng(1);
    const ints = Array.from({ length: 2000 }, () => r.between(3, 7));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5, 6, 7]));
  });
});

describe('generateOrg', () => {
  const options = { seed: 11, now: NOW, users: 40, sessions: 1500, loginRows: 3000 };

  it('is byte-identical for the same seed and different for another', () => {
    const first = dump(generateOrg(options).org);
    expect(dump(generateOrg(options).org)).toBe(first);
    expect(dump(generateOrg({ ...options, seed: 12 }).org)).not.toBe(first);
  });

  it('makes exactly the requested rows, all consistent', () => {
    const { org, userIds, stats } = generateOrg(options);
    expect(org.count('AuthSession')).toBe(1500);
    expect(org.count('LoginHistory')).toBe(3000);
    expect(stats.sessions).toBe(1500);
    expect(userIds).toHaveLength(40);
    // The bot is there too, but not among the generated users.
    const bot = userNamed(org, BOT_USERNAME);
    expect(userIds).not.toContain(bot.Id);
    expect(org.count('User')).toBe(41);
    expect(org.count('Organization')).toBe(1);
    checkIntegrity(org);
  });

  it.each([1, 2, 5, 999])('hits an exact session count of %i', (sessions) => {
    const { org } = generateOrg({ ...options, sessions, loginRows: sessions + 10 });
    expect(org.count('AuthSession')).toBe(sessions);
    expect(org.count('LoginHistory')).toBe(sessions + 10);
  });

  it('refuses fewer login rows than session logins', () => {
    expect(() => generateOrg({ ...options, loginRows: 10 })).toThrow(/loginRows/);
  });

  it('has a realistic mix of session types, failures and places', () => {
    const { org, stats } = generateOrg({ ...options, loginRows: 10_000 });
    const types = new Map<string, number>();
    for (const s of org.all('AuthSession')) types.set(str(s.SessionType), (types.get(str(s.SessionType)) ?? 0) + 1);
    for (const t of ['UI', 'Aura', 'Visualforce', 'Content', 'API', 'Oauth2']) expect(types.get(t)).toBeGreaterThan(0);
    expect(types.get('UI')).toBeGreaterThan(types.get('Oauth2') ?? 0);
    for (const s of org.all('AuthSession')) {
      if (s.SessionType === 'API') expect(s.LoginType).toBe('Unknown');
      if (s.SessionType === 'Oauth2') expect(s.LoginType).toBe('Remote Access 2.0');
      if (s.SessionType === 'UI') expect(s.LoginType).toBe('Application');
      // Every generated session is alive at `now`.
      expect(ms(s.LastModifiedDate) + Number(s.NumSecondsValid) * 1000).toBeGreaterThan(NOW.getTime());
      expect(ms(s.LastModifiedDate)).toBeLessThanOrEqual(NOW.getTime());
    }
    const statuses = rows(org, 'LoginHistory').map((l) => str(l.Status));
    const failures = statuses.filter((s) => s !== 'Success');
    expect(failures.length).toBe(stats.failedLogins);
    expect(failures.length / statuses.length).toBeGreaterThan(0.02);
    expect(failures.length / statuses.length).toBeLessThan(0.04);
    expect(new Set(failures)).toEqual(new Set(FAILURE_STATUSES));
    // Deactivated users exist but hold no sessions.
    expect(rows(org, 'User').some((u) => u.IsActive === false)).toBe(true);
    for (const s of org.all('AuthSession')) expect(org.get(str(s.UsersId))?.IsActive).toBe(true);
    const countries = new Set(rows(org, 'LoginGeo').map((g) => g.CountryIso));
    expect(countries.size).toBeGreaterThan(10);
    const ips = rows(org, 'AuthSession').map((s) => str(s.SourceIp));
    expect(ips.every((ip) => /^(\d{1,3}\.){3}\d{1,3}$|^2001:db8:/.test(ip))).toBe(true);
    expect(ips.some((ip) => /^(203\.0\.113|198\.51\.100|192\.0\.2)\./.test(ip))).toBe(true);
  });

  it('prints the time for a 10k-session org', () => {
    const t0 = performance.now();
    const { org } = generateOrg({ seed: 3, now: NOW, users: 200, sessions: 10_000, loginRows: 20_000 });
    const elapsed = performance.now() - t0;
    console.log(`generateOrg: 10,000 sessions + 20,000 logins in ${elapsed.toFixed(0)} ms`);
    expect(org.count('AuthSession')).toBe(10_000);
  });
});

describe('building blocks', () => {
  it('makes a UI family whose children point at the root', () => {
    const org = new Org();
    const { userId } = addUser(org, { username: 'x@acme.com' });
    const created = new Date(NOW.getTime() - 30 * MINUTE_MS);
    const f = addSessionFamily(org, {
      userId,
      createdAt: created,
      lastActivityAt: NOW,
      sourceIp: '203.0.113.5',
      place: place('Tokyo'),
      children: ['Aura', 'API'],
    });
    const root = org.get(f.rootId);
    expect(root).toMatchObject({ SessionType: 'UI', ParentId: f.rootId, UsersId: userId, IsCurrent: false, UserType: 'Standard' });
    expect(root?.CreatedDate).toBe(created.toISOString());
    expect(f.childIds.map((id) => org.get(id)?.SessionType)).toEqual(['Aura', 'API']);
    expect(f.childIds.map((id) => org.get(id)?.ParentId)).toEqual([f.rootId, f.rootId]);
    expect(org.get(f.childIds[1] ?? '')?.LoginType).toBe('Unknown');
    expect(org.get(f.loginHistoryId)).toMatchObject({ CountryIso: 'JP', Status: 'Success', LoginType: 'Application' });
    expect(org.get(str(org.get(f.loginHistoryId)?.LoginGeoId))).toMatchObject({ City: 'Tokyo', Latitude: 35.6762 });
    expect(org.get(userId)?.LastLoginDate).toBe(created.toISOString());
    checkIntegrity(org);
  });

  it('makes OauthTokens without Id and with distinct, seeded delete tokens', () => {
    const org = new Org();
    const { userId } = addUser(org, { username: 'x@acme.com' });
    const base = { userId, createdAt: NOW, lastUsedAt: NOW, useCount: 1 };
    const a = addOauthToken(org, { ...base, appName: 'A' });
    const b = addOauthToken(org, { ...base, appName: 'B' });
    expect(a.deleteToken).not.toBe(b.deleteToken);
    expect(a.deleteToken.length).toBeGreaterThan(60);
    expect(addOauthToken(new Org(), { ...base, appName: 'A' }).deleteToken).toBe(a.deleteToken);
    for (const t of org.all('OauthToken')) {
      expect(t.Id).toBeNull();
      expect(str(t.AccessToken)).toMatch(/\*{10,}$/);
    }
  });

  it.each([3, 450, 5000])('gives a user exactly %i sessions', (count) => {
    const org = new Org();
    const { userId, sessionIds } = addUserWithSessions(org, { username: 'big@acme.com', count, seed: 9, now: NOW });
    expect(sessionIds).toHaveLength(count);
    expect(new Set(sessionIds).size).toBe(count);
    expect(sessionsOf(org, userId)).toHaveLength(count);
    expect(org.count('AuthSession')).toBe(count);
    if (count === 450) checkIntegrity(org);
  });

  it('honours batchSize as the family size', () => {
    const org = new Org();
    const { sessionIds } = addUserWithSessions(org, { username: 'b@acme.com', count: 10, seed: 1, now: NOW, batchSize: 3 });
    expect(sessionIds).toHaveLength(10);
    const roots = rows(org, 'AuthSession').filter((s) => s.ParentId === s.Id);
    expect(roots).toHaveLength(4); // 3 + 3 + 3 + 1
  });

  it('looks places up by name and rejects unknown ones', () => {
    expect(PLACES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(PLACES.map((p) => p.city)).size).toBe(PLACES.length);
    expect(place('são paulo')).toMatchObject({ countryIso: 'BR' });
    expect(place('Moscow')).toMatchObject({ country: 'Russia', countryIso: 'RU' });
    expect(() => place('Atlantis')).toThrow(/Atlantis/);
    for (const p of PLACES) {
      expect(Math.abs(p.latitude)).toBeLessThanOrEqual(90);
      expect(Math.abs(p.longitude)).toBeLessThanOrEqual(180);
      expect(p.countryIso).toMatch(/^[A-Z]{2}$/);
    }
  });
});

describe('scenarios', () => {
  const all = [quietUser, compromisedUser, integrationUser, botUser, duplicateEmail, inactiveAndFrozen, everything];

  it.each(all.map((fn) => [fn.name, fn] as const))('%s is consistent and contains the bot', (_name, fn) => {
    const { org, botUserId } = fn({ now: NOW });
    const bot = userNamed(org, BOT_USERNAME);
    expect(bot.Id).toBe(botUserId);
    expect(bot.IsActive).toBe(true);
    expect(sessionsOf(org, botUserId)).toHaveLength(0);
    checkIntegrity(org);
    expect(dump(fn({ now: NOW }).org)).toBe(dump(org));
  });

  it('quietUser: Alice, one San Francisco family of 3, logged in 20 minutes ago', () => {
    const s = quietUser({ now: NOW });
    const alice = userNamed(s.org, 'alice@acme.com');
    expect(alice).toMatchObject({ Id: s.userId, Name: 'Alice Admin', Email: 'alice@acme.com' });
    const sessions = sessionsOf(s.org, s.userId);
    expect(sessions).toHaveLength(3);
    expect(sessions.filter((x) => x.ParentId === x.Id)).toHaveLength(1);
    expect(ms(s.org.get(s.rootId)?.CreatedDate)).toBe(NOW.getTime() - 20 * MINUTE_MS);
    expect(s.org.get(str(s.org.get(s.rootId)?.LoginGeoId))).toMatchObject({ City: 'San Francisco', CountryIso: 'US' });
  });

  it('compromisedUser: San Francisco and Moscow 90 min apart, 4 failures then a success, old session and grant', () => {
    const s = compromisedUser({ now: NOW });
    const { org } = s;
    const sf = org.get(s.sanFranciscoRootId);
    const moscow = org.get(s.moscowRootId);
    expect(ms(moscow?.CreatedDate) - ms(sf?.CreatedDate)).toBe(90 * MINUTE_MS);
    expect(org.get(str(sf?.LoginGeoId))).toMatchObject({ City: 'San Francisco', CountryIso: 'US' });
    expect(org.get(str(moscow?.LoginGeoId))).toMatchObject({ City: 'Moscow', CountryIso: 'RU' });
    for (const root of [sf, moscow]) expect(ms(root?.LastModifiedDate) + 7200_000).toBeGreaterThan(NOW.getTime());

    const logins = loginsOf(org, s.userId).filter((l) => ms(l.LoginTime) > NOW.getTime() - 60 * MINUTE_MS);
    expect(logins.map((l) => l.Status)).toEqual(['Invalid Password', 'Invalid Password', 'Invalid Password', 'Invalid Password', 'Success']);
    expect(logins.map((l) => l.Id)).toEqual([...s.failedLoginIds, s.successLoginId]);
    expect(new Set(logins.map((l) => l.CountryIso))).toEqual(new Set(['RU']));
    expect(moscow?.LoginHistoryId).toBe(s.successLoginId);

    const old = org.get(s.oldRootId);
    expect(NOW.getTime() - ms(old?.CreatedDate)).toBe(COMPROMISED_TIMES.oldFamilyDaysAgo * DAY_MS);
    expect(ms(old?.LastModifiedDate) + Number(old?.NumSecondsValid) * 1000).toBeGreaterThan(NOW.getTime());
    expect(new Set(sessionsOf(org, s.userId).map((x) => x.Id))).toEqual(new Set(s.sessionIds));

    const tokens = rows(org, 'OauthToken').filter((t) => t.UserId === s.userId);
    expect(tokens).toHaveLength(1);
    expect(NOW.getTime() - ms(tokens[0]?.CreatedDate)).toBeGreaterThan(30 * DAY_MS);
    expect(tokens[0]?.DeleteToken).toBe(s.oldTokenDeleteToken);
  });

  it('integrationUser: API-only profile, Oauth2 sessions, one old and one recent grant', () => {
    const s = integrationUser({ now: NOW });
    const user = userNamed(s.org, 'integration@acme.com');
    expect(s.org.get(str(user.ProfileId))?.Name).toBe('Salesforce API Only System Integrations');
    const sessions = sessionsOf(s.org, s.userId);
    expect(sessions.map((x) => x.SessionType)).toEqual(['Oauth2', 'Oauth2']);
    expect(sessions.every((x) => x.ParentId === x.Id)).toBe(true);
    const ages = rows(s.org, 'OauthToken').map((t) => (NOW.getTime() - ms(t.CreatedDate)) / DAY_MS);
    expect(ages.sort((a, b) => a - b)).toEqual([5, 400]);
  });

  it('duplicateEmail: two usernames share one email', () => {
    const s = duplicateEmail({ now: NOW });
    const matches = rows(s.org, 'User').filter((u) => u.Email === SHARED_EMAIL);
    expect(matches.map((u) => u.Username).sort()).toEqual(['carol.sandbox@acme.com', 'carol@acme.com']);
    expect(sessionsOf(s.org, s.carolId)).toHaveLength(s.carolSessionIds.length);
    expect(sessionsOf(s.org, s.carolSandboxId)).toHaveLength(2);
  });

  it('inactiveAndFrozen: Dave is inactive, Erin is frozen but still has a session', () => {
    const s = inactiveAndFrozen({ now: NOW });
    expect(s.org.get(s.daveId)?.IsActive).toBe(false);
    expect(s.org.get(s.daveUserLoginId)?.IsFrozen).toBe(false);
    expect(s.org.get(s.erinId)?.IsActive).toBe(true);
    expect(s.org.get(s.erinUserLoginId)).toMatchObject({ IsFrozen: true, UserId: s.erinId });
    expect(sessionsOf(s.org, s.erinId)).toHaveLength(4);
    expect(loginsOf(s.org, s.daveId).map((l) => l.Status)).toEqual(['Success', 'User is Inactive']);
    expect(loginsOf(s.org, s.erinId).map((l) => l.Status)).toEqual(['Success', 'User Is Frozen']);
  });

  it.each([450, 5000])('bigUser has exactly %i sessions', (count) => {
    const s = bigUser({ now: NOW, count });
    expect(sessionsOf(s.org, s.userId)).toHaveLength(count);
    expect(userNamed(s.org, 'big@acme.com').Id).toBe(s.userId);
    const countries = new Set(sessionsOf(s.org, s.userId).map((x) => s.org.get(str(x.LoginGeoId))?.CountryIso));
    expect(countries.size).toBeGreaterThan(3);
  });

  it('everything holds every scenario user once', () => {
    const s = everything({ now: NOW });
    const usernames = rows(s.org, 'User').map((u) => u.Username);
    expect(new Set(usernames).size).toBe(usernames.length);
    for (const name of [
      'alice@acme.com',
      'bob@acme.com',
      'integration@acme.com',
      'carol@acme.com',
      'dave@acme.com',
      'erin@acme.com',
      'big@acme.com',
      BOT_USERNAME,
    ]) {
      expect(usernames).toContain(name);
    }
    expect(sessionsOf(s.org, s.big.userId)).toHaveLength(450);
    expect(sessionsOf(s.org, s.compromised.userId)).toHaveLength(s.compromised.sessionIds.length);
    expect(s.org.count('Profile')).toBe(3);
  });
});
