/**
 * The Salesforce stand-in's fault knobs, driven through real jsforce Connections and plain HTTP:
 * refused logins, per-route latency, answers that are slow or lost after (or before) the change,
 * 5xx storms, token expiry under concurrency and the Sforce-Limit-Info usage.
 */
import { createSign } from 'node:crypto';
import { Connection } from 'jsforce';
import { testKeyPair } from './keys';
import { Org, type SfRecord } from './org';
import { startSalesforce, type SalesforceStandIn } from './server';

type Row = SfRecord & { Id: string };
const CLIENT_ID = '3MVG9-test-consumer-key';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const NOW = new Date('2026-11-26T15:00:00Z');

let sf: SalesforceStandIn;
let org: Org;
let target: Row;
/** The fault clock, moved by hand so windows close without waiting. */
let wall: number;

function jwt(): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'RS256' })}.${b64({ iss: CLIENT_ID, sub: 'bot@example.com', aud: 'https://login.salesforce.com', exp: Math.floor(NOW.getTime() / 1000) + 180 })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(testKeyPair().privateKeyPem).toString('base64url')}`;
}

async function start(faultClock?: () => number): Promise<SalesforceStandIn> {
  return startSalesforce({
    org,
    clock: () => NOW,
    jwt: { clientId: CLIENT_ID, publicKeyPem: testKeyPair().publicKeyPem },
    ...(faultClock ? { faultClock } : {}),
  });
}

beforeEach(async () => {
  wall = 1_800_000_000_000;
  org = new Org();
  org.insert('User', { Username: 'bot@example.com', Name: 'Warden Bot', IsActive: true });
  target = org.insert('User', { Username: 'target@example.com', Name: 'Target', IsActive: true }) as Row;
  sf = await start(() => wall);
});

afterEach(async () => {
  await sf.close();
});

const connect = (token = sf.issueToken('bot@example.com')) => new Connection({ instanceUrl: sf.url, accessToken: token, version: '62.0' });
const login = () => new Connection({ loginUrl: sf.url, version: '62.0' }).authorize({ grant_type: JWT_BEARER, assertion: jwt() });
const tokenPost = () => fetch(`${sf.url}/services/oauth2/token`, { method: 'POST', body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: jwt() }) });

async function raw(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
  return fetch(`${sf.url}${path}`, { ...init, headers });
}

async function rejection(p: PromiseLike<unknown>): Promise<{ errorCode?: string; name?: string; code?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { errorCode?: string; name?: string; code?: string; message: string };
  }
  throw new Error('expected a rejection');
}

function sessionOf(user: Row): Row {
  const id = org.newId('AuthSession');
  return org.insert('AuthSession', { Id: id, ParentId: id, UsersId: user.Id, SessionType: 'UI', CreatedDate: NOW.toISOString() }) as Row;
}

describe('refuseLogins', () => {
  it('503 for a count of token requests: Salesforce’s HTML maintenance page, then logins work', async () => {
    sf.faults.refuseLogins({ status: 503 }, { count: 2 });
    const page = await tokenPost();
    expect(page.status).toBe(503);
    expect(page.headers.get('content-type')).toBe('text/html;charset=UTF-8');
    expect(await page.text()).toMatch(/^<html>.*maintenance/);
    const err = await rejection(login());
    expect(err.message).toMatch(/maintenance/);
    await expect(login()).resolves.toMatchObject({ organizationId: org.orgId });
    expect(sf.tokenRequests().map((r) => [r.status, r.fault ?? null])).toEqual([
      [503, 'login-refused'],
      [503, 'login-refused'],
      [200, null],
    ]);
  });

  it('400 invalid_grant for a time window, in the OAuth error shape jsforce names', async () => {
    sf.faults.refuseLogins({ status: 400, error: 'invalid_grant', description: "user hasn't approved this consumer" }, { forMs: 5_000 });
    const res = await tokenPost();
    expect([res.status, await res.json()]).toEqual([400, { error: 'invalid_grant', error_description: "user hasn't approved this consumer" }]);
    const err = await rejection(login());
    expect(err).toMatchObject({ name: 'invalid_grant', message: "user hasn't approved this consumer" });
    wall += 4_999;
    expect((await tokenPost()).status).toBe(400);
    wall += 1;
    await expect(login()).resolves.toMatchObject({ organizationId: org.orgId });
    expect(sf.tokenRequests()).toHaveLength(4);
  });

  it('without a limit, refuses until heal(), which leaves other knobs alone', async () => {
    sf.faults.refuseLogins({ status: 503 });
    sf.faults.denyObject('AuthSession');
    wall += 24 * 60 * 60 * 1000;
    expect((await tokenPost()).status).toBe(503);
    sf.faults.heal();
    expect((await tokenPost()).status).toBe(200);
    expect((await rejection(connect().query('SELECT Id FROM AuthSession'))).errorCode).toBe('INVALID_TYPE');
  });
});

describe('latency by route', () => {
  const timed = async (call: () => PromiseLike<unknown>): Promise<number> => {
    const started = Date.now();
    await call();
    return Date.now() - started;
  };

  it('delays matching routes only; the global latency(ms) still applies elsewhere; 0 removes a route delay', async () => {
    const conn = connect();
    sf.faults.latency(300, { match: /^GET .*\/query$/ });
    const query = await timed(() => conn.query('SELECT Id FROM User'));
    const limits = await timed(() => conn.limits());
    expect(query).toBeGreaterThanOrEqual(290);
    expect(limits).toBeLessThan(query);
    sf.faults.latency(150);
    expect(await timed(() => conn.limits())).toBeGreaterThanOrEqual(140);
    expect(await timed(() => conn.query('SELECT Id FROM User'))).toBeGreaterThanOrEqual(290);
    sf.faults.latency(0, { match: /^GET .*\/query$/ });
    sf.faults.latency(0);
    expect(await timed(() => conn.query('SELECT Id FROM User'))).toBeLessThan(140);
  });
});

describe('answers slow or lost around the effect', () => {
  it('slowAfterEffect: the session is deleted at once; a client with a shorter timeout gives up; the answer comes later', async () => {
    const session = sessionOf(target);
    sf.faults.slowAfterEffect({ match: /^DELETE .*\/sobjects\/AuthSession\//, delayMs: 400 });
    const conn = connect();
    const call = conn.sobject('AuthSession').destroy(session.Id);
    const outcome = await Promise.race([call.then(() => 'answered'), new Promise((resolve) => setTimeout(resolve, 150, 'gave up'))]);
    expect(outcome).toBe('gave up');
    expect(org.get(session.Id)).toBeUndefined();
    await expect(call).resolves.toEqual({ id: session.Id, success: true, errors: [] });
    const record = sf.apiCalls().find((r) => r.method === 'DELETE');
    expect(record).toMatchObject({ status: 204, fault: 'slow-after-effect' });
    expect((record?.ended ?? 0) - (record?.started ?? 0)).toBeGreaterThanOrEqual(390);
  });

  it('dropAfterEffect: PATCH freezes the user, then the connection resets (jsforce does not retry PATCH)', async () => {
    const userLogin = org.insert('UserLogin', { UserId: target.Id, IsFrozen: false }) as Row;
    sf.faults.dropAfterEffect({ match: /^PATCH .*\/UserLogin\// });
    const err = await rejection(connect().sobject('UserLogin').update({ Id: userLogin.Id, IsFrozen: true }));
    expect(err.message).toMatch(/socket hang up|ECONNRESET/);
    expect(org.get(userLogin.Id)?.IsFrozen).toBe(true);
    expect(sf.apiCalls().map((r) => [r.method, r.status, r.fault])).toEqual([['PATCH', 0, 'dropped-after-effect']]);
  });

  it('dropAfterEffect on a DELETE: jsforce retries it and reports NOT_FOUND for a session that is gone', async () => {
    const session = sessionOf(target);
    sf.faults.dropAfterEffect({ match: /^DELETE .*\/AuthSession\// });
    const err = await rejection(connect().sobject('AuthSession').destroy(session.Id));
    expect(err.errorCode).toBe('NOT_FOUND');
    expect(org.get(session.Id)).toBeUndefined();
    expect(sf.apiCalls().map((r) => [r.status, r.fault ?? null])).toEqual([
      [0, 'dropped-after-effect'],
      [404, null],
    ]);
  });

  it('a password reset: performed then dropped leaves a reset; dropped before leaves none; both look alike to the client', async () => {
    const token = sf.issueToken('bot@example.com');
    const reset = () => raw(`/services/data/v62.0/sobjects/User/${target.Id}/password`, { method: 'DELETE', token });
    sf.faults.dropBeforeEffect({ match: /password$/ });
    const before = await rejection(reset());
    expect(sf.passwordResets).toHaveLength(0);
    sf.faults.dropAfterEffect({ match: /password$/ });
    const after = await rejection(reset());
    expect(sf.passwordResets.map((r) => r.userId)).toEqual([target.Id]);
    expect([before.name, before.message]).toEqual([after.name, after.message]);
    expect(sf.apiCalls().map((r) => r.fault)).toEqual(['dropped-before-effect', 'dropped-after-effect']);
    // One-shot: the next reset is answered.
    expect((await reset()).status).toBe(200);
  });

  it('dropBeforeEffect on PATCH: nothing changes and jsforce sees a reset connection', async () => {
    const userLogin = org.insert('UserLogin', { UserId: target.Id, IsFrozen: false }) as Row;
    sf.faults.dropBeforeEffect({ match: /^PATCH /, count: 2 });
    const conn = connect();
    for (let i = 0; i < 2; i += 1) {
      expect((await rejection(conn.sobject('UserLogin').update({ Id: userLogin.Id, IsFrozen: true }))).message).toMatch(/socket hang up|ECONNRESET/);
    }
    expect(org.get(userLogin.Id)?.IsFrozen).toBe(false);
    await conn.sobject('UserLogin').update({ Id: userLogin.Id, IsFrozen: true });
    expect(org.get(userLogin.Id)?.IsFrozen).toBe(true);
  });
});

describe('storm', () => {
  it('answers matching /services/data calls with the REST error array for its window, not counted as API usage', async () => {
    const userLogin = org.insert('UserLogin', { UserId: target.Id, IsFrozen: false }) as Row;
    const conn = connect();
    sf.faults.storm({ status: 503, errorCode: 'SERVER_UNAVAILABLE', forMs: 2_000, match: /^PATCH / });
    expect((await rejection(conn.sobject('UserLogin').update({ Id: userLogin.Id, IsFrozen: true }))).errorCode).toBe('SERVER_UNAVAILABLE');
    expect(org.get(userLogin.Id)?.IsFrozen).toBe(false);
    await expect(conn.query('SELECT Id FROM User')).resolves.toMatchObject({ totalSize: 2 });
    sf.faults.storm({ status: 500, errorCode: 'UNKNOWN_EXCEPTION', message: 'An unexpected error occurred.', forMs: 1_000 });
    const res = await raw('/services/data/v62.0/limits', { token: sf.issueToken('bot@example.com') });
    expect([res.status, await res.json()]).toEqual([500, [{ message: 'An unexpected error occurred.', errorCode: 'UNKNOWN_EXCEPTION' }]]);
    expect(res.headers.get('sforce-limit-info')).toBe('api-usage=1/15000');
    wall += 1_000;
    expect((await rejection(conn.sobject('UserLogin').update({ Id: userLogin.Id, IsFrozen: true }))).errorCode).toBe('SERVER_UNAVAILABLE');
    wall += 1_000;
    await conn.sobject('UserLogin').update({ Id: userLogin.Id, IsFrozen: true });
    expect(org.get(userLogin.Id)?.IsFrozen).toBe(true);
    expect(sf.apiCalls().map((r) => [r.status, r.fault ?? null])).toEqual([
      [503, 'storm'],
      [200, null],
      [500, 'storm'],
      [503, 'storm'],
      [204, null],
    ]);
    expect(sf.apiUsage()).toBe(2);
  });

  it('on real wall time by default: jsforce’s own retry of a GET gets through once a short storm ends', async () => {
    await sf.close();
    sf = await start();
    sf.faults.storm({ status: 503, errorCode: 'SERVER_UNAVAILABLE', forMs: 200 });
    await expect(connect().query('SELECT Id FROM User')).resolves.toMatchObject({ totalSize: 2 });
    expect(sf.apiCalls().map((r) => r.status)).toEqual([503, 200]);
  });

  it('heal() ends storms; reset() clears every knob', async () => {
    const conn = connect();
    sf.faults.storm({ status: 503, errorCode: 'SERVER_UNAVAILABLE', forMs: 60_000, match: /^PATCH / });
    sf.faults.heal();
    const userLogin = org.insert('UserLogin', { UserId: target.Id, IsFrozen: false }) as Row;
    await conn.sobject('UserLogin').update({ Id: userLogin.Id, IsFrozen: true });
    sf.faults.storm({ status: 503, errorCode: 'SERVER_UNAVAILABLE', forMs: 60_000, match: /^PATCH / });
    sf.faults.refuseLogins({ status: 503 });
    sf.faults.latency(5_000, { match: /limits/ });
    sf.faults.dropBeforeEffect({ match: /limits/ });
    sf.faults.slowAfterEffect({ match: /query/, delayMs: 5_000 });
    sf.faults.reset();
    await conn.sobject('UserLogin').update({ Id: userLogin.Id, IsFrozen: false });
    await expect(conn.limits()).resolves.toMatchObject({ DailyApiRequests: { Max: 15000 } });
    await expect(conn.query('SELECT Id FROM User')).resolves.toMatchObject({ totalSize: 2 });
    await expect(login()).resolves.toMatchObject({ organizationId: org.orgId });
  });
});

describe('token expiry under concurrency', () => {
  it('50 concurrent jsforce calls after expiry all get 401 INVALID_SESSION_ID on the old token; a new login works', async () => {
    const conn = connect();
    sf.faults.expireTokensAfter(0);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => conn.query('SELECT Id FROM User')));
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r.reason as { errorCode?: string }).errorCode)).toEqual(
      Array<string>(50).fill('INVALID_SESSION_ID'),
    );
    expect(sf.apiCalls().map((r) => r.status)).toEqual(Array<number>(50).fill(401));
    await login();
    expect(sf.tokenRequests()).toHaveLength(1);
  });

  it('expireTokensAfter(10) with 50 concurrent calls: exactly 10 answered, 40 refused', async () => {
    const conn = connect();
    sf.faults.expireTokensAfter(10);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => conn.query('SELECT Id FROM User')));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(sf.apiCalls().filter((r) => r.status === 401)).toHaveLength(40);
  });
});

describe('Sforce-Limit-Info', () => {
  it('is on every /services/data answer, success or failure', async () => {
    const token = sf.issueToken('bot@example.com');
    sf.faults.failNext({ status: 400, errorCode: 'UNABLE_TO_LOCK_ROW', message: 'locked', match: /limits/ });
    const answers = [
      await raw('/services/data/'),
      await raw('/services/data/v62.0/limits', { token }),
      await raw('/services/data/v62.0/limits', { token }),
      await raw(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Foo FROM User')}`, { token }),
      await raw('/services/data/v62.0/limits', { token: 'expired' }),
      await raw('/services/data/v20.0/limits', { token }),
      await raw('/services/data/v62.0/no/such/thing', { token }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 400, 200, 400, 401, 404, 404]);
    for (const r of answers) expect(r.headers.get('sforce-limit-info')).toMatch(/^api-usage=\d+\/15000$/);
    expect(answers.at(-1)?.headers.get('sforce-limit-info')).toBe(`api-usage=${sf.apiUsage()}/15000`);
  });

  it('setApiUsage puts the org near its limit: jsforce reads the usage, then the limit refuses calls', async () => {
    const conn = connect();
    sf.setApiUsage(14_998);
    await conn.query('SELECT Id FROM User');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 14_999, limit: 15_000 });
    await expect(conn.limits()).resolves.toMatchObject({ DailyApiRequests: { Max: 15_000, Remaining: 0 } });
    expect((await rejection(conn.query('SELECT Id FROM User'))).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
    sf.setApiUsage(0);
    await expect(conn.query('SELECT Id FROM User')).resolves.toMatchObject({ totalSize: 2 });
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 15_000 });
  });
});
