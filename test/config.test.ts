import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../src/config';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const base = {
  SLACK_BOT_TOKEN: 'xoxb-1-test',
  SLACK_SIGNING_SECRET: 'secret',
  SF_CLIENT_ID: 'client',
  SF_USERNAME: 'bot@acme.com',
  SF_PRIVATE_KEY_FILE: '/keys/warden.key',
  SECURITY_CHANNEL: 'C0SECURITY',
  ADMINS: 'U0ADMIN1,S0ADMINS',
  APPROVERS: 'U0APPROVER',
};
const files = (path: string): string => {
  if (path === '/keys/warden.key') return pem;
  throw new Error('ENOENT');
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env, files);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('loadConfig', () => {
  it('reads a complete HTTP-mode JWT configuration with explicit defaults', () => {
    const c = loadConfig(base, files);
    expect(c.slack).toEqual({ botToken: 'xoxb-1-test', signingSecret: 'secret', appToken: null, apiUrl: 'https://slack.com/api/', port: 3000 });
    expect(c.salesforce.loginUrl).toBe('https://login.salesforce.com');
    expect(c.salesforce.apiVersion).toBe('62.0');
    expect(c.salesforce.auth).toMatchObject({ kind: 'jwt', clientId: 'client', username: 'bot@acme.com' });
    expect(c.admins).toEqual(['U0ADMIN1', 'S0ADMINS']);
    expect(c.databaseUrl).toBe('sqlite:./data/warden.db');
    expect(c.monitorIntervalSeconds).toBe(60);
    expect(c.policy.sessionTimeoutMinutes).toBe(120);
    expect(c.policy.tokenMaxAgeDays).toBe(30);
    expect(c.requestTtlMinutes).toBe(60);
  });

  it('switches to Socket Mode when SLACK_APP_TOKEN is set, without needing a signing secret', () => {
    const { SLACK_SIGNING_SECRET: _unused, ...rest } = base;
    const c = loadConfig({ ...rest, SLACK_APP_TOKEN: 'xapp-1-test' }, files);
    expect(c.slack.appToken).toBe('xapp-1-test');
    expect(c.slack.signingSecret).toBeNull();
  });

  it('lists every problem at once, and no secret value', () => {
    const problems = problemsOf({
      SLACK_BOT_TOKEN: 'xoxp-user-token-secretvalue',
      PORT: 'eighty',
      SECURITY_CHANNEL: '#security',
      ADMINS: 'alice',
      SF_API_VERSION: '30.0',
      MONITOR_INTERVAL_SECONDS: '-5',
      DATABASE_URL: 'mysql://x',
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        'SLACK_BOT_TOKEN must be a bot token (xoxb-…)',
        expect.stringContaining('SLACK_SIGNING_SECRET is missing'),
        'PORT must be a whole number from 0 to 65535 (got "eighty")',
        expect.stringContaining('SECURITY_CHANNEL must be a channel id'),
        expect.stringContaining('ADMINS must list Slack user ids'),
        expect.stringContaining('SF_API_VERSION'),
        expect.stringContaining('MONITOR_INTERVAL_SECONDS'),
        'DATABASE_URL must be sqlite:<path> or postgres://…',
        expect.stringContaining('Salesforce credentials are missing'),
      ]),
    );
    expect(problems.join('\n')).not.toContain('secretvalue');
  });

  it('checks the private key and the flow prerequisites', () => {
    expect(problemsOf({ ...base, SF_PRIVATE_KEY_FILE: '/nope' })).toEqual(['SF_PRIVATE_KEY_FILE cannot be read: /nope']);
    const { SF_PRIVATE_KEY_FILE: _f, ...noKey } = base;
    expect(problemsOf({ ...noKey, SF_PRIVATE_KEY: 'not a key' })).toEqual(['SF_PRIVATE_KEY is not a PEM private key']);
    expect(loadConfig({ ...noKey, SF_PRIVATE_KEY: pem.replace(/\n/g, '\\n') }, files).salesforce.auth.kind).toBe('jwt');
    const cc = { ...noKey, SF_CLIENT_SECRET: 's3cret' };
    expect(problemsOf(cc)).toEqual([expect.stringContaining('client-credentials flow needs SF_LOGIN_URL')]);
    expect(loadConfig({ ...cc, SF_LOGIN_URL: 'https://acme.my.salesforce.com' }, files).salesforce.auth.kind).toBe('client_credentials');
    expect(problemsOf({ ...base, SF_INSTANCE_URL: 'https://acme.my.salesforce.com' })).toEqual([expect.stringContaining('go together')]);
  });

  it('takes an explicit JWT audience (an Experience Cloud site) and refuses one that is not an https URL', () => {
    const auth = loadConfig({ ...base, SF_JWT_AUDIENCE: 'https://acme.my.site.com/customers/' }, files).salesforce.auth;
    expect(auth).toMatchObject({ kind: 'jwt', audience: 'https://acme.my.site.com/customers' });
    expect(loadConfig(base, files).salesforce.auth).not.toHaveProperty('audience');
    expect(problemsOf({ ...base, SF_JWT_AUDIENCE: 'login.salesforce.com' })).toEqual([expect.stringContaining('SF_JWT_AUDIENCE must be an https URL')]);
  });

  it('refuses a configuration where nobody could use the bot', () => {
    expect(problemsOf({ ...base, ADMINS: '', APPROVERS: '' })).toEqual([expect.stringContaining('ADMINS and APPROVERS are both empty')]);
  });

  it('gives the monitor its defaults: full scan every 15 min, budget floor 20 %, no trusted network', () => {
    const c = loadConfig(base, files);
    expect(c.fullScanMinutes).toBe(15);
    expect(c.apiBudgetFloorPercent).toBe(20);
    expect(c.trustedNetworks).toEqual([]);
  });

  it('reads the monitor settings and trusted IPv4 and IPv6 ranges', () => {
    const c = loadConfig(
      {
        ...base,
        MONITOR_INTERVAL_SECONDS: '0',
        FULL_SCAN_MINUTES: '1440',
        API_BUDGET_FLOOR_PERCENT: '1',
        TRUSTED_NETWORKS: ' 203.0.113.0/24, 2001:db8::/32 ,,198.51.100.7/32',
      },
      files,
    );
    expect(c.monitorIntervalSeconds).toBe(0);
    expect(c.fullScanMinutes).toBe(1440);
    expect(c.apiBudgetFloorPercent).toBe(1);
    expect(c.trustedNetworks).toEqual(['203.0.113.0/24', '2001:db8::/32', '198.51.100.7/32']);
  });

  it('lists every bad monitor setting at once, naming each invalid network', () => {
    const problems = problemsOf({
      ...base,
      FULL_SCAN_MINUTES: '0',
      API_BUDGET_FLOOR_PERCENT: '91',
      TRUSTED_NETWORKS: '203.0.113.0/24, 10.0.0.1, vpn.acme.com, 2001:db8::/129',
    });
    expect([...problems].sort()).toEqual([
      'API_BUDGET_FLOOR_PERCENT must be a whole number from 1 to 90 (got "91")',
      'FULL_SCAN_MINUTES must be a whole number from 1 to 1440 (got "0")',
      'TRUSTED_NETWORKS must list CIDR ranges such as 203.0.113.0/24 or 2001:db8::/32 (one address: 203.0.113.9/32); not: 10.0.0.1, vpn.acme.com, 2001:db8::/129',
    ]);
    expect(problemsOf({ ...base, FULL_SCAN_MINUTES: '1441', API_BUDGET_FLOOR_PERCENT: '0' })).toEqual([
      'FULL_SCAN_MINUTES must be a whole number from 1 to 1440 (got "1441")',
      'API_BUDGET_FLOOR_PERCENT must be a whole number from 1 to 90 (got "0")',
    ]);
  });
});
