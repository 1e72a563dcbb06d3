import {
  addIntegrationSession,
  addLogin,
  addOauthToken,
  addSessionFamily,
  addUser,
  DEFAULT_USER_CREATED_AT,
  type Rng,
  type SessionFamilyIds,
} from '../../test/standins/salesforce/generator';
import type { Org } from '../../test/standins/salesforce/org';
import type { GeoPlace } from '../../test/standins/salesforce/places';
import { pickDevice, pickPhone, type Device, type PhoneApp } from './devices';
import { timeZoneOf, type RosterEntry } from './roster';
import { before, DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './time';

/**
 * An ordinary colleague working an ordinary day: at home or at their office in one city, sometimes
 * one browser login kept open from the morning on, a mistyped password now and then, the mobile
 * app on their phone. None of it is a reason for a rule to speak about them, so every alert the
 * demo shows is about someone who deserves it.
 */
export interface OrdinaryUser {
  userId: string;
  userLoginId: string;
  username: string;
  name: string;
  profile: string;
  home: GeoPlace;
  /** Home broadband address. */
  ip: string;
  /** The office's shared address, in the same city. */
  officeIp: string;
  /** The carrier gateway their phone signs in through, in the same city. */
  phoneIp: string;
  device: Device;
  /** The Salesforce mobile app they use, or null for someone who never installed it. */
  phone: PhoneApp | null;
}

/** Days of login history behind each colleague (inside the bot's 30-day login window). */
const HISTORY_DAYS = 21;
const WORKDAY_LOGIN_CHANCE = 0.75;
/** A wrong password now and then, sometimes two, always from the person's own address and device. */
const MISTYPE_CHANCE = 0.1;
const SECOND_MISTYPE_CHANCE = 0.3;
const SECOND_LOGIN_CHANCE = 0.35;
const FROM_OFFICE_CHANCE = 0.6;
/** Colleagues with the mobile app; on some days they sign in from the phone too. */
const PHONE_CHANCE = 0.5;
const PHONE_DAY_CHANCE = 0.3;
const PHONE_OPEN_CHANCE = 0.5;
/** Some colleagues sign in once in the morning and keep that login all day. */
const FULL_DAY_CHANCE = 0.4;
const SHORT_LOGIN_MAX_MINUTES = 95;
/**
 * Open logins are younger than this: a working day's single login, well inside the 16 h working
 * day past which session-timeout flags a person's session (the activity signs them out before then).
 */
export const OPEN_LOGIN_MAX_MINUTES = 10 * 60;

export interface OrdinaryUserPlan {
  entry: RosterEntry;
  home: GeoPlace;
  ip: string;
  officeIp: string;
  phoneIp: string;
}

export function addOrdinaryUser(org: Org, r: Rng, plan: OrdinaryUserPlan, now: Date): OrdinaryUser {
  const { entry, home } = plan;
  const { userId, userLoginId } = addUser(org, {
    username: entry.username,
    name: entry.name,
    profile: entry.profile,
    timeZone: timeZoneOf(home),
    createdAt: new Date(DEFAULT_USER_CREATED_AT.getTime() - r.int(700) * DAY_MS),
  });
  const user: OrdinaryUser = {
    userId,
    userLoginId,
    username: entry.username,
    name: entry.name,
    profile: entry.profile,
    home,
    ip: plan.ip,
    officeIp: plan.officeIp,
    phoneIp: plan.phoneIp,
    device: pickDevice(r),
    phone: r.chance(PHONE_CHANCE) ? pickPhone(r) : null,
  };
  addLoginPast(org, r, user, now);
  addOpenLogins(org, r, user, now);
  if (user.phone) addPhoneApp(org, r, user, user.phone, now);
  return user;
}

function workplaceIp(r: Rng, user: OrdinaryUser): string {
  return r.chance(FROM_OFFICE_CHANCE) ? user.officeIp : user.ip;
}

/** How many wrong passwords come before a login: mostly none, now and then one, rarely two. */
function mistypes(r: Rng, chance: number): number {
  if (!r.chance(chance)) return 0;
  return r.chance(SECOND_MISTYPE_CHANCE) ? 2 : 1;
}

/** A working day's login, sometimes after a mistyped password or two a few seconds earlier. */
function addDayLogin(org: Org, r: Rng, user: OrdinaryUser, at: Date): void {
  const sourceIp = workplaceIp(r, user);
  const common = { userId: user.userId, sourceIp, place: user.home, browser: user.device.browser, platform: user.device.platform };
  let typoAt = at;
  for (let i = mistypes(r, MISTYPE_CHANCE); i > 0; i--) {
    typoAt = before(typoAt, r.between(8, 40) * SECOND_MS);
    addLogin(org, { ...common, at: typoAt, status: 'Invalid Password' });
  }
  addLogin(org, { ...common, at });
}

/** The mobile app signing in through the carrier: OAuth, the app's name as the Application. */
function phoneLogin(user: OrdinaryUser, phone: PhoneApp, at: Date): Parameters<typeof addLogin>[1] {
  return {
    userId: user.userId,
    at,
    sourceIp: user.phoneIp,
    place: user.home,
    loginType: 'Remote Access 2.0',
    loginSubType: 'OauthUserAgent',
    application: phone.application,
    browser: 'Unknown',
    platform: phone.platform,
  };
}

function addLoginPast(org: Org, r: Rng, user: OrdinaryUser, now: Date): void {
  for (let day = HISTORY_DAYS; day >= 1; day--) {
    if (!r.chance(WORKDAY_LOGIN_CHANCE)) continue;
    const dayStart = before(now, day * DAY_MS - r.int(8 * HOUR_MS));
    addDayLogin(org, r, user, dayStart);
    if (user.phone && r.chance(PHONE_DAY_CHANCE)) addLogin(org, phoneLogin(user, user.phone, new Date(dayStart.getTime() + r.between(1, 9) * HOUR_MS)));
  }
}

/**
 * The app's months-old grant (a phone keeps its refresh token by design) and, for some, a session
 * from it opened in the last few hours.
 */
function addPhoneApp(org: Org, r: Rng, user: OrdinaryUser, phone: PhoneApp, now: Date): void {
  addOauthToken(org, {
    userId: user.userId,
    appName: phone.application,
    createdAt: before(now, r.between(30, 400) * DAY_MS),
    lastUsedAt: before(now, r.between(1, 20) * HOUR_MS),
    useCount: r.between(50, 900),
    rng: r,
  });
  if (!r.chance(PHONE_OPEN_CHANCE)) return;
  const createdAt = before(now, r.between(20, 180) * MINUTE_MS);
  addIntegrationSession(org, {
    userId: user.userId,
    createdAt,
    lastActivityAt: new Date(Math.max(createdAt.getTime(), now.getTime() - r.between(1, 15) * MINUTE_MS)),
    sourceIp: user.phoneIp,
    place: user.home,
    appName: phone.application,
    loginSubType: 'OauthUserAgent',
  });
}

/** One or two logins open now, oldest first, each used until a few minutes ago; for some the first is the whole day's. */
function addOpenLogins(org: Org, r: Rng, user: OrdinaryUser, now: Date): void {
  const ages = [r.chance(FULL_DAY_CHANCE) ? r.between(6 * 60, OPEN_LOGIN_MAX_MINUTES) : r.between(8, SHORT_LOGIN_MAX_MINUTES)];
  if (r.chance(SECOND_LOGIN_CHANCE)) ages.push(r.between(5, ages[0]! - 1));
  for (const ageMinutes of ages) {
    const createdAt = before(now, ageMinutes * MINUTE_MS);
    // Used since: children fit between the login and the last activity, which is never in the future.
    const lastActivityAt = new Date(Math.max(createdAt.getTime() + 3 * MINUTE_MS, now.getTime() - r.between(0, 4) * MINUTE_MS));
    addUiLogin(org, r, user, workplaceIp(r, user), createdAt, lastActivityAt);
  }
}

function addUiLogin(org: Org, r: Rng, user: OrdinaryUser, sourceIp: string, createdAt: Date, lastActivityAt: Date): SessionFamilyIds {
  return addSessionFamily(org, {
    userId: user.userId,
    createdAt,
    lastActivityAt,
    sourceIp,
    place: user.home,
    children: r.chance(0.5) ? ['Aura', 'Visualforce', 'Content'] : ['Aura', 'Visualforce'],
    login: { browser: user.device.browser, platform: user.device.platform },
    rng: r,
  });
}

export interface SignIn {
  family: SessionFamilyIds;
  sourceIp: string;
  mistypedFirst: boolean;
}

/**
 * The colleague signs in now from home or the office: a new login with its LoginHistory and
 * LoginGeo, a few seconds before `now` (never in the future, so its children fit before `now`).
 */
export function signInNow(org: Org, r: Rng, user: OrdinaryUser, now: Date): SignIn {
  const sourceIp = workplaceIp(r, user);
  const createdAt = before(now, r.between(5, 30) * SECOND_MS);
  const mistypedFirst = r.chance(MISTYPE_CHANCE * 2);
  if (mistypedFirst) {
    addLogin(org, {
      userId: user.userId,
      at: before(createdAt, r.between(6, 20) * SECOND_MS),
      status: 'Invalid Password',
      sourceIp,
      place: user.home,
      browser: user.device.browser,
      platform: user.device.platform,
    });
  }
  const family = addUiLogin(org, r, user, sourceIp, createdAt, now);
  return { family, sourceIp, mistypedFirst };
}
