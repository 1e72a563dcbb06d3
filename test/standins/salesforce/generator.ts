import { Org, type SfRecord } from './org';
import { PLACES, type GeoPlace } from './places';

/**
 * Building blocks that fill an Org the way a real Salesforce org looks from the API: one human
 * login is a LoginHistory row, a LoginGeo row and a family of AuthSession rows (UI root plus Aura,
 * Visualforce, Content… children). Everything is deterministic: ids come from the Org's counters
 * and every random choice from a seeded PRNG, so the same inputs give byte-identical orgs.
 */

// ---------------------------------------------------------------------------------------------
// Randomness

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** Integer in [min, max]. */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** mulberry32: tiny, fast and good enough for test data; not for anything secret. */
export function rng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => Math.floor(next() * n);
  return {
    next,
    int,
    between: (min, max) => min + int(max - min + 1),
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[int(items.length)] as T;
    },
    chance: (p) => next() < p,
  };
}

/** FNV-1a, so building blocks called without an Rng still vary by their inputs, deterministically. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(r: Rng, length: number, alphabet = ALNUM): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[r.int(alphabet.length)];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Constants that look like a real org

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const LOGIN_URL = 'acme.my.salesforce.com';
/** Users created before any scenario's "now", so CreatedDate never lands after a login. */
export const DEFAULT_USER_CREATED_AT = new Date('2023-03-01T16:00:00.000Z');

export const PROFILE_STANDARD = 'Standard User';
export const PROFILE_ADMIN = 'System Administrator';
export const PROFILE_INTEGRATION = 'Salesforce API Only System Integrations';
export type ProfileName = typeof PROFILE_STANDARD | typeof PROFILE_ADMIN | typeof PROFILE_INTEGRATION;

/** LoginHistory.Status strings seen in real orgs for failed logins (see salesforce.md §2). */
export const FAILURE_STATUSES = [
  'Invalid Password',
  'Password Lockout',
  'User is Inactive',
  'User Is Frozen',
  'Failed: API security token required',
  'Failed: Computer activation required',
] as const;

const iso = (d: Date): string => d.toISOString();

// ---------------------------------------------------------------------------------------------
// Organization, profiles, users

export function addOrganization(org: Org, name: string): string {
  org.insert('Organization', {
    Id: org.orgId,
    Name: name,
    OrganizationType: 'Enterprise Edition',
    IsSandbox: false,
    InstanceName: 'USA694',
  });
  return org.orgId;
}

/** Returns the Profile Id, reusing an existing profile of that name. */
export function addProfile(org: Org, name: string, userType = 'Standard'): string {
  for (const p of org.all('Profile')) {
    if (p.Name === name && typeof p.Id === 'string') return p.Id;
  }
  return org.insert('Profile', { Name: name, UserType: userType }).Id as string;
}

export interface AddUserOptions {
  username: string;
  name?: string;
  email?: string;
  isActive?: boolean;
  isFrozen?: boolean;
  profile?: ProfileName;
  userType?: string;
  createdAt?: Date;
  timeZone?: string;
}

