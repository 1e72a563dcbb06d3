/**
 * The realistic org (issue 17): deterministic per seed, varied as real orgs are, every ordinary
 * behaviour the detections must live with, and every kind of labelled attack with its rows.
 */
import { haversineKm } from '../../../src/domain/geo';
import { FAILED_THEN_SUCCESS_RULE_ID } from '../../../src/rules/failed-then-success';
import type { Org, SfRecord } from './org';
import { ATTACK_KINDS, buildRealisticOrg, type RealisticOrg } from './realistic';
import { attacksPerKind } from './realistic/attacks';
import { ALL_VPN_EXITS } from './realistic/humans';
import { integrationCount } from './realistic/integrations';
import { aliveAt, lastActivityMs, type SessionPlan } from './realistic/timeline';
import { SCHEMA } from './schema';

// A Tuesday, 16:30 in London: EMEA is late in its working day, the Americas are starting theirs.
const NOW = new Date('2026-12-08T16:30:00.000Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const rows = (org: Org, object: string): SfRecord[] => [...org.all(object)];
const t = (v: unknown): number => Date.parse(String(v));
const dump = (org: Org): string => JSON.stringify(Object.keys(SCHEMA).map((name) => [name, rows(org, name)]));

function geoOf(org: Org, row: SfRecord): { latitude: number; longitude: number; country: string } | null {
  const geo = typeof row.LoginGeoId === 'string' ? org.get(row.LoginGeoId) : undefined;
  return geo ? { latitude: Number(geo.Latitude), longitude: Number(geo.Longitude), country: String(geo.CountryIso) } : null;
}

describe('the realistic org', () => {
  let world: RealisticOrg;
  let org: Org;
  let ordinary: (userId: unknown) => boolean;

  beforeAll(() => {
    world = buildRealisticOrg({ seed: 17, people: 300, now: NOW });
    org = world.org;
    const humans = new Set(world.people.map((p) => p.userId));
    ordinary = (id) => typeof id === 'string' && humans.has(id) && !world.attackedUserIds.has(id);
  });

  describe('determinism', () => {
    it('gives an identical org, labels included, for the same seed and size', () => {
      const a = buildRealisticOrg({ seed: 5, people: 120, now: NOW });
      const b = buildRealisticOrg({ seed: 5, people: 120, now: NOW });
      expect(dump(a.org)).toBe(dump(b.org));
      expect(JSON.stringify(a.attacks)).toBe(JSON.stringify(b.attacks));
      a.advanceTo(new Date(NOW.getTime() + 6 * HOUR));
      b.advanceTo(new Date(NOW.getTime() + 6 * HOUR));
      expect(dump(a.org)).toBe(dump(b.org));
    });

    it('gives a different org for another seed', () => {
      const a = buildRealisticOrg({ seed: 5, people: 120, now: NOW });
      const c = buildRealisticOrg({ seed: 6, people: 120, now: NOW });
      expect(dump(a.org)).not.toBe(dump(c.org));
    });
  });

  describe('ordinary behaviour', () => {
    it('has people in offices of the Americas, EMEA and APAC, full-time, part-time and on shifts', () => {
      expect(new Set(world.people.map((p) => p.office.region))).toEqual(new Set(['Americas', 'EMEA', 'APAC']));
      expect(new Set(world.people.map((p) => p.pattern))).toEqual(new Set(['full-time', 'part-time', 'shift']));
      // Habits differ per person, not one constant: start hours and timeouts vary.
      expect(new Set(world.people.map((p) => Math.round(p.startHour * 4))).size).toBeGreaterThan(8);
      expect(new Set(world.people.map((p) => p.timeoutSeconds)).size).toBeGreaterThan(3);
    });

    it('reads a month of history: the first login is older than the 30-day LOGIN_HISTORY_DAYS window', () => {
      const oldest = Math.min(...rows(org, 'LoginHistory').map((r) => t(r.LoginTime)));
      expect(NOW.getTime() - oldest).toBeGreaterThan(30 * DAY);
    });

    it('has SSO (SAML) and password logins, several browsers and platforms', () => {
      const human = rows(org, 'LoginHistory').filter((r) => ordinary(r.UserId));
      const types = new Set(human.map((r) => r.LoginType));
      expect(types).toEqual(expect.objectContaining(new Set(['SAML Idp Initiated SSO', 'Application', 'Remote Access 2.0'])));
      expect(new Set(human.map((r) => r.Browser)).size).toBeGreaterThan(5);
      expect(new Set(human.map((r) => r.Platform)).size).toBeGreaterThan(5);
    });

    it('has working days in one UI session: logged in 6+ hours ago, still in use, alive past the 2 h timeout', () => {
      const workingDays = rows(org, 'AuthSession').filter(
        (s) =>
          s.SessionType === 'UI' &&
          s.ParentId === s.Id &&
          ordinary(s.UsersId) &&
          NOW.getTime() - t(s.CreatedDate) > 6 * HOUR &&
          NOW.getTime() - t(s.LastModifiedDate) < 15 * MINUTE,
      );
      expect(workingDays.length).toBeGreaterThan(5);
    });

    it('has people who log in several times a day, and sessions that timed out or were signed out', () => {
      const today = rows(org, 'LoginHistory').filter(
        (r) => ordinary(r.UserId) && r.Status === 'Success' && r.Application === 'Browser' && NOW.getTime() - t(r.LoginTime) < 14 * HOUR,
      );
      const perUser = new Map<string, number>();
      for (const r of today) perUser.set(String(r.UserId), (perUser.get(String(r.UserId)) ?? 0) + 1);
      expect([...perUser.values()].filter((n) => n >= 2).length).toBeGreaterThan(5);
      const live = new Set(rows(org, 'AuthSession').map((s) => s.LoginHistoryId));
      expect(today.filter((r) => !live.has(r.Id)).length).toBeGreaterThan(5);
    });

    it('has typos: 1–4 wrong passwords from the usual address, then a success', () => {
      const byUser = new Map<string, SfRecord[]>();
      for (const r of rows(org, 'LoginHistory')) if (ordinary(r.UserId)) byUser.set(String(r.UserId), [...(byUser.get(String(r.UserId)) ?? []), r]);
      let typoRuns = 0;
      for (const list of byUser.values()) {
        list.sort((a, b) => t(a.LoginTime) - t(b.LoginTime));
        for (let i = 0; i < list.length; i++) {
          if (list[i]?.Status !== 'Invalid Password') continue;
          let j = i;
          while (list[j]?.Status === 'Invalid Password') j++;
          const success = list[j];
          if (success?.Status === 'Success' && success.SourceIp === list[i]?.SourceIp && t(success.LoginTime) - t(list[i]?.LoginTime) < 5 * MINUTE) {
            expect(j - i).toBeLessThanOrEqual(4);
            typoRuns++;
          }
          i = j;
        }
      }
      expect(typoRuns).toBeGreaterThan(10);
    });

    it('has phones: the Salesforce app minutes after a desk login, geolocated 100–900 km away, on months-old grants', () => {
      const logins = rows(org, 'LoginHistory').filter((r) => ordinary(r.UserId) && r.Status === 'Success');
      const phone = logins.filter((r) => String(r.Application).startsWith('Salesforce for '));
      expect(phone.length).toBeGreaterThan(50);
      const desks = new Map<unknown, SfRecord[]>();
      for (const r of logins) if (r.Application === 'Browser') desks.set(r.UserId, [...(desks.get(r.UserId) ?? []), r]);
      let nearDesk = 0;
      for (const p of phone) {
        const desk = desks.get(p.UserId)?.find((r) => t(p.LoginTime) - t(r.LoginTime) > 0 && t(p.LoginTime) - t(r.LoginTime) <= 40 * MINUTE);
        const a = desk && geoOf(org, desk);
        const b = geoOf(org, p);
        if (a && b && haversineKm(a, b) >= 100 && haversineKm(a, b) <= 900) nearDesk++;
      }
      expect(nearDesk).toBeGreaterThan(10);
      const grants = rows(org, 'OauthToken').filter((g) => String(g.AppName).startsWith('Salesforce for '));
      expect(grants.filter((g) => NOW.getTime() - t(g.CreatedDate) > 60 * DAY).length).toBeGreaterThan(20);
    });

    it('has VPN exits shared by many users', () => {
      const users = new Set(
        rows(org, 'LoginHistory')
          .filter((r) => ALL_VPN_EXITS.some((e) => e.ip === r.SourceIp))
          .map((r) => r.UserId),
      );
      expect(users.size).toBeGreaterThan(30);
    });

    it('has business trips on real flight times, many to a new country', () => {
      expect(world.trips.size).toBeGreaterThan(10);
      let abroad = 0;
      for (const [userId, trip] of world.trips) {
        const flightHours = (trip.out.availableAt.getTime() - trip.out.departAt.getTime()) / HOUR;
        // Great-circle at ~800 km/h plus taxi and 1–3 h of airport: never faster than an airliner.
        expect(haversineKm(trip.out.from, trip.out.to.city) / flightHours).toBeLessThan(800);
        if (trip.out.to.city.countryIso !== trip.out.from.countryIso) abroad++;
        const there = rows(org, 'LoginHistory').filter(
          (r) => r.UserId === userId && t(r.LoginTime) >= trip.out.departAt.getTime() && t(r.LoginTime) < trip.out.availableAt.getTime(),
        );
        expect(there).toEqual([]);
      }
      expect(abroad).toBeGreaterThan(3);
    });

    it('has integration users (about one per 100 people) with live sessions in two cloud regions at once', () => {
      expect(world.integrations).toHaveLength(3);
      const twoRegions = world.integrations.filter((i) => {
        const cities = new Set(
          org.byReference('AuthSession', 'UsersId', i.userId).map((s) => (typeof s.LoginGeoId === 'string' ? org.get(s.LoginGeoId)?.City : null)),
        );
        return cities.has('Ashburn') && cities.has('Dublin');
      });
      expect(twoRegions.length).toBeGreaterThan(0);
    });

    it('plays the next day forward: admins use Login-As, sessions open, refresh and time out', () => {
      const w = buildRealisticOrg({ seed: 17, people: 300, now: NOW });
      const seen = new Set<string>();
      let substitute = 0;
      const expired: string[] = [];
      for (let step = 1; step <= 48; step++) {
        w.advanceTo(new Date(NOW.getTime() + step * 30 * MINUTE));
        for (const s of w.org.all('AuthSession')) {
          seen.add(String(s.Id));
          if (s.SessionType === 'SubstituteUser') substitute++;
          // Nothing past its validity is ever listed.
          if (t(s.LastModifiedDate) + Number(s.NumSecondsValid) * 1000 <= NOW.getTime() + step * 30 * MINUTE) expired.push(String(s.Id));
        }
      }
      expect(expired).toEqual([]);
      expect(substitute).toBeGreaterThan(0);
      expect(seen.size).toBeGreaterThan(org.count('AuthSession'));
    });
  });

  describe('labelled attacks', () => {
    it('plants every kind at least once, each label naming its victim and its rows', () => {
      expect(new Set(world.attacks.map((a) => a.kind))).toEqual(new Set(ATTACK_KINDS));
      for (const a of world.attacks) {
        expect(a.victimUserId).toMatch(/^005/);
        expect(a.at.getTime()).toBeLessThan(NOW.getTime());
        const people = [a.victimUserId, ...a.touchedUserIds];
        for (const id of a.loginHistoryIds) expect(people).toContain(org.get(id)?.UserId);
        for (const id of a.sessionIds) expect(org.get(id)?.UsersId).toBe(a.victimUserId);
        if (a.kind !== 'connected-app-token-age') expect(a.loginHistoryIds.length + a.sessionIds.length).toBeGreaterThan(0);
      }
    });

    it('password stuffing: failures from abroad, then a live session beside the victim’s own', () => {
      const a = world.attacks.find((x) => x.kind === 'password-stuffing')!;
      const planted = a.loginHistoryIds.map((id) => org.get(id)!);
      expect(planted.filter((r) => r.Status === 'Invalid Password').length).toBeGreaterThanOrEqual(3);
      const live = org.byReference('AuthSession', 'UsersId', a.victimUserId).filter((s) => s.SessionType === 'UI');
      expect(live.map((s) => s.Id)).toEqual(expect.arrayContaining(a.sessionIds));
      expect(live.length).toBeGreaterThanOrEqual(2);
    });

    it('a session kept alive for days, impossible travel, distant places at once', () => {
      const kept = world.attacks.find((x) => x.kind === 'session-kept-alive')!;
      const s = org.get(kept.sessionIds[0]!)!;
      expect(NOW.getTime() - t(s.CreatedDate)).toBeGreaterThan(3 * DAY);
      expect(NOW.getTime() - t(s.LastModifiedDate)).toBeLessThan(10 * MINUTE);

      const travel = world.attacks.find((x) => x.kind === 'impossible-travel')!;
      const [from, to] = travel.loginHistoryIds.map((id) => org.get(id)!);
      const km = haversineKm(geoOf(org, from!)!, geoOf(org, to!)!);
      expect(km / ((t(to!.LoginTime) - t(from!.LoginTime)) / HOUR)).toBeGreaterThan(2000);
      expect(org.byReference('AuthSession', 'LoginHistoryId', String(from!.Id))).toEqual([]);

      const distant = world.attacks.find((x) => x.kind === 'distant-places')!;
      const places = org
        .byReference('AuthSession', 'UsersId', distant.victimUserId)
        .filter((x) => x.SessionType === 'UI')
        .map((x) => geoOf(org, x)!);
      expect(Math.max(...places.map((p) => haversineKm(p, places[0]!)))).toBeGreaterThan(3000);
    });

    it('an integration session and a connected-app token past the rotation policy', () => {
      const session = world.attacks.find((x) => x.kind === 'integration-session-age')!;
      expect(NOW.getTime() - t(org.get(session.sessionIds[0]!)!.CreatedDate)).toBeGreaterThan(30 * DAY);
      const token = world.attacks.find((x) => x.kind === 'connected-app-token-age')!;
      const grant = rows(org, 'OauthToken').find((g) => g.UserId === token.victimUserId && g.AppName === token.tokens[0]?.appName)!;
      expect(NOW.getTime() - t(grant.CreatedDate)).toBeGreaterThan(30 * DAY);
      expect(NOW.getTime() - t(grant.LastUsedDate)).toBeLessThan(DAY);
    });

    it('password spraying: one address failing against 20–60 people within an hour, one of whom gets in', () => {
      const spray = world.attacks.find((x) => x.kind === 'password-spraying')!;
      const planted = spray.loginHistoryIds.map((id) => org.get(id)!);
      const failures = planted.filter((r) => r.Status === 'Invalid Password');
      expect(new Set(planted.map((r) => r.SourceIp)).size).toBe(1);
      expect(new Set(failures.map((r) => r.UserId)).size).toBeGreaterThanOrEqual(20);
      expect(new Set(failures.map((r) => r.UserId)).size).toBeLessThanOrEqual(60);
      const times = failures.map((r) => t(r.LoginTime));
      expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(HOUR);
      expect(planted.filter((r) => r.Status === 'Success').map((r) => r.UserId)).toEqual([spray.victimUserId]);
      expect(spray.touchedUserIds.length).toBe(failures.length - 1);
      // Not a rule's business here, but the id the bench maps spraying to today must exist.
      expect(FAILED_THEN_SUCCESS_RULE_ID).toBe('failed-then-success');
    });

    it('a token granted to an app the user never used before', () => {
      const a = world.attacks.find((x) => x.kind === 'new-app-token')!;
      const app = a.tokens[0]!.appName;
      const before = rows(org, 'LoginHistory').filter((r) => r.UserId === a.victimUserId && r.Application === app && t(r.LoginTime) < a.at.getTime());
      expect(before).toEqual([]);
      expect(rows(org, 'OauthToken').filter((g) => g.UserId === a.victimUserId && g.AppName === app)).toHaveLength(1);
    });
  });

  describe('scaling', () => {
    it.each([
      [1500, 1, 15],
      [3000, 2, 30],
      [10000, 7, 100],
    ])('%i people: %i attacks of each kind, %i integration users', (people, perKind, integrations) => {
      expect(attacksPerKind(people)).toBe(perKind);
      expect(integrationCount(people)).toBe(integrations);
    });

    it('grows the org with its people', () => {
      const small = buildRealisticOrg({ seed: 3, people: 150, now: NOW });
      const big = buildRealisticOrg({ seed: 3, people: 600, now: NOW });
      const ratio = big.org.count('LoginHistory') / small.org.count('LoginHistory');
      expect(ratio).toBeGreaterThan(3);
      expect(ratio).toBeLessThan(5);
      expect(big.integrations).toHaveLength(6);
    });
  });
});

describe('session lifetime on the timeline', () => {
  const created = Date.parse('2026-12-08T08:00:00Z');
  const plan = (o: Partial<SessionPlan>): SessionPlan => ({
    kind: 'ui',
    numSecondsValid: 7200,
    activeUntil: new Date(created + 8 * HOUR),
    touchMs: 5 * MINUTE,
    ...o,
  });
  it.each([
    ['in use: LastModifiedDate follows the last touch', plan({}), created + 3 * HOUR + 7 * MINUTE, created + 3 * HOUR + 5 * MINUTE, true],
    ['idle after use: alive until last use + timeout', plan({}), created + 9 * HOUR, created + 8 * HOUR, true],
    ['timed out', plan({}), created + 10 * HOUR + 1, created + 8 * HOUR, false],
    ['signed out', plan({ logoutAt: new Date(created + HOUR) }), created + 2 * HOUR, created + 2 * HOUR, false],
    [
      'a short timeout over lunch',
      plan({ numSecondsValid: 1800, activeUntil: new Date(created + 4 * HOUR) }),
      created + 4 * HOUR + 31 * MINUTE,
      created + 4 * HOUR,
      false,
    ],
  ])('%s', (_label, p, at, last, alive) => {
    expect(lastActivityMs(p, created, at)).toBe(last);
    expect(aliveAt(p, created, at)).toBe(alive);
  });
});
