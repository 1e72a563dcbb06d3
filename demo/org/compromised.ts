import { addLogin, addOauthToken, addSessionFamily, addUser, type Rng } from '../../test/standins/salesforce/generator';
import type { Org } from '../../test/standins/salesforce/org';
import { addSetupAuditTrail } from '../../test/standins/salesforce/investigation';
import { place, type GeoPlace } from '../../test/standins/salesforce/places';
import { COMPROMISED_HOME_IP, attackerIp } from './addresses';
import { ATTACKER_DEVICE, type Device } from './devices';
import { before, DAY_MS, HOUR_MS, MINUTE_MS, daysBefore, minutesBefore } from './time';

/**
 * The colleague whose password leaked: Bob Baker works from home in San Francisco, and while his
 * session there is open someone signs in as him from Moscow after a few wrong passwords. He also
 * carries the debris of a careless account: a login from six weeks ago still being refreshed, and
 * a mobile-app grant from months ago.
 */
export interface CompromisedUser {
  userId: string;
  userLoginId: string;
  username: string;
  name: string;
  home: GeoPlace;
  homeIp: string;
  device: Device;
  /** Where the attacker signed in from when the demo starts. */
  attackerPlace: GeoPlace;
  attackerIp: string;
  /** Session family roots: his own login today, the six-week-old one, and the attacker's. */
  sessions: { homeRootId: string; oldRootId: string; attackerRootId: string };
  /** The attacker's failed attempts (LoginHistory ids), oldest first, then the successful one. */
  failedLoginIds: string[];
  successLoginId: string;
  /** The connected app of his months-old OAuth grant. */
  oldGrantApp: string;
}

export const COMPROMISED_USERNAME = 'bob@acme.com';

/** Minutes before the demo starts; the attacker's success comes ~40 min after Bob's own login. */
export const COMPROMISED_TIMELINE = {
  homeLoginMinutesAgo: 55,
  failedLoginMinutesAgo: [19, 18, 17, 16],
  attackerLoginMinutesAgo: 14,
  oldLoginDaysAgo: 45,
  oldGrantDaysAgo: 120,
} as const;

const HISTORY_DAYS = 14;
const OLD_GRANT_APP = 'Salesforce for iOS';

export function addCompromisedUser(org: Org, r: Rng, now: Date): CompromisedUser {
  const t = COMPROMISED_TIMELINE;
  const home = place('San Francisco');
  const attackerPlace = place('Moscow');
  const device: Device = { browser: 'Chrome 131', platform: 'Mac OSX' };
  const own = { sourceIp: COMPROMISED_HOME_IP, place: home, login: device };
  const { userId, userLoginId } = addUser(org, { username: COMPROMISED_USERNAME, name: 'Bob Baker', timeZone: 'America/Los_Angeles' });

  // Two weeks of ordinary mornings at home: his history knows only the United States.
  for (let day = HISTORY_DAYS; day >= 1; day--) {
    if (!r.chance(0.8)) continue;
    addLogin(org, { userId, at: before(now, day * DAY_MS - r.int(6 * HOUR_MS)), ...own, ...device });
  }
  const old = addSessionFamily(org, {
    userId,
    createdAt: daysBefore(now, t.oldLoginDaysAgo),
    lastActivityAt: minutesBefore(now, 4),
    ...own,
    children: ['Aura', 'Visualforce'],
    rng: r,
  });
  const today = addSessionFamily(org, {
    userId,
    createdAt: minutesBefore(now, t.homeLoginMinutesAgo),
    lastActivityAt: minutesBefore(now, 3),
    ...own,
    rng: r,
  });

  const ip = attackerIp(r.int(50));
  const attacker = { sourceIp: ip, place: attackerPlace, ...ATTACKER_DEVICE };
  const failedLoginIds = t.failedLoginMinutesAgo.map((minutes) =>
    addLogin(org, { userId, at: before(now, minutes * MINUTE_MS - r.int(50) * 1000), status: 'Invalid Password', ...attacker }),
  );
  const stolen = addSessionFamily(org, {
    userId,
    createdAt: minutesBefore(now, t.attackerLoginMinutesAgo),
    lastActivityAt: minutesBefore(now, 1),
    sourceIp: ip,
    place: attackerPlace,
    children: ['Aura', 'Visualforce', 'Content', 'API'],
    login: ATTACKER_DEVICE,
    rng: r,
  });
  // What the attacker did with the session: ways back in that "What did it do?" and Contain list.
  addSetupAuditTrail(org, {
    action: 'PermSetAssign',
    section: 'Manage Users',
    display: `Permission set Modify All Data Ops: assigned to user Bob Baker (UserID: [${userId.slice(0, 15)}])`,
    createdById: userId,
    at: minutesBefore(now, t.attackerLoginMinutesAgo - 4),
  });
  addSetupAuditTrail(org, {
    action: 'insertConnectedApplication',
    section: 'Connected Apps',
    display: 'Installed Connected App Data Sync Pro to Salesforce',
    createdById: userId,
    at: minutesBefore(now, t.attackerLoginMinutesAgo - 6),
  });
  addOauthToken(org, {
    userId,
    appName: OLD_GRANT_APP,
    createdAt: daysBefore(now, t.oldGrantDaysAgo),
    lastUsedAt: daysBefore(now, 2),
    useCount: r.between(200, 400),
    rng: r,
  });
  return {
    userId,
    userLoginId,
    username: COMPROMISED_USERNAME,
    name: 'Bob Baker',
    home,
    homeIp: COMPROMISED_HOME_IP,
    device,
    attackerPlace,
    attackerIp: ip,
    sessions: { homeRootId: today.rootId, oldRootId: old.rootId, attackerRootId: stolen.rootId },
    failedLoginIds,
    successLoginId: stolen.loginHistoryId,
    oldGrantApp: OLD_GRANT_APP,
  };
}
