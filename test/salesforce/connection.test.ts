/**
 * The Salesforce client keeps itself logged in: real jsforce against the Salesforce stand-in on
 * loopback, nothing mocked. Figures (token requests, time to recover) are printed by the tests
 * that measure them.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/logger';
import type { BackoffPolicy } from '../../src/salesforce/backoff';
import { createSalesforceClient, RefreshBreaker, type SalesforceClient, type SalesforceSettings } from '../../src/salesforce/connection';
import { describeSalesforceError, SalesforceError, SalesforceLoginError } from '../../src/salesforce/errors';
import { SalesforceRest } from '../../src/salesforce/rest';
import { UserActivityReader } from '../../src/salesforce/user-activity';
import { testKeyPair } from '../standins/salesforce/keys';
import type { JwtConfig } from '../standins/salesforce/oauth';
import { BOT_USERNAME, quietUser } from '../standins/salesforce/scenarios';
import { startSalesforce, type SalesforceStandIn } from '../standins/salesforce/server';

const API_VERSION = '62.0';
const CLIENT_ID = '3MVG9-session-warden-test';
/** Backoff short enough for a test to watch several retries. */
const FAST: BackoffPolicy = { initialMs: 40, maxMs: 320, factor: 2, jitter: 0 };
/** Backoff so long that no background retry happens during a test: only calls can trigger a login. */
const NEVER_BY_ITSELF: BackoffPolicy = { initialMs: 600_000, maxMs: 600_000, factor: 2, jitter: 0 };

interface Bot {
  sf: SalesforceStandIn;
  jwt: JwtConfig;
  client: SalesforceClient;
  rest: SalesforceRest;
  activity: UserActivityReader;
  logs: string[];
  aliceUsername: string;
  tokenRequests(): number;
  close(): Promise<void>;
}

const open: Bot[] = [];
afterEach(async () => {
  for (const bot of open.splice(0)) await bot.close();
});

/** Another key pair than the one the bot signs with: a connected app without the bot's certificate. */
function foreignPublicKey(): string {
  const pair = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return pair.publicKey;
}

async function startBot(
  options: {
    certificateUploaded?: boolean;
    backoff?: BackoffPolicy;
    now?: () => Date;
    loginUrl?: string;
    auth?: SalesforceSettings['auth'];
  } = {},
): Promise<Bot> {
  const keys = testKeyPair();
  const scenario = quietUser({ now: new Date() });
  const jwt: JwtConfig = { clientId: CLIENT_ID, publicKeyPem: options.certificateUploaded === false ? foreignPublicKey() : keys.publicKeyPem };
  const sf = await startSalesforce({ org: scenario.org, jwt });
  const logs: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString('utf8'));
        cb();
      },
    }),
  );
  const settings: SalesforceSettings = {
    loginUrl: options.loginUrl ?? sf.url,
    apiVersion: API_VERSION,
    auth: options.auth ?? { kind: 'jwt', clientId: CLIENT_ID, username: BOT_USERNAME, privateKeyPem: keys.privateKeyPem },
  };
  const client = createSalesforceClient(settings, logger, {
    breaker: new RefreshBreaker(),
    backoff: options.backoff ?? FAST,
    ...(options.now ? { now: options.now } : {}),
  });
  const rest = new SalesforceRest(client.conn, { apiVersion: API_VERSION, batchSize: 2000, timeoutMs: 10_000 });
  const alice = scenario.org.get(scenario.userId);
  const bot: Bot = {
    sf,
    jwt,
    client,
    rest,
    activity: new UserActivityReader(rest),
    logs,
    aliceUsername: String(alice?.Username),
    tokenRequests: () => sf.requests.filter((r) => r.path === '/services/oauth2/token').length,
    close: async () => {
      client.stop();
      await sf.close();
    },
  };
  open.push(bot);
  return bot;
}

