import {
  addIntegrationSession,
  addLogin,
  addOauthToken,
  addOrganization,
  addSessionFamily,
  addUser,
  addUserWithSessions,
  BOT_USERNAME,
  PROFILE_ADMIN,
  PROFILE_INTEGRATION,
  withBot,
} from './generator';
import { Org } from './org';
import { place } from './places';

/**
 * Small hand-written orgs for tests. Every time is relative to `now`, so a test that passes its
 * own clock to the server gets the same picture on any day. Every org contains the bot's own user.
 * The `add*` functions add one scenario to an existing org (used by `everything`).
 */

export { BOT_USERNAME, withBot };

export interface ScenarioOptions {
  now: Date;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
const minutesAgo = (now: Date, minutes: number): Date => new Date(now.getTime() - minutes * MINUTE_MS);
const daysAgo = (now: Date, days: number): Date => new Date(now.getTime() - days * DAY_MS);

/** Office and attacker addresses, all from the documentation ranges. */
export const IPS = {
  sanFrancisco: '203.0.113.10',
  moscow: '198.51.100.23',
  dublin: '192.0.2.44',
  integration: '203.0.113.200',
} as const;

function newOrg(): { org: Org; botUserId: string } {
  const org = new Org();
  addOrganization(org, 'Acme Corporation');
  return withBot(org);
}

// ---------------------------------------------------------------------------------------------

export interface QuietUserIds {
  userId: string;
  userLoginId: string;
  rootId: string;
  childIds: string[];
  sessionIds: string[];
  loginHistoryId: string;
}

/** alice@acme.com: one UI family (3 sessions) from San Francisco, logged in 20 minutes ago. */
export function addQuietUser(org: Org, { now }: ScenarioOptions): QuietUserIds {
  const { userId, userLoginId } = addUser(org, { username: 'alice@acme.com', name: 'Alice Admin', profile: PROFILE_ADMIN });
  const family = addSessionFamily(org, {
    userId,
    createdAt: minutesAgo(now, 20),
    lastActivityAt: minutesAgo(now, 2),
    sourceIp: IPS.sanFrancisco,
    place: place('San Francisco'),
    children: ['Aura', 'Visualforce'],
  });
  return {
    userId,
    userLoginId,
    rootId: family.rootId,
    childIds: family.childIds,
    sessionIds: [family.rootId, ...family.childIds],
    loginHistoryId: family.loginHistoryId,
  };
}

export function quietUser(options: ScenarioOptions): { org: Org; botUserId: string } & QuietUserIds {
  const base = newOrg();
  return { ...base, ...addQuietUser(base.org, options) };
}

// ---------------------------------------------------------------------------------------------

export interface CompromisedUserIds {
  userId: string;
  userLoginId: string;
  /** Home family, logged in 115 minutes ago. */
  sanFranciscoRootId: string;
  /** Attacker family, logged in 25 minutes ago (90 minutes after the home one). */
  moscowRootId: string;
  /** A home family created 45 days ago and still in use. */
  oldRootId: string;
  sessionIds: string[];
  /** The four 'Invalid Password' rows, oldest first, from Moscow 33–27 minutes ago. */
  failedLoginIds: string[];
  /** The successful Moscow login that created the Moscow family. */
  successLoginId: string;
  /** An OauthToken (Salesforce for iOS) granted 120 days ago. */
  oldTokenDeleteToken: string;
}

export const COMPROMISED_TIMES = {
  sanFranciscoLoginMinutesAgo: 115,
  moscowLoginMinutesAgo: 25,
  failedLoginMinutesAgo: [33, 31, 29, 27],
  oldFamilyDaysAgo: 45,
  oldTokenDaysAgo: 120,
} as const;

/**
 * bob@acme.com: at home in San Francisco, then four wrong passwords and a success from Moscow
 * 90 minutes later, a months-old session still being refreshed, and a stale mobile-app grant.
 */
export function addCompromisedUser(org: Org, { now }: ScenarioOptions): CompromisedUserIds {
  const t = COMPROMISED_TIMES;
  const { userId, userLoginId } = addUser(org, { username: 'bob@acme.com', name: 'Bob Baker' });
  const sf = place('San Francisco');
  const moscow = place('Moscow');

  const old = addSessionFamily(org, {
    userId,
    createdAt: daysAgo(now, t.oldFamilyDaysAgo),
    lastActivityAt: minutesAgo(now, 4),
    sourceIp: IPS.sanFrancisco,
    place: sf,
    children: ['Aura', 'Visualforce'],
  });
  const home = addSessionFamily(org, {
    userId,
    createdAt: minutesAgo(now, t.sanFranciscoLoginMinutesAgo),
    lastActivityAt: minutesAgo(now, 6),
    sourceIp: IPS.sanFrancisco,
    place: sf,
  });
  const attackerLogin = { browser: 'Firefox 133', platform: 'Windows 10' };
  const failedLoginIds = t.failedLoginMinutesAgo.map((m) =>
    addLogin(org, {
      userId,
      at: minutesAgo(now, m),
      status: 'Invalid Password',
      sourceIp: IPS.moscow,
      place: moscow,
      ...attackerLogin,
    }),
  );
  const attacker = addSessionFamily(org, {
    userId,
    createdAt: minutesAgo(now, t.moscowLoginMinutesAgo),
    lastActivityAt: minutesAgo(now, 1),
    sourceIp: IPS.moscow,
    place: moscow,
    children: ['Aura', 'Visualforce', 'Content', 'API'],
    login: attackerLogin,
  });
  const { deleteToken } = addOauthToken(org, {
    userId,
    appName: 'Salesforce for iOS',
    createdAt: daysAgo(now, t.oldTokenDaysAgo),
    lastUsedAt: daysAgo(now, 2),
    useCount: 317,
  });
  return {
    userId,
    userLoginId,
    sanFranciscoRootId: home.rootId,
    moscowRootId: attacker.rootId,
    oldRootId: old.rootId,
    sessionIds: [old, home, attacker].flatMap((f) => [f.rootId, ...f.childIds]),
    failedLoginIds,
    successLoginId: attacker.loginHistoryId,
    oldTokenDeleteToken: deleteToken,
  };
}

export function compromisedUser(options: ScenarioOptions): { org: Org; botUserId: string } & CompromisedUserIds {
  const base = newOrg();
  return { ...base, ...addCompromisedUser(base.org, options) };
}

// ---------------------------------------------------------------------------------------------

export interface IntegrationUserIds {
  userId: string;
  userLoginId: string;
  /** 'Acme Data Sync', connected 3 days ago and busy ever since. */
  syncSessionId: string;
  /** 'Data Loader', connected 40 minutes ago. */
  loaderSessionId: string;
  sessionIds: string[];
  /** Grant for Acme Data Sync, 400 days old. */
  oldTokenDeleteToken: string;
  /** Grant for Data Loader, 5 days old. */
  recentTokenDeleteToken: string;
}

/** integration@acme.com: an API-only user with two Oauth2 sessions and two grants (one old). */
export function addIntegrationUser(org: Org, { now }: ScenarioOptions): IntegrationUserIds {
  const { userId, userLoginId } = addUser(org, {
    username: 'integration@acme.com',
    name: 'Acme Integration',
    profile: PROFILE_INTEGRATION,
  });
  const dc = place('Dublin');
  const sync = addIntegrationSession(org, {
    userId,
    createdAt: daysAgo(now, 3),
    lastActivityAt: minutesAgo(now, 1),
    sourceIp: IPS.integration,
    place: dc,
    appName: 'Acme Data Sync',
    isAssociatedWithJwtAccessToken: true,
  });
  const loader = addIntegrationSession(org, {
    userId,
    createdAt: minutesAgo(now, 40),
    lastActivityAt: minutesAgo(now, 12),
    sourceIp: IPS.dublin,
    place: dc,
    appName: 'Data Loader',
    loginSubType: 'OauthRefreshToken',
  });
  const oldToken = addOauthToken(org, {
    userId,
    appName: 'Acme Data Sync',
    createdAt: daysAgo(now, 400),
    lastUsedAt: minutesAgo(now, 1),
    useCount: 48_211,
  });
  const recentToken = addOauthToken(org, {
    userId,
    appName: 'Data Loader',
    createdAt: daysAgo(now, 5),
    lastUsedAt: minutesAgo(now, 12),
    useCount: 9,
  });
  return {
    userId,
    userLoginId,
    syncSessionId: sync.sessionId,
    loaderSessionId: loader.sessionId,
    sessionIds: [sync.sessionId, loader.sessionId],
    oldTokenDeleteToken: oldToken.deleteToken,
    recentTokenDeleteToken: recentToken.deleteToken,
  };
}

export function integrationUser(options: ScenarioOptions): { org: Org; botUserId: string } & IntegrationUserIds {
  const base = newOrg();
  return { ...base, ...addIntegrationUser(base.org, options) };
}

// ---------------------------------------------------------------------------------------------

/** Just the bot's own user (its Oauth2 session appears when the stand-in issues it a token). */
export function botUser(_options: ScenarioOptions): { org: Org; botUserId: string } {
  return newOrg();
}

// ---------------------------------------------------------------------------------------------

export const SHARED_EMAIL = 'shared@acme.com';

export interface DuplicateEmailIds {
  carolId: string;
  carolSandboxId: string;
  carolSessionIds: string[];
  carolSandboxSessionIds: string[];
}

/** carol@acme.com and carol.sandbox@acme.com share an Email: a lookup by email finds both. */
export function addDuplicateEmail(org: Org, { now }: ScenarioOptions): DuplicateEmailIds {
  const carol = addUser(org, { username: 'carol@acme.com', name: 'Carol Chen', email: SHARED_EMAIL });
  const sandbox = addUser(org, { username: 'carol.sandbox@acme.com', name: 'Carol Chen', email: SHARED_EMAIL });
  const a = addSessionFamily(org, {
    userId: carol.userId,
    createdAt: minutesAgo(now, 50),
    lastActivityAt: minutesAgo(now, 3),
    sourceIp: '203.0.113.31',
    place: place('New York'),
  });
  const b = addSessionFamily(org, {
    userId: sandbox.userId,
    createdAt: minutesAgo(now, 10),
    lastActivityAt: minutesAgo(now, 8),
    sourceIp: '203.0.113.31',
    place: place('New York'),
    children: ['Aura'],
  });
  return {
    carolId: carol.userId,
    carolSandboxId: sandbox.userId,
    carolSessionIds: [a.rootId, ...a.childIds],
    carolSandboxSessionIds: [b.rootId, ...b.childIds],
  };
}

export function duplicateEmail(options: ScenarioOptions): { org: Org; botUserId: string } & DuplicateEmailIds {
  const base = newOrg();
  return { ...base, ...addDuplicateEmail(base.org, options) };
}

// ---------------------------------------------------------------------------------------------

export interface InactiveAndFrozenIds {
  daveId: string;
  daveUserLoginId: string;
  erinId: string;
  erinUserLoginId: string;
  /** Erin was frozen after logging in: her session is still alive (freezing does not end sessions). */
  erinSessionIds: string[];
}

/** dave@acme.com is inactive (and tried to log in); erin@acme.com is frozen with a live session. */
export function addInactiveAndFrozen(org: Org, { now }: ScenarioOptions): InactiveAndFrozenIds {
  const dave = addUser(org, { username: 'dave@acme.com', name: 'Dave Diaz', isActive: false });
  const erin = addUser(org, { username: 'erin@acme.com', name: 'Erin Evans', isFrozen: true });
  const london = place('London');
  addLogin(org, { userId: dave.userId, at: daysAgo(now, 40), sourceIp: '192.0.2.77', place: london });
  addLogin(org, { userId: dave.userId, at: minutesAgo(now, 90), status: 'User is Inactive', sourceIp: '192.0.2.77', place: london });
  const family = addSessionFamily(org, {
    userId: erin.userId,
    createdAt: minutesAgo(now, 70),
    lastActivityAt: minutesAgo(now, 30),
    sourceIp: '192.0.2.90',
    place: london,
  });
  addLogin(org, { userId: erin.userId, at: minutesAgo(now, 15), status: 'User Is Frozen', sourceIp: '192.0.2.90', place: london });
  return {
    daveId: dave.userId,
    daveUserLoginId: dave.userLoginId,
    erinId: erin.userId,
    erinUserLoginId: erin.userLoginId,
    erinSessionIds: [family.rootId, ...family.childIds],
  };
}

export function inactiveAndFrozen(options: ScenarioOptions): { org: Org; botUserId: string } & InactiveAndFrozenIds {
  const base = newOrg();
  return { ...base, ...addInactiveAndFrozen(base.org, options) };
}

// ---------------------------------------------------------------------------------------------

export const BIG_USERNAME = 'big@acme.com';

export interface BigUserOptions extends ScenarioOptions {
  count: number;
}

/** big@acme.com with exactly `count` live sessions (450 and 5,000 in tests). */
export function addBigUser(org: Org, { now, count }: BigUserOptions): { userId: string; sessionIds: string[] } {
  return addUserWithSessions(org, { username: BIG_USERNAME, count, seed: 450_5000, now });
}

export function bigUser(options: BigUserOptions): { org: Org; botUserId: string; userId: string; sessionIds: string[] } {
  const base = newOrg();
  return { ...base, ...addBigUser(base.org, options) };
}

// ---------------------------------------------------------------------------------------------

/** The demo/dev org: every scenario above in one org, big@acme.com with 450 sessions. */
export function everything(options: ScenarioOptions): {
  org: Org;
  botUserId: string;
  quiet: QuietUserIds;
  compromised: CompromisedUserIds;
  integration: IntegrationUserIds;
  duplicate: DuplicateEmailIds;
  inactiveAndFrozen: InactiveAndFrozenIds;
  big: { userId: string; sessionIds: string[] };
} {
  const base = newOrg();
  const { org } = base;
  return {
    ...base,
    quiet: addQuietUser(org, options),
    compromised: addCompromisedUser(org, options),
    integration: addIntegrationUser(org, options),
    duplicate: addDuplicateEmail(org, options),
    inactiveAndFrozen: addInactiveAndFrozen(org, options),
    big: addBigUser(org, { ...options, count: 450 }),
  };
}