function nameFromUsername(username: string): string {
  const local = username.split('@')[0] ?? username;
  return local
    .split(/[._-]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join(' ');
}

export function addUser(org: Org, options: AddUserOptions): { userId: string; userLoginId: string } {
  const name = options.name ?? nameFromUsername(options.username);
  const space = name.lastIndexOf(' ');
  const createdAt = iso(options.createdAt ?? DEFAULT_USER_CREATED_AT);
  const profileId = addProfile(org, options.profile ?? PROFILE_STANDARD, 'Standard');
  const user = org.insert('User', {
    Username: options.username,
    Name: name,
    FirstName: space > 0 ? name.slice(0, space) : null,
    LastName: space > 0 ? name.slice(space + 1) : name,
    Email: options.email ?? options.username,
    IsActive: options.isActive ?? true,
    UserType: options.userType ?? 'Standard',
    ProfileId: profileId,
    TimeZoneSidKey: options.timeZone ?? 'America/Los_Angeles',
    LastLoginDate: null,
    CreatedDate: createdAt,
    LastModifiedDate: createdAt,
  });
  const userId = user.Id as string;
  const login = org.insert('UserLogin', {
    UserId: userId,
    IsFrozen: options.isFrozen ?? false,
    IsPasswordLocked: false,
    LastModifiedDate: createdAt,
  });
  return { userId, userLoginId: login.Id as string };
}

// ---------------------------------------------------------------------------------------------
// Logins

export interface AddLoginOptions {
  userId: string;
  at: Date;
  status?: string;
  sourceIp: string;
  place?: GeoPlace | null;
  loginType?: string;
  loginSubType?: string | null;
  application?: string;
  browser?: string;
  platform?: string;
  loginUrl?: string;
  apiType?: string | null;
  apiVersion?: string | null;
  tlsProtocol?: string;
}

/** Inserts LoginGeo (when a place is known) and LoginHistory; a success also moves User.LastLoginDate. */
export function addLogin(org: Org, o: AddLoginOptions): string {
  const at = iso(o.at);
  const place = o.place ?? null;
  const geo = place
    ? org.insert('LoginGeo', {
        City: place.city,
        Country: place.country,
        CountryIso: place.countryIso,
        Subdivision: place.subdivision,
        PostalCode: place.postalCode,
        Latitude: place.latitude,
        Longitude: place.longitude,
        LoginTime: at,
      })
    : null;
  const status = o.status ?? 'Success';
  const row = org.insert('LoginHistory', {
    UserId: o.userId,
    LoginTime: at,
    SourceIp: o.sourceIp,
    Status: status,
    LoginType: o.loginType ?? 'Application',
    LoginSubType: o.loginSubType ?? null,
    Application: o.application ?? 'Browser',
    Browser: o.browser ?? 'Chrome 131',
    Platform: o.platform ?? 'Mac OSX',
    ClientVersion: 'N/A',
    LoginUrl: o.loginUrl ?? LOGIN_URL,
    ApiType: o.apiType ?? 'N/A',
    ApiVersion: o.apiVersion ?? 'N/A',
    CountryIso: place?.countryIso ?? null,
    TlsProtocol: o.tlsProtocol ?? 'TLS 1.3',
    LoginGeoId: geo ? (geo.Id as string) : null,
  });
  if (status === 'Success') {
    const user = org.get(o.userId);
    const last = user?.LastLoginDate;
    // ISO strings in UTC with Z compare correctly as text.
    if (user && (typeof last !== 'string' || last < at)) user.LastLoginDate = at;
  }
  return row.Id as string;
}

// ---------------------------------------------------------------------------------------------
// Sessions

export const DEFAULT_CHILDREN = ['Aura', 'Visualforce', 'Content'] as const;

export interface AddSessionFamilyOptions {
  userId: string;
  createdAt: Date;
  /** Defaults to createdAt (a session nobody used after logging in). */
  lastActivityAt?: Date;
  numSecondsValid?: number;
  sourceIp: string;
  place?: GeoPlace | null;
  loginType?: string;
  securityLevel?: string;
  /** Child SessionTypes. 'API' gets LoginType 'Unknown' (the Spring '25 extra session of a UI login). */
  children?: readonly string[];
  login?: Partial<Omit<AddLoginOptions, 'userId' | 'at' | 'sourceIp' | 'place'>>;
  /** Child offsets come from this; defaults to a PRNG seeded from the root id. */
  rng?: Rng;
}

export interface SessionFamilyIds {
  rootId: string;
  childIds: string[];
  loginHistoryId: string;
  loginGeoId: string | null;
}

/** One human UI login: LoginHistory (+ LoginGeo), a UI root whose ParentId is itself, and its children. */
export function addSessionFamily(org: Org, o: AddSessionFamilyOptions): SessionFamilyIds {
  const place = o.place ?? null;
  const loginType = o.loginType ?? 'Application';
  const loginHistoryId = addLogin(org, {
    ...o.login,
    userId: o.userId,
    at: o.createdAt,
    sourceIp: o.sourceIp,
    place,
    loginType,
    status: 'Success',
  });
  const loginGeoId = (org.get(loginHistoryId)?.LoginGeoId as string | null | undefined) ?? null;
  const rootId = org.newId('AuthSession');
  const r = o.rng ?? rng(hashSeed(rootId));
  const createdMs = o.createdAt.getTime();
  const lastMs = Math.max(createdMs, (o.lastActivityAt ?? o.createdAt).getTime());
  const common = {
    UsersId: o.userId,
    NumSecondsValid: o.numSecondsValid ?? 7200,
    LoginType: loginType,
    SessionSecurityLevel: o.securityLevel ?? 'STANDARD',
    SourceIp: o.sourceIp,
    UserType: 'Standard',
    LogoutUrl: null,
    LoginHistoryId: loginHistoryId,
    LoginGeoId: loginGeoId,
    ParentId: rootId,
    IsCurrent: false,
    IsAssociatedWithJwtAccessToken: false,
  } satisfies SfRecord;
  org.insert('AuthSession', {
    ...common,
    Id: rootId,
    CreatedDate: iso(o.createdAt),
    LastModifiedDate: iso(new Date(lastMs)),
    SessionType: 'UI',
  });
  const types = o.children ?? DEFAULT_CHILDREN;
  // Lightning opens its Aura/Visualforce/Content sessions seconds to minutes after the UI login.
  const offsets: number[] = [];
  let offsetMs = 0;
  for (let i = 0; i < types.length; i++) offsets.push((offsetMs += r.between(2, 90) * SECOND_MS));
  // A family used until lastActivityAt had its children by then: squeeze them into that span.
  const span = lastMs - createdMs;
  if (offsetMs > span && span >= types.length) {
    for (let i = 0; i < offsets.length; i++) offsets[i] = Math.max(i + 1, Math.floor(((offsets[i] ?? 0) * span) / offsetMs));
  }
  const childIds: string[] = [];
  for (const [i, type] of types.entries()) {
    const childCreated = createdMs + (offsets[i] ?? 0);
    const child = org.insert('AuthSession', {
      ...common,
      CreatedDate: iso(new Date(childCreated)),
      LastModifiedDate: iso(new Date(Math.max(childCreated, lastMs))),
      SessionType: type,
      LoginType: type === 'API' ? 'Unknown' : loginType,
    });
    childIds.push(child.Id as string);
  }
  return { rootId, childIds, loginHistoryId, loginGeoId };
}

export interface AddIntegrationSessionOptions {
  userId: string;
  createdAt: Date;
  /** Integration sessions are refreshed by every API call; defaults to createdAt. */
  lastActivityAt?: Date;
  numSecondsValid?: number;
  sourceIp: string;
  place?: GeoPlace | null;
  appName?: string;
  loginType?: string;
  loginSubType?: string | null;
  securityLevel?: string;
  isAssociatedWithJwtAccessToken?: boolean;
}

/** An OAuth integration's session: its own root (ParentId = Id), SessionType Oauth2. */
export function addIntegrationSession(org: Org, o: AddIntegrationSessionOptions): { sessionId: string; loginHistoryId: string } {
  const place = o.place ?? null;
  const loginType = o.loginType ?? 'Remote Access 2.0';
  const loginHistoryId = addLogin(org, {
    userId: o.userId,
    at: o.createdAt,
    sourceIp: o.sourceIp,
    place,
    loginType,
    loginSubType: o.loginSubType ?? 'OauthClientCredentials',
    application: o.appName ?? 'Acme Data Sync',
    browser: 'Unknown',
    platform: 'Unknown',
  });
  const sessionId = org.newId('AuthSession');
  const lastMs = Math.max(o.createdAt.getTime(), (o.lastActivityAt ?? o.createdAt).getTime());
  org.insert('AuthSession', {
    Id: sessionId,
    UsersId: o.userId,
    CreatedDate: iso(o.createdAt),
    LastModifiedDate: iso(new Date(lastMs)),
    NumSecondsValid: o.numSecondsValid ?? 7200,
    SessionType: 'Oauth2',
    LoginType: loginType,
    SessionSecurityLevel: o.securityLevel ?? 'STANDARD',
    SourceIp: o.sourceIp,
    UserType: 'Standard',
    LogoutUrl: null,
    LoginHistoryId: loginHistoryId,
    LoginGeoId: (org.get(loginHistoryId)?.LoginGeoId as string | null | undefined) ?? null,
    ParentId: sessionId,
    IsCurrent: false,
    IsAssociatedWithJwtAccessToken: o.isAssociatedWithJwtAccessToken ?? false,
  });
  return { sessionId, loginHistoryId };
}

export interface AddOauthTokenOptions {
  userId: string;
  appName: string;
  createdAt: Date;
  lastUsedAt: Date;
  useCount: number;
  rng?: Rng;
}

/** A connected-app grant. OauthToken has no Id; DeleteToken is what /services/oauth2/revoke takes. */
export function addOauthToken(org: Org, o: AddOauthTokenOptions): { deleteToken: string } {
  const r = o.rng ?? rng(hashSeed(`${o.userId}|${o.appName}|${iso(o.createdAt)}`));
  const deleteToken = `${randomString(r, 40)}.${randomString(r, 47)}`;
  // Salesforce shows only the start of the secret and masks the rest.
  const masked = (prefix: string): string => `${prefix}${randomString(r, 6)}${'*'.repeat(20)}`;
  org.insert('OauthToken', {
    AccessToken: masked('5Aep861'),
    AppName: o.appName,
    AppMenuItemId: null,
    DeleteToken: deleteToken,
    LastUsedDate: iso(o.lastUsedAt),
    CreatedDate: iso(o.createdAt),
    RequestToken: masked('5Aep861'),
    UseCount: o.useCount,
    UserId: o.userId,
  });
  return { deleteToken };
}

// ---------------------------------------------------------------------------------------------
// The bot's own user

/** The JWT `sub` of the bot; the stand-in server creates its Oauth2 session when it issues a token. */
export const BOT_USERNAME = 'warden-bot@acme.com';

export function withBot(org: Org): { org: Org; botUserId: string } {
  for (const u of org.all('User')) {
    if (u.Username === BOT_USERNAME) return { org, botUserId: u.Id as string };
  }
  const { userId } = addUser(org, {
    username: BOT_USERNAME,
    name: 'Session Warden',
    profile: PROFILE_INTEGRATION,
    email: 'security-team@acme.com',
  });
  return { org, botUserId: userId };
}

// ---------------------------------------------------------------------------------------------
// Addresses

/** Public-looking addresses outside the documentation ranges (the GeoIP test-data set). */
const PUBLIC_IPS = ['81.2.69.142', '89.160.20.112', '216.160.83.56', '175.16.199.4', '2.125.160.216', '67.43.156.3'];
const DOC_RANGES = ['203.0.113.', '198.51.100.', '192.0.2.'];

export function randomIp(r: Rng): string {
  const roll = r.next();
  if (roll < 0.9) return `${r.pick(DOC_RANGES)}${r.between(1, 254)}`;
  if (roll < 0.95) return `2001:db8:${r.int(0x10000).toString(16)}::${r.between(1, 0xfff).toString(16)}`;
  return r.pick(PUBLIC_IPS);
}

// ---------------------------------------------------------------------------------------------
// Many sessions for one user

export interface AddUserWithSessionsOptions {
  username: string;
  count: number;
  seed: number;
  now: Date;
  /** Sessions per family (UI root + children); the last family is trimmed so the total is exact. */
  batchSize?: number;
  home?: GeoPlace;
}

const CHILD_POOL = ['Aura', 'Visualforce', 'Content', 'API', 'Aura', 'Visualforce'] as const;

function childTypes(size: number): string[] {
  return CHILD_POOL.slice(0, Math.max(0, size - 1)).map(String);
}

/**
 * A user with exactly `count` AuthSession rows, all alive at `now`, most from home and some from
 * elsewhere (so the distant-places rule has real work at 450 / 5,000 sessions).
 */
export function addUserWithSessions(org: Org, o: AddUserWithSessionsOptions): { userId: string; sessionIds: string[] } {
  if (!Number.isInteger(o.count) || o.count < 0) throw new Error(`count must be a whole number, got ${o.count}`);
  const size = Math.min(CHILD_POOL.length + 1, Math.max(1, o.batchSize ?? 4));
  const r = rng(o.seed);
  const home = o.home ?? PLACES[0]!;
  const homeIp = `203.0.113.${r.between(1, 254)}`;
  const { userId } = addUser(org, { username: o.username });
  const nowMs = o.now.getTime();
  const sessionIds: string[] = [];
  while (sessionIds.length < o.count) {
    const n = Math.min(size, o.count - sessionIds.length);
    const away = r.chance(0.3);
    const createdAt = new Date(nowMs - r.between(5, 600) * MINUTE_MS);
    // At least a few minutes of use, so the children fit between login and last activity.
    const lastActivityAt = new Date(Math.max(createdAt.getTime() + 3 * MINUTE_MS, nowMs - r.between(0, 60) * MINUTE_MS));
    const ids = addSessionFamily(org, {
      userId,
      createdAt,
      lastActivityAt,
      sourceIp: away ? randomIp(r) : homeIp,
      place: away ? r.pick(PLACES) : home,
      children: childTypes(n),
      rng: r,
    });
    sessionIds.push(ids.rootId, ...ids.childIds);
  }
  return { userId, sessionIds };
}

// ---------------------------------------------------------------------------------------------
// Whole orgs for benchmarks

export interface GenerateOrgOptions {
  seed: number;
  now: Date;
  users: number;
  /** Exact number of AuthSession rows. */
  sessions: number;
  /** Exact number of LoginHistory rows; must cover one login per session family. */
  loginRows: number;
}

export interface GenerateOrgStats {
  users: number;
  sessions: number;
  families: number;
  integrationSessions: number;
  loginRows: number;
  failedLogins: number;
  loginGeoRows: number;
  oauthTokens: number;
  botUserId: string;
}

export const FIRST_NAMES = [
  'Ada',
  'Ben',
  'Chloe',
  'Diego',
  'Emma',
  'Farid',
  'Grace',
  'Hiro',
  'Ines',
  'Jamal',
  'Kaia',
  'Liam',
  'Mei',
  'Noah',
  'Olga',
  'Priya',
  'Quinn',
  'Rosa',
  'Sven',
  'Tara',
  'Umar',
  'Vera',
  'Wen',
  'Yara',
  'Zoe',
];
export const LAST_NAMES = [
  'Abbott',
  'Brooks',
  'Chen',
  'Dubois',
  'Eze',
  'Fischer',
  'Garcia',
  'Haddad',
  'Ito',
  'Jensen',
  'Kowalski',
  'Lopez',
  'Müller',
  'Nair',
  'Okafor',
  'Petrov',
  'Rossi',
  'Silva',
  'Tanaka',
  'Walsh',
];
const BROWSERS = ['Chrome 131', 'Chrome 130', 'Firefox 133', 'Safari 18', 'Edge 131', 'Chrome Mobile 131', 'Salesforce Mobile App'];
const PLATFORMS = ['Mac OSX', 'Windows 10', 'Windows 11', 'Linux', 'iPhone', 'Android 14'];
const INTEGRATION_APPS = ['Acme Data Sync', 'Data Loader', 'Salesforce CLI', 'MuleSoft Composer', 'Workbench'];
const OAUTH_SUBTYPES = ['OauthClientCredentials', 'OauthRefreshToken', 'OauthWebServer'];
const TIMEOUTS = [7200, 7200, 7200, 3600, 1800, 28800];

interface GenUser {
  id: string;
  active: boolean;
  home: GeoPlace;
  ip: string;
  integration: boolean;
  browser: string;
  platform: string;
}

/**
 * A realistic org of `users` users, exactly `sessions` AuthSession rows and exactly `loginRows`
 * LoginHistory rows, for benchmarks. Sessions are skewed towards a few busy users, like real orgs.
 */
export function generateOrg(options: GenerateOrgOptions & { org?: Org }): { org: Org; userIds: string[]; stats: GenerateOrgStats } {
  const { seed, now, users, sessions, loginRows } = options;
  if (users < 1) throw new Error('generateOrg needs at least one user');
  const org = options.org ?? new Org();
  const r = rng(seed);
  const nowMs = now.getTime();
  addOrganization(org, 'Acme Corporation');
  const { botUserId } = withBot(org);

  const genUsers: GenUser[] = [];
  const width = String(users).length;
  for (let i = 0; i < users; i++) {
    const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]!;
    const integration = r.chance(0.05);
    const active = i === 0 || r.chance(0.98);
    const suffix = String(i + 1).padStart(width, '0');
    const username = integration ? `integration${suffix}@acme.com` : `${first}.${last}${suffix}@acme.com`.toLowerCase();
    const { userId } = addUser(org, {
      username,
      name: integration ? `Integration ${suffix}` : `${first} ${last}`,
      profile: integration ? PROFILE_INTEGRATION : r.chance(0.05) ? PROFILE_ADMIN : PROFILE_STANDARD,
      isActive: active,
      isFrozen: r.chance(0.01),
      createdAt: new Date(DEFAULT_USER_CREATED_AT.getTime() - r.int(900) * DAY_MS),
    });
    genUsers.push({
      id: userId,
      active,
      // Most of the workforce sits in a handful of offices.
      home: r.chance(0.7) ? PLACES[r.int(8)]! : r.pick(PLACES),
      ip: randomIp(r),
      integration,
      browser: r.pick(BROWSERS),
      platform: r.pick(PLATFORMS),
    });
  }
  // Deactivated users keep their login history but hold no live sessions.
  const activeUsers = genUsers.filter((u) => u.active);
  const skewed = (list: readonly GenUser[]): GenUser => list[Math.floor(list.length * r.next() ** 2)]!;

  let sessionRows = 0;
  let families = 0;
  let integrationSessions = 0;
  let oauthTokens = 0;
  while (sessionRows < sessions) {
    const user = skewed(activeUsers);
    const remaining = sessions - sessionRows;
    const travelling = r.chance(0.08);
    const place = travelling ? r.pick(PLACES) : user.home;
    const sourceIp = travelling ? randomIp(r) : user.ip;
    const ageRoll = r.next();
    const createdAt = new Date(
      nowMs - (ageRoll < 0.85 ? r.between(5, 8 * 60) * MINUTE_MS : ageRoll < 0.96 ? r.between(8 * 60, 7 * 24 * 60) * MINUTE_MS : r.between(7, 60) * DAY_MS),
    );
    const numSecondsValid = r.pick(TIMEOUTS);
    // Alive sessions: last activity within their validity window.
    const lastActivityAt = new Date(Math.max(createdAt.getTime() + 3 * MINUTE_MS, nowMs - r.int(Math.floor(numSecondsValid * 0.9)) * SECOND_MS));
    if (user.integration || r.chance(0.04)) {
      const appName = r.pick(INTEGRATION_APPS);
      addIntegrationSession(org, {
        userId: user.id,
        createdAt,
        lastActivityAt,
        numSecondsValid,
        sourceIp,
        place: r.chance(0.9) ? place : null,
        appName,
        loginSubType: r.pick(OAUTH_SUBTYPES),
      });
      if (r.chance(0.2)) {
        addOauthToken(org, {
          userId: user.id,
          appName,
          createdAt: new Date(createdAt.getTime() - r.int(400) * DAY_MS),
          lastUsedAt: lastActivityAt,
          useCount: r.between(1, 50_000),
          rng: r,
        });
        oauthTokens++;
      }
      sessionRows++;
      integrationSessions++;
    } else {
      const children: string[] = ['Aura', 'Visualforce'];
      if (r.chance(0.5)) children.push('Content');
      if (r.chance(0.5)) children.push('API');
      const ids = addSessionFamily(org, {
        userId: user.id,
        createdAt,
        lastActivityAt,
        numSecondsValid,
        sourceIp,
        place: r.chance(0.95) ? place : null,
        securityLevel: r.chance(0.05) ? 'HIGH_ASSURANCE' : 'STANDARD',
        children: children.slice(0, remaining - 1),
        login: { browser: user.browser, platform: user.platform },
        rng: r,
      });
      sessionRows += 1 + ids.childIds.length;
    }
    families++;
  }
  if (loginRows < families) {
    throw new Error(`loginRows (${loginRows}) must be at least the number of session logins (${families})`);
  }

  // The rest of the last six months of login history, ~3% of it failed.
  let failedLogins = 0;
  const historyMs = 180 * DAY_MS;
  for (let i = families; i < loginRows; i++) {
    const user = skewed(genUsers);
    const failed = r.chance(0.03);
    const travelling = r.chance(0.05);
    const place = travelling ? r.pick(PLACES) : user.home;
    addLogin(org, {
      userId: user.id,
      at: new Date(nowMs - r.int(historyMs / SECOND_MS) * SECOND_MS),
      status: failed ? r.pick(FAILURE_STATUSES) : 'Success',
      sourceIp: travelling ? randomIp(r) : user.ip,
      place: r.chance(0.9) ? place : null,
      loginType: user.integration ? 'Remote Access 2.0' : 'Application',
      loginSubType: user.integration ? r.pick(OAUTH_SUBTYPES) : null,
      application: user.integration ? r.pick(INTEGRATION_APPS) : 'Browser',
      browser: user.integration ? 'Unknown' : user.browser,
      platform: user.integration ? 'Unknown' : user.platform,
    });
    if (failed) failedLogins++;
  }

  return {
    org,
    userIds: genUsers.map((u) => u.id),
    stats: {
      users,
      sessions: sessionRows,
      families,
      integrationSessions,
      loginRows: org.count('LoginHistory'),
      failedLogins,
      loginGeoRows: org.count('LoginGeo'),
      oauthTokens,
      botUserId,
    },
  };
}
