import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { invalidNetworks } from './domain/networks';
import { DEFAULT_POLICY, type Policy } from './domain/types';

export type SalesforceAuth =
  | {
      kind: 'jwt';
      clientId: string;
      username: string;
      privateKeyPem: string;
      /** SF_JWT_AUDIENCE: the assertion's `aud` when it is an Experience Cloud site URL; otherwise derived from the login URL. */
      audience?: string;
    }
  | { kind: 'client_credentials'; clientId: string; clientSecret: string }
  | { kind: 'static'; instanceUrl: string; accessToken: string };

export interface Config {
  slack: {
    botToken: string;
    /** Set in HTTP mode; Socket Mode authenticates with the app-level token instead. */
    signingSecret: string | null;
    /** Set and non-empty → Socket Mode. */
    appToken: string | null;
    apiUrl: string;
    port: number;
  };
  salesforce: {
    loginUrl: string;
    /** SF_API_VERSION, or the default used until the org's own list is read at login. */
    apiVersion: string;
    /** SF_API_VERSION set: use it as is; otherwise the newest version the org offers up to the newest tested. */
    apiVersionPinned?: boolean;
    auth: SalesforceAuth;
  };
  securityChannel: string;
  /** Slack user ids (U…/W…) and user-group ids (S…). */
  admins: string[];
  approvers: string[];
  databaseUrl: string;
  /** AUDIT_HMAC_KEY: set → audit entries carry HMACs a database writer without it cannot forge. Secret. */
  auditHmacKey: string | null;
  /** 0 = the alert monitor is off. */
  monitorIntervalSeconds: number;
  /** Minutes between full reconciliations of the monitor's session mirror with Salesforce. */
  fullScanMinutes: number;
  /** ALERT_DIGEST_THRESHOLD: more new findings than this in one poll become one digest message. */
  alertDigestThreshold: number;
  /** Remaining daily API allowance (%) below which the monitor polls less often; below half of it, it pauses. */
  apiBudgetFloorPercent: number;
  /** ASK_USER_RULES: rule ids whose new alerts DM the affected colleague at once ("was this you?"). */
  askUserRules: string[];
  /** ASK_USER_TIMEOUT_MINUTES: an ask left unanswered this long escalates its alert. */
  askUserTimeoutMinutes: number;
  /** TRUSTED_NETWORKS: CIDR ranges (IPv4 and IPv6) as written; domain/networks.ts turns them into a predicate. */
  trustedNetworks: string[];
  logLevel: string;
  policy: Policy;
  requestTtlMinutes: number;
  loginHistoryDays: number;
  loginHistoryLimit: number;
}