/** What `/sessions alice@acme.com` reads: one Composite call. */
function readAlice(bot: Bot): Promise<unknown> {
  return bot.activity.read({ byEmailOrUsername: bot.aliceUsername }, { now: new Date(), loginWindowHours: 24, loginLimit: 50 });
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return Date.now() - started;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

function expectNoSecrets(bot: Bot): void {
  const all = bot.logs.join('\n');
  expect(all).not.toContain(testKeyPair().privateKeyPem.split('\n')[1]);
  expect(all).not.toMatch(/assertion=|eyJhbGciOiJSUzI1NiJ9\./);
  // Access tokens look like <orgId15>!<random>.
  expect(all).not.toMatch(/00D[0-9A-Za-z]{12}![\w-]{20,}/);
}

const INVALID_GRANT_SENTENCE =
  "Salesforce refused the bot's login (invalid_grant: invalid assertion): the connected app does not accept the certificate or the user — see README, Connect Salesforce.";
const UNAVAILABLE_SENTENCE = "Salesforce's login service is unavailable (HTTP 503); the bot retries by itself.";

describe('the JWT audience', () => {
  /** The `aud` claim of each assertion the bot sent (the stand-in records the form body). */
  const audiences = (bot: Bot): unknown[] =>
    bot.sf
      .tokenRequests()
      .map((r) => new URLSearchParams(r.body).get('assertion')?.split('.')[1] ?? '')
      .map((claims) => (JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { aud?: unknown }).aud);

  it('a My Domain login URL (the stand-in plays one) logs in with login.salesforce.com as audience', async () => {
    const bot = await startBot();
    await bot.client.connect();
    expect(bot.client.state().state).toBe('up');
    expect(audiences(bot)).toEqual(['https://login.salesforce.com']);
  });

  it('SF_JWT_AUDIENCE (an Experience Cloud site) is sent as given; Salesforce refuses one the connected app does not know', async () => {
    const keys = testKeyPair();
    const bot = await startBot({
      backoff: NEVER_BY_ITSELF,
      auth: { kind: 'jwt', clientId: CLIENT_ID, username: BOT_USERNAME, privateKeyPem: keys.privateKeyPem, audience: 'https://acme.my.site.com/customers' },
    });
    const refused = await rejection(bot.client.connect());
    expect((refused as SalesforceLoginError).failure).toMatchObject({ kind: 'refused', oauthCode: 'invalid_grant', description: 'audience is invalid' });
    expect(audiences(bot)).toEqual(['https://acme.my.site.com/customers']);
  });
});

describe('a failed login at start is not final', () => {
  it('invalid_grant (certificate not on the connected app): calls fail fast with the sentence, never a TypeError, and work once the certificate is there', async () => {
    let clock = new Date();
    const bot = await startBot({ certificateUploaded: false, backoff: NEVER_BY_ITSELF, now: () => clock });
    const seen: Array<string | null> = [];
    bot.client.onLogin((who) => seen.push(who.userId));

    const atStart = await rejection(bot.client.connect());
    expect(atStart).toBeInstanceOf(SalesforceLoginError);
    expect((atStart as SalesforceLoginError).errorCode).toBe('LOGIN_FAILED');
    expect((atStart as SalesforceLoginError).failure).toEqual({ kind: 'refused', oauthCode: 'invalid_grant', description: 'invalid assertion', status: 400 });
    expect(describeSalesforceError(atStart)).toBe(INVALID_GRANT_SENTENCE);
    const state = bot.client.state();
    expect(state.state).toBe('down');
    if (state.state !== 'down') return;
    expect(state.nextAttemptAt.getTime()).toBe(clock.getTime() + NEVER_BY_ITSELF.initialMs);
    expect(bot.client.health()).toEqual({ ok: false, reason: INVALID_GRANT_SENTENCE, since: state.since });

    // Within the backoff a call fails at once with the login's cause, and asks Salesforce nothing.
    bot.sf.resetRequests();
    const started = Date.now();
    const fast = await rejection(readAlice(bot));
    expect(Date.now() - started).toBeLessThan(100);
    expect(fast).toBeInstanceOf(SalesforceError);
    expect((fast as SalesforceError).errorCode).toBe('LOGIN_FAILED');
    expect(describeSalesforceError(fast)).toBe(INVALID_GRANT_SENTENCE);
    expect(bot.sf.requests).toEqual([]);

    // The admin uploads the certificate; once the backoff allows, the next call logs in itself.
    bot.jwt.publicKeyPem = testKeyPair().publicKeyPem;
    clock = new Date(clock.getTime() + NEVER_BY_ITSELF.initialMs + 1);
    const read = (await readAlice(bot)) as { users: Array<{ username: string }> };
    expect(read.users.map((u) => u.username)).toEqual([bot.aliceUsername]);
    expect(bot.sf.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /services/oauth2/token 200',
      `POST /services/data/v${API_VERSION}/composite 200`,
    ]);
    expect(bot.client.state().state).toBe('up');
    expect(bot.client.health()).toEqual({ ok: true, since: clock });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatch(/^005/);
    expect(bot.logs.some((l) => l.includes('salesforce login recovered before a Salesforce call'))).toBe(true);
    expectNoSecrets(bot);
  });

  it('token endpoint 503 at start: retries in the background with backoff and recovers without any call', async () => {
    const bot = await startBot({ backoff: FAST });
    bot.sf.faults.refuseLogins({ status: 503 }, { count: 3 });

    const atStart = await rejection(bot.client.connect());
    expect((atStart as SalesforceLoginError).failure).toMatchObject({ kind: 'unavailable', status: 503 });
    expect(describeSalesforceError(atStart)).toBe(UNAVAILABLE_SENTENCE);
    expect(bot.client.health()).toMatchObject({ ok: false, reason: UNAVAILABLE_SENTENCE });

    // 40 + 80 + 160 ms of backoff: the fourth token request is answered.
    const recoveredInMs = await waitUntil(() => bot.client.state().state === 'up', 5_000);
    const tokens = bot.sf.requests.filter((r) => r.path === '/services/oauth2/token');
    expect(tokens.map((r) => r.status)).toEqual([503, 503, 503, 200]);
    const gaps = tokens.slice(1).map((r, i) => r.started - (tokens[i]?.started ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[2]).toBeGreaterThanOrEqual(150);
    console.info(`503 at start: recovered by itself ${recoveredInMs} ms after connect() failed, ${tokens.length} token requests, gaps ${gaps.join('/')} ms`);

    bot.sf.resetRequests();
    await readAlice(bot);
    expect(bot.sf.requests.map((r) => r.path)).toEqual([`/services/data/v${API_VERSION}/composite`]);
    expect(bot.logs.filter((l) => l.includes('"level":50') && l.includes('salesforce login failed'))).toHaveLength(1);
    expect(bot.logs.filter((l) => l.includes('"level":40') && l.includes('salesforce login failed'))).toHaveLength(2);
    expect(bot.logs.some((l) => l.includes('salesforce login recovered in the background'))).toBe(true);
    expect(bot.logs.join('\n')).not.toContain('Maintenance');
    expectNoSecrets(bot);
  });

  it('a refusal lasting a window of time: calls during it fail fast, the first call after it works', async () => {
    const bot = await startBot({ backoff: { initialMs: 50, maxMs: 100, factor: 2, jitter: 0 } });
    bot.sf.faults.refuseLogins({ status: 400, error: 'invalid_grant', description: "user hasn't approved this consumer" }, { forMs: 400 });
    await rejection(bot.client.connect());
    const during = await rejection(readAlice(bot));
    expect(describeSalesforceError(during)).toBe(
      "Salesforce refused the bot's login (invalid_grant: user hasn't approved this consumer): the connected app does not accept the certificate or the user — see README, Connect Salesforce.",
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    const read = (await readAlice(bot)) as { users: unknown[] };
    expect(read.users).toHaveLength(1);
    // Retries are spaced by the backoff (≤ 100 ms), never a tight loop.
    expect(bot.tokenRequests()).toBeLessThanOrEqual(8);
  });

  it('Salesforce unreachable: says so, and never lets jsforce throw a TypeError', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const bot = await startBot({ backoff: NEVER_BY_ITSELF, loginUrl: `http://127.0.0.1:${closedPort}` });
    const atStart = await rejection(bot.client.connect());
    expect((atStart as SalesforceLoginError).failure).toMatchObject({ kind: 'unreachable', oauthCode: 'ECONNREFUSED' });
    const call = await rejection(bot.rest.queryAll('SELECT Id FROM User'));
    expect(call).not.toBeInstanceOf(TypeError);
    expect(describeSalesforceError(call)).toBe("Salesforce's login service is unreachable (ECONNREFUSED); the bot retries by itself.");
  });

  it('stop() cancels the background retries', async () => {
    const bot = await startBot({ backoff: FAST });
    bot.sf.faults.refuseLogins({ status: 503 });
    await rejection(bot.client.connect());
    bot.client.stop();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bot.tokenRequests()).toBe(1);
  });
});

