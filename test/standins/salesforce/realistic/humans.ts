import type { Rng } from '../generator';
import type { GeoPlace } from '../places';
import { carrierIp, guestIp, officeIp, vpnIp } from './addresses';
import type { Person } from './people';
import { city, OFFICES, type Office, type Region } from './places';
import type { LoginPlan, SessionPlan, SubstitutePlan } from './timeline';
import { whereOnTrip, type Trip } from './trips';
import { atLocalHour, DAY_MS, HOUR_MS, localMidnight, localWeekday, MINUTE_MS, SECOND_MS } from './time';

/**
 * One person's logins, day by day: where they are that day (office, home, VPN, a trip), a working
 * day in one UI session or several, typos before a password login, the phone app a few minutes
 * after the desk login. Output is plans on the timeline; nothing here writes the Org.
 */

export interface VpnExit {
  ip: string;
  city: GeoPlace;
}

/** A handful of corporate VPN exits in three cities, each region's people sharing theirs. */
export const VPN_EXITS: Readonly<Record<Region, readonly VpnExit[]>> = {
  Americas: [
    { ip: vpnIp(0), city: city('Ashburn') },
    { ip: vpnIp(1), city: city('Ashburn') },
  ],
  EMEA: [
    { ip: vpnIp(2), city: city('Frankfurt') },
    { ip: vpnIp(3), city: city('Frankfurt') },
  ],
  APAC: [{ ip: vpnIp(4), city: city('Singapore') }],
};

export const ALL_VPN_EXITS: readonly VpnExit[] = Object.values(VPN_EXITS).flat();

interface Where {
  ip: string;
  place: GeoPlace;
  timeZone: string;
  /** At the person's own office today (not home, not travelling). */
  atOffice: boolean;
  travelling: boolean;
}

export interface Emit {
  login(plan: LoginPlan): void;
  substitute(plan: SubstitutePlan): void;
}

export interface DayContext {
  /** Users an admin might Login-As (ordinary people of the same region). */
  loginAsTargets: (region: Region, r: Rng) => string | null;
}

const CHILD_CHOICES: readonly (readonly string[])[] = [
  ['Aura', 'Visualforce'],
  ['Aura', 'Visualforce', 'Content'],
  ['Aura', 'Visualforce', 'API'],
  ['Aura', 'Visualforce', 'Content', 'API'],
  ['Aura'],
];

function deskLoginType(p: Person): string {
  return p.sso ? 'SAML Idp Initiated SSO' : 'Application';
}

/** Plans every day of `person` whose local midnight falls in [from, to). */
export function planPersonDays(person: Person, trip: Trip | null, r: Rng, from: Date, to: Date, emit: Emit, ctx: DayContext): void {
  const tzHome = person.office.timeZone;
  for (
    let midnight = localMidnight(tzHome, from);
    midnight.getTime() < to.getTime();
    midnight = localMidnight(tzHome, new Date(midnight.getTime() + 26 * HOUR_MS))
  ) {
    planDay(person, trip, r, midnight, emit, ctx);
  }
}