/** Thrown with every problem at once, so an operator fixes the environment in one pass. */
export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Session Warden cannot start; fix the configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';
export const DEFAULT_SF_LOGIN_URL = 'https://login.salesforce.com';
export const DEFAULT_SF_API_VERSION = '62.0';
export const DEFAULT_DATABASE_URL = 'sqlite:./data/warden.db';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const SLACK_USER_OR_GROUP = /^[UWS][A-Z0-9]{2,}$/;
const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): Config {
  const problems: string[] = [];
  const get = (key: string): string | undefined => {
    const v = env[key]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const required = (key: string, why = ''): string => {
    const v = get(key);
    if (v === undefined) problems.push(`${key} is missing${why}`);
    return v ?? '';
  };
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const raw = get(key);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${key} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  };
  const url = (key: string, fallback: string): string => {
    const raw = get(key) ?? fallback;
    try {
      const u = new URL(raw);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('protocol');
      return raw;
    } catch {
      problems.push(`${key} must be an http(s) URL (got "${raw}")`);
      return fallback;
    }
  };
  const idList = (key: string): string[] => {
    const items = (get(key) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = items.filter((i) => !SLACK_USER_OR_GROUP.test(i));
    if (bad.length) problems.push(`${key} must list Slack user ids (U…/W…) or user-group ids (S…); not: ${bad.join(', ')}`);
    return items.filter((i) => SLACK_USER_OR_GROUP.test(i));
  };
  // Rule ids are checked by shape only: config must not import the rules (the registry checks names at wiring).
  const ruleList = (key: string, fallback: string): string[] => {
    const raw = env[key] === undefined ? fallback : (env[key] ?? '');
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = items.filter((i) => !/^[a-z][a-z0-9-]*$/.test(i));
    if (bad.length) problems.push(`${key} must list rule ids such as distant-places,new-country (empty: never ask); not: ${bad.join(', ')}`);
    return items.filter((i) => !bad.includes(i));
  };
  const cidrList = (key: string): string[] => {
    const items = (get(key) ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    const bad = invalidNetworks(items);
    if (bad.length) {
      problems.push(`${key} must list CIDR ranges such as 203.0.113.0/24 or 2001:db8::/32 (one address: 203.0.113.9/32); not: ${bad.join(', ')}`);
    }
    return items.filter((i) => !bad.includes(i));
  };

  // Slack
  const botToken = required('SLACK_BOT_TOKEN');
  if (botToken && !botToken.startsWith('xoxb-')) problems.push('SLACK_BOT_TOKEN must be a bot token (xoxb-…)');
  const appToken = get('SLACK_APP_TOKEN') ?? null;
  if (appToken && !appToken.startsWith('xapp-')) problems.push('SLACK_APP_TOKEN must be an app-level token (xapp-…)');
  const signingSecret = appToken
    ? (get('SLACK_SIGNING_SECRET') ?? null)
    : required('SLACK_SIGNING_SECRET', ' (needed in HTTP mode, i.e. when SLACK_APP_TOKEN is not set)');
  let apiUrl = url('SLACK_API_URL', DEFAULT_SLACK_API_URL);
  if (!apiUrl.endsWith('/')) apiUrl += '/';
  const port = integer('PORT', 3000, 0, 65535);

  // Salesforce
  const loginUrl = url('SF_LOGIN_URL', DEFAULT_SF_LOGIN_URL).replace(/\/+$/, '');
  const apiVersion = get('SF_API_VERSION') ?? DEFAULT_SF_API_VERSION;
  if (!/^\d{2,3}\.0$/.test(apiVersion) || Number(apiVersion) < 37) {
    problems.push(`SF_API_VERSION must look like 62.0 and be 37.0 or newer (AuthSession.IsCurrent); got "${apiVersion}"`);
  }
  const auth = salesforceAuth(get, readFile, loginUrl, problems);

  // Who may do what
  const admins = idList('ADMINS');
  const approvers = idList('APPROVERS');
  if (admins.length === 0 && approvers.length === 0 && !problems.some((p) => p.startsWith('ADMINS') || p.startsWith('APPROVERS'))) {
    problems.push('ADMINS and APPROVERS are both empty: nobody could use the bot; list at least one Slack user or user group');
  }
  const securityChannel = required('SECURITY_CHANNEL', ' (the channel id where requests and alerts are posted, e.g. C0123ABCD)');
  if (securityChannel && !SLACK_CHANNEL.test(securityChannel)) {
    problems.push(`SECURITY_CHANNEL must be a channel id such as C0123ABCD, not a name (got "${securityChannel}")`);
  }

  const databaseUrl = get('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  if (!/^(sqlite:|postgres:\/\/|postgresql:\/\/)/.test(databaseUrl)) {
    problems.push('DATABASE_URL must be sqlite:<path> or postgres://…');
  }
  const auditHmacKey = get('AUDIT_HMAC_KEY') ?? null;
  // 32 = AUDIT_HMAC_KEY_MIN_LENGTH in store/audit-anchor.ts; the message never repeats the key.
  if (auditHmacKey !== null && auditHmacKey.length < 32) {
    problems.push(`AUDIT_HMAC_KEY must be at least 32 characters (got ${auditHmacKey.length}); make one with: openssl rand -hex 32`);
  }
  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const policy: Policy = {
    ...DEFAULT_POLICY,
    sessionTimeoutMinutes: integer('SESSION_TIMEOUT_MINUTES', DEFAULT_POLICY.sessionTimeoutMinutes, 1, 1440 * 7),
    tokenMaxAgeDays: integer('TOKEN_MAX_AGE_DAYS', DEFAULT_POLICY.tokenMaxAgeDays, 1, 3650),
    maxTravelSpeedKmh: integer('MAX_TRAVEL_SPEED_KMH', DEFAULT_POLICY.maxTravelSpeedKmh, 100, 100000),
    workdayHours: integer('SESSION_WORKDAY_HOURS', DEFAULT_POLICY.workdayHours, 1, 24 * 7),
    keptAliveDays: integer('SESSION_KEPT_ALIVE_DAYS', DEFAULT_POLICY.keptAliveDays, 1, 3650),
    failedLoginThreshold: integer('FAILED_LOGIN_THRESHOLD', DEFAULT_POLICY.failedLoginThreshold, 1, 100),
    sprayMinUsers: integer('SPRAY_MIN_USERS', DEFAULT_POLICY.sprayMinUsers, 2, 10000),
    lockoutAttempts: integer('LOCKOUT_ATTEMPTS', DEFAULT_POLICY.lockoutAttempts, 3, 100),
  };

  const config: Config = {
    slack: { botToken, signingSecret, appToken, apiUrl, port },
    salesforce: {
      loginUrl,
      apiVersion,
      apiVersionPinned: get('SF_API_VERSION') !== undefined,
      auth: auth ?? { kind: 'static', instanceUrl: '', accessToken: '' },
    },
    securityChannel,
    admins,
    approvers,
    databaseUrl,
    auditHmacKey,
    monitorIntervalSeconds: integer('MONITOR_INTERVAL_SECONDS', 60, 0, 86400),
    fullScanMinutes: integer('FULL_SCAN_MINUTES', 15, 1, 1440),
    apiBudgetFloorPercent: integer('API_BUDGET_FLOOR_PERCENT', 20, 1, 90),
    alertDigestThreshold: integer('ALERT_DIGEST_THRESHOLD', 10, 1, 10_000),
    askUserRules: ruleList('ASK_USER_RULES', 'distant-places,new-country'),
    askUserTimeoutMinutes: integer('ASK_USER_TIMEOUT_MINUTES', 30, 1, 7 * 24 * 60),
    trustedNetworks: cidrList('TRUSTED_NETWORKS'),
    logLevel,
    policy,
    requestTtlMinutes: integer('REQUEST_TTL_MINUTES', 60, 1, 7 * 24 * 60),
    loginHistoryDays: integer('LOGIN_HISTORY_DAYS', 30, 1, 180),
    loginHistoryLimit: integer('LOGIN_HISTORY_LIMIT', 20, 1, 40),
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}

function salesforceAuth(
  get: (k: string) => string | undefined,
  readFile: (path: string) => string,
  loginUrl: string,
  problems: string[],
): SalesforceAuth | null {
  const instanceUrl = get('SF_INSTANCE_URL');
  const accessToken = get('SF_ACCESS_TOKEN');
  if (instanceUrl || accessToken) {
    if (!instanceUrl || !accessToken) {
      problems.push('SF_INSTANCE_URL and SF_ACCESS_TOKEN go together (static-token mode); set both or neither');
      return null;
    }
    return { kind: 'static', instanceUrl: instanceUrl.replace(/\/+$/, ''), accessToken };
  }
  const clientId = get('SF_CLIENT_ID');
  const keyFile = get('SF_PRIVATE_KEY_FILE');
  const keyInline = get('SF_PRIVATE_KEY');
  const clientSecret = get('SF_CLIENT_SECRET');
  if (!clientId) {
    problems.push(
      'Salesforce credentials are missing: set SF_CLIENT_ID with SF_USERNAME and SF_PRIVATE_KEY_FILE (JWT bearer), ' +
        'or SF_CLIENT_ID with SF_CLIENT_SECRET (client credentials), or SF_INSTANCE_URL with SF_ACCESS_TOKEN',
    );
    return null;
  }
  if (keyFile || keyInline) {
    const username = get('SF_USERNAME');
    if (!username) problems.push('SF_USERNAME is missing (the JWT bearer flow logs in as this Salesforce user)');
    let pem = '';
    if (keyFile) {
      try {
        pem = readFile(keyFile);
      } catch {
        problems.push(`SF_PRIVATE_KEY_FILE cannot be read: ${keyFile}`);
        return null;
      }
    } else {
      // Environment variables often carry PEM newlines as the two characters "\n".
      pem = (keyInline ?? '').replace(/\\n/g, '\n');
    }
    try {
      createPrivateKey(pem);
    } catch {
      problems.push(`${keyFile ? 'SF_PRIVATE_KEY_FILE' : 'SF_PRIVATE_KEY'} is not a PEM private key`);
      return null;
    }
    const audience = get('SF_JWT_AUDIENCE');
    if (audience !== undefined && !/^https:\/\/[^\s/]+/.test(audience)) {
      problems.push(`SF_JWT_AUDIENCE must be an https URL such as https://acme.my.site.com/customers (got "${audience}")`);
    }
    return { kind: 'jwt', clientId, username: username ?? '', privateKeyPem: pem, ...(audience ? { audience: audience.replace(/\/+$/, '') } : {}) };
  }
  if (clientSecret) {
    const host = new URL(loginUrl).host;
    if (host === 'login.salesforce.com' || host === 'test.salesforce.com') {
      problems.push('the client-credentials flow needs SF_LOGIN_URL set to your My Domain URL (https://<domain>.my.salesforce.com)');
    }
    return { kind: 'client_credentials', clientId, clientSecret };
  }
  problems.push('SF_CLIENT_ID is set but neither SF_PRIVATE_KEY_FILE / SF_PRIVATE_KEY (JWT) nor SF_CLIENT_SECRET (client credentials) is');
  return null;
}