describe('re-logins are single-flight', () => {
  it('50 concurrent calls whose token expired: one token request, 50 successes', async () => {
    const bot = await startBot();
    await bot.client.connect();
    bot.sf.resetRequests();
    bot.sf.faults.expireTokensAfter(0);
    const started = Date.now();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => bot.rest.queryAll('SELECT Id FROM User')));
    const elapsed = Date.now() - started;
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(bot.tokenRequests()).toBe(1);
    const unauthorized = bot.sf.requests.filter((r) => r.status === 401).length;
    console.info(`50 concurrent 401s (real clock): ${unauthorized} answered 401, ${bot.tokenRequests()} token request, 50/50 succeeded in ${elapsed} ms`);
    expect(bot.client.health()).toMatchObject({ ok: true });
  });

  it('a token that expires mid-command: the call is answered 401, logs in once, and is sent again', async () => {
    const bot = await startBot();
    await bot.client.connect();
    bot.sf.resetRequests();
    bot.sf.faults.expireTokensAfter(0);
    await readAlice(bot);
    expect(bot.sf.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      `POST /services/data/v${API_VERSION}/composite 401`,
      'POST /services/oauth2/token 200',
      `POST /services/data/v${API_VERSION}/composite 200`,
    ]);
    expect(bot.logs.some((l) => l.includes('salesforce session expired; re-authenticated'))).toBe(true);
  });

  it('stays one token request when jsforce cannot tell by its clock that the token already changed (same millisecond)', async () => {
    const bot = await startBot();
    await bot.client.connect();
    bot.sf.resetRequests();
    bot.sf.faults.latency(5);
    bot.sf.faults.expireTokensAfter(0);
    // jsforce skips a refresh only when one finished in a LATER millisecond than the 401'd request
    // was sent; with Date frozen every 401 looks like a new expiry, as 401s arriving in the same
    // millisecond as the refresh do. Only Date is frozen: timers and the network run normally.
    jest.useFakeTimers({
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => bot.rest.queryAll('SELECT Id FROM User')));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
    const unauthorized = bot.sf.requests.filter((r) => r.status === 401).length;
    console.info(`50 concurrent 401s (frozen clock): ${unauthorized} answered 401, ${bot.tokenRequests()} token request`);
    expect(unauthorized).toBeGreaterThan(1);
    expect(bot.tokenRequests()).toBe(1);
  });

  it('a permanent 401 stops after ≤ 3 token requests with a sentence; health says so until Salesforce accepts a call again', async () => {
    const bot = await startBot();
    await bot.client.connect();
    bot.sf.resetRequests();
    bot.sf.faults.alwaysUnauthorized(true);
    const err = await rejection(bot.rest.queryAll('SELECT Id FROM User'));
    expect((err as SalesforceError).errorCode).toBe('INVALID_SESSION_ID');
    expect(describeSalesforceError(err)).toMatch(/re-authentication did not help/);
    expect(bot.tokenRequests()).toBeGreaterThan(0);
    expect(bot.tokenRequests()).toBeLessThanOrEqual(3);
    expect(bot.client.health()).toMatchObject({ ok: false, reason: expect.stringMatching(/re-authentication did not help/) as unknown });

    bot.sf.faults.alwaysUnauthorized(false);
    await bot.rest.queryAll('SELECT Id FROM User');
    expect(bot.client.health()).toMatchObject({ ok: true });
  });

  it('a token expiry while the login service is down: the call says the login is down (not a session error), and it heals by itself', async () => {
    const bot = await startBot({ backoff: FAST });
    await bot.client.connect();
    bot.sf.faults.expireTokensAfter(0);
    bot.sf.faults.refuseLogins({ status: 503 }, { count: 2 });
    const err = await rejection(readAlice(bot));
    expect((err as SalesforceError).errorCode).toBe('LOGIN_FAILED');
    expect(describeSalesforceError(err)).toBe(UNAVAILABLE_SENTENCE);
    expect(bot.client.state().state).toBe('down');
    const recoveredInMs = await waitUntil(() => bot.client.state().state === 'up', 5_000);
    console.info(`503 on re-login: recovered by itself ${recoveredInMs} ms after the failed call`);
    await expect(readAlice(bot)).resolves.toBeDefined();
  });
});

describe('static-token mode', () => {
  it('cannot log in again: a refused SF_ACCESS_TOKEN gets its own sentence and no token request', async () => {
    const seed = await startBot();
    const token = seed.sf.issueToken(BOT_USERNAME);
    const bot = await startBot({ auth: { kind: 'static', instanceUrl: seed.sf.url, accessToken: token } });
    await expect(bot.client.connect()).resolves.toEqual({ userId: null, orgId: null });
    // The static client talks to the first stand-in, where its token was issued.
    await expect(bot.rest.queryAll('SELECT Id FROM User')).resolves.toBeDefined();
    seed.sf.faults.alwaysUnauthorized(true);
    const err = await rejection(bot.rest.queryAll('SELECT Id FROM User'));
    expect(describeSalesforceError(err)).toBe(
      "Salesforce refused the bot's access token (SF_ACCESS_TOKEN), and a static token cannot be renewed: issue a new one, or configure the JWT flow (see README, Connect Salesforce).",
    );
    expect(seed.tokenRequests()).toBe(0);
    expect(bot.client.health()).toMatchObject({ ok: false, reason: expect.stringContaining('SF_ACCESS_TOKEN') as unknown });
    expect(bot.logs.join('\n')).not.toContain(token);
  });
});