function planDay(person: Person, trip: Trip | null, r: Rng, homeMidnight: Date, emit: Emit, ctx: DayContext): void {
  const dayNumber = Math.floor((homeMidnight.getTime() + 12 * HOUR_MS) / DAY_MS);
  const atNoon = new Date(homeMidnight.getTime() + 12 * HOUR_MS);
  const location = whereOnTrip(trip, atNoon);
  const away = location !== 'home' && location !== 'flying' ? location : null;
  const timeZone = away ? away.timeZone : person.office.timeZone;
  const midnight = away ? localMidnight(timeZone, atNoon) : homeMidnight;
  const weekday = localWeekday(timeZone, atNoon);
  const working = !person.vacation.has(dayNumber) && (away !== null ? weekday >= 1 && weekday <= 5 : person.workDays.includes(weekday));
  const where = whereToday(person, r, away, timeZone);
  // Logins happen where the person is that day: never from a plane, never from home once the flight has left.
  const here = (at: Date): boolean => {
    const w = whereOnTrip(trip, at);
    return away ? w === away : w === 'home';
  };

  if (!working) {
    if (r.chance(person.offDayChance)) {
      const at = atLocalHour(midnight, r.between(10, 21) + r.next());
      if (here(at))
        desk(
          person,
          r,
          { ...where, ip: away ? where.ip : person.homeIp, place: away ? where.place : person.homeCity },
          at,
          new Date(at.getTime() + r.between(8, 45) * MINUTE_MS),
          emit,
          false,
        );
    }
    return;
  }

  let start = atLocalHour(midnight, person.startHour + (r.next() - 0.5) * (person.pattern === 'shift' ? 0.3 : 1));
  let end = new Date(start.getTime() + (person.hours + (r.next() - 0.5)) * HOUR_MS);
  // A travel day: work before the flight, or after landing (if there is time left).
  if (trip) {
    for (const leg of [trip.out, trip.back]) {
      if (!leg) continue;
      if (leg.departAt > start && leg.departAt < end) end = new Date(leg.departAt.getTime() - r.between(90, 180) * MINUTE_MS);
      if (leg.availableAt > start && leg.availableAt < end) start = leg.availableAt;
    }
  }
  if (end.getTime() - start.getTime() < 20 * MINUTE_MS || !here(start) || !here(end)) return;
  const firstLogin = workingDay(person, r, where, start, end, emit, here);
  if (person.phone && r.chance(person.phone.dailyUse)) phoneDay(person, r, trip, firstLogin, end, emit);
  if (person.admin && r.chance(0.35)) loginAs(person, r, start, end, where, emit, ctx);
}

function whereToday(person: Person, r: Rng, away: Office | null, timeZone: string): Where {
  if (away) {
    // At the destination: the local office's network or the hotel's.
    const office = r.chance(0.5);
    return {
      ip: office ? officeIp(OFFICES.indexOf(away), r.int(4)) : guestIp(r),
      place: away.city,
      timeZone,
      atOffice: false,
      travelling: true,
    };
  }
  if (r.chance(person.vpnShare)) {
    const exit = r.pick(VPN_EXITS[person.office.region]);
    return { ip: exit.ip, place: exit.city, timeZone, atOffice: false, travelling: false };
  }
  const atOffice = r.chance(person.officeShare);
  return atOffice
    ? { ip: person.officeUplink, place: person.office.city, timeZone, atOffice, travelling: false }
    : { ip: person.homeIp, place: person.homeCity, timeZone, atOffice, travelling: false };
}

/** A working day at a desk; returns the first login's time. */
function workingDay(person: Person, r: Rng, where: Where, start: Date, end: Date, emit: Emit, canLogin: (at: Date) => boolean): Date {
  const lunchAt = new Date(start.getTime() + r.between(180, 300) * MINUTE_MS);
  const lunchMs = r.between(20, 90) * MINUTE_MS;
  const lunchEnd = new Date(lunchAt.getTime() + lunchMs);
  const expiresOverLunch = lunchMs >= person.timeoutSeconds * SECOND_MS;
  const signsOut = person.style === 'several' && r.chance(0.7);
  if (lunchAt < end && (expiresOverLunch || signsOut)) {
    desk(person, r, where, start, lunchAt, emit, signsOut);
    if (lunchEnd < end) desk(person, r, where, lunchEnd, end, emit, r.chance(0.25));
  } else {
    desk(person, r, where, start, end, emit, r.chance(0.25));
  }
  // A look from home in the evening.
  if (person.style === 'several' && r.chance(0.3)) {
    const at = new Date(end.getTime() + r.between(60, 240) * MINUTE_MS);
    const until = new Date(at.getTime() + r.between(5, 40) * MINUTE_MS);
    // Not from a plane, nor from home once the flight has left.
    if (canLogin(at) && canLogin(until))
      desk(
        person,
        r,
        { ...where, ip: where.travelling ? where.ip : person.homeIp, place: where.travelling ? where.place : person.homeCity },
        at,
        until,
        emit,
        false,
      );
  }
  return start;
}

