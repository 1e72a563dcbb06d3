import { addLogin, addSessionFamily, addUser, DEFAULT_USER_CREATED_AT, type Rng, type SessionFamilyIds } from '../../test/standins/salesforce/generator';
import type { Org } from '../../test/standins/salesforce/org';
import type { GeoPlace } from '../../test/standins/salesforce/places';
import { pickDevice, type Device } from './devices';
import { timeZoneOf, type RosterEntry } from './roster';
import { before, DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from './time';

/**
 * An ordinary colleague: always at home or at their office in one city, so no rule ever has a
 * reason to speak about them. Every alert the demo shows is then about someone who deserves it.
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
  device: Device;
}

/** Days of login history behind each colleague (inside the bot's 30-day login window). */
const HISTORY_DAYS = 21;
const WORKDAY_LOGIN_CHANCE = 0.75;
/** One wrong password now and then: a single failure never makes a "failed logins" run (threshold 3). */
const MISTYPE_CHANCE = 0.04;
const SECOND_LOGIN_CHANCE = 0.35;
const FROM_OFFICE_CHANCE = 0.6;
/**
 * Open logins are younger than this, well inside the default 2 h session timeout, so the demo starts
 * with no "session too old" alert about anyone ordinary (the activity signs them out before then).
 */
export const OPEN_LOGIN_MAX_MINUTES = 95;

export interface OrdinaryUserPlan {
  entry: RosterEntry;
  home: GeoPlace;
  ip: string;
  officeIp: string;
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
    device: pickDevice(r),
  };
  addLoginPast(org, r, user, now);
  addOpenLogins(org, r, user, now);
  return user;
}

function workplaceIp(r: Rng, user: OrdinaryUser): string {
  return r.chance(FROM_OFFICE_CHANCE) ? user.officeIp : user.ip;
}

/** A working day's login, sometimes after one mistyped password a few seconds earlier. */
function addDayLogin(org: Org, r: Rng, user: OrdinaryUser, at: Date): void {
  const sourceIp = workplaceIp(r, user);
  const common = { userId: user.userId, sourceIp, place: user.home, browser: user.device.browser, platform: user.device.platform };
  if (r.chance(MISTYPE_CHANCE)) addLogin(org, { ...common, at: before(at, r.between(8, 40) * SECOND_MS), status: 'Invalid Password' });
  addLogin(org, { ...common, at });
}

function addLoginPast(org: Org, r: Rng, user: OrdinaryUser, now: Date): void {
  for (let day = HISTORY_DAYS; day >= 1; day--) {
    if (!r.chance(WORKDAY_LOGIN_CHANCE)) continue;
    addDayLogin(org, r, user, before(now, day * DAY_MS - r.int(8 * HOUR_MS)));
  }
}

/** One or two logins open now, oldest first, each used until a few minutes ago. */
function addOpenLogins(org: Org, r: Rng, user: OrdinaryUser, now: Date): void {
  const ages = [r.between(8, OPEN_LOGIN_MAX_MINUTES)];
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