/** One browser login used from `at` until `until`; typos first when the person types a password. */
function desk(person: Person, r: Rng, where: Where, at: Date, until: Date, emit: Emit, logout: boolean): void {
  const loginType = deskLoginType(person);
  let t = at.getTime();
  if (!person.sso && r.chance(person.typoRate)) {
    const typos = r.between(1, 4);
    t -= typos * r.between(8, 40) * SECOND_MS;
    for (let i = 0; i < typos; i++) {
      emit.login({
        at: new Date(t),
        userId: person.userId,
        status: 'Invalid Password',
        sourceIp: where.ip,
        place: where.place,
        loginType,
        application: 'Browser',
        browser: person.device.browser,
        platform: person.device.platform,
      });
      t += r.between(8, 40) * SECOND_MS;
    }
  }
  const session: SessionPlan = {
    kind: 'ui',
    children: r.pick(CHILD_CHOICES),
    numSecondsValid: person.timeoutSeconds,
    activeUntil: until,
    touchMs: r.between(1, 10) * MINUTE_MS,
    ...(logout ? { logoutAt: until } : {}),
    securityLevel: person.sso ? 'HIGH_ASSURANCE' : 'STANDARD',
  };
  emit.login({
    at: new Date(Math.max(t, at.getTime())),
    userId: person.userId,
    status: 'Success',
    sourceIp: where.ip,
    place: where.place,
    loginType,
    application: 'Browser',
    browser: person.device.browser,
    platform: person.device.platform,
    session,
  });
}

/**
 * The Salesforce app on the phone: opened a few minutes after the desk login and now and then
 * later. Each open after the session timed out is an OAuth refresh-token login from the carrier,
 * whose geo-IP is a few hundred km from the desk (abroad, roaming traffic usually still exits at
 * home: the phone then "is" at home while its owner sits in another country).
 */
function phoneDay(person: Person, r: Rng, trip: Trip | null, firstLogin: Date, end: Date, emit: Emit): void {
  const phone = person.phone;
  if (!phone) return;
  const opens: number[] = [firstLogin.getTime() + r.between(2, 40) * MINUTE_MS];
  const extra = r.between(0, 3);
  for (let i = 0; i < extra; i++) opens.push(firstLogin.getTime() + r.int(Math.max(1, end.getTime() + 3 * HOUR_MS - firstLogin.getTime())));
  opens.sort((a, b) => a - b);
  const ip = carrierIp(phone.carrier, r);
  let current: { plan: LoginPlan; session: SessionPlan } | null = null;
  for (const open of opens) {
    const at = new Date(open);
    const location = whereOnTrip(trip, at);
    if (location === 'flying') continue;
    const use = r.between(1, 15) * MINUTE_MS;
    if (current && open < current.session.activeUntil.getTime() + current.session.numSecondsValid * SECOND_MS) {
      current.session.activeUntil = new Date(Math.max(current.session.activeUntil.getTime(), open + use));
      continue;
    }
    const roaming = location !== 'home' && !r.chance(0.3);
    const place = location === 'home' || roaming ? phone.geo : location.city;
    const session: SessionPlan = { kind: 'oauth', numSecondsValid: 7200, activeUntil: new Date(open + use), touchMs: MINUTE_MS };
    const plan: LoginPlan = {
      at,
      userId: person.userId,
      status: 'Success',
      sourceIp: location === 'home' || roaming ? ip : guestIp(r),
      place,
      loginType: 'Remote Access 2.0',
      loginSubType: 'OauthRefreshToken',
      application: phone.app,
      browser: 'Salesforce Mobile App',
      platform: phone.platform,
      session,
    };
    emit.login(plan);
    current = { plan, session };
  }
}

/** An admin helping colleagues: Login-As for a few minutes, from the admin's own desk. */
function loginAs(admin: Person, r: Rng, start: Date, end: Date, where: Where, emit: Emit, ctx: DayContext): void {
  const times = r.between(1, 3);
  for (let i = 0; i < times; i++) {
    const target = ctx.loginAsTargets(admin.office.region, r);
    if (!target || target === admin.userId) continue;
    const at = new Date(start.getTime() + r.int(Math.max(1, end.getTime() - start.getTime())));
    emit.substitute({
      at,
      userId: target,
      sourceIp: where.ip,
      session: {
        kind: 'ui',
        numSecondsValid: admin.timeoutSeconds,
        activeUntil: new Date(at.getTime() + r.between(3, 30) * MINUTE_MS),
        touchMs: MINUTE_MS,
        logoutAt: new Date(at.getTime() + r.between(31, 45) * MINUTE_MS),
      },
    });
  }
}
