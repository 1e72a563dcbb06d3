import { createSign } from 'node:crypto';
import { Connection } from 'jsforce';
import { testKeyPair } from './keys';
import { Org, type SfRecord } from './org';
import { setPermission } from './permissions';
import { startSalesforce, type SalesforceStandIn } from './server';

type Row = SfRecord & { Id: string };
const CLIENT_ID = '3MVG9-test-consumer-key';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const NOW = new Date('2026-11-26T15:00:00Z');

let sf: SalesforceStandIn;
let org: Org;
let bot: Row;
let target: Row;
let clock: Date;

function jwt(claims: Record<string, unknown>, privateKeyPem = testKeyPair().privateKeyPem): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'RS256' })}.${b64({ iss: CLIENT_ID, sub: 'bot@example.com', aud: 'https://login.salesforce.com', exp: Math.floor(clock.getTime() / 1000) + 180, ...claims })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(privateKeyPem).toString('base64url')}`;
}

beforeEach(async () => {
  clock = NOW;
  org = new Org();
  bot = org.insert('User', { Username: 'bot@example.com', Name: 'Warden Bot', IsActive: true }) as Row;
  target = org.insert('User', { Username: 'target@example.com', Name: 'Target', IsActive: true }) as Row;
  org.insert('User', { Username: 'gone@example.com', Name: 'Gone', IsActive: false });
  sf = await startSalesforce({
    org,
    clock: () => clock,
    jwt: { clientId: CLIENT_ID, publicKeyPem: testKeyPair().publicKeyPem },
    clientCredentials: { clientId: 'cc-id', clientSecret: 'cc-secret', username: 'bot@example.com' },
  });
});

afterEach(async () => {
  await sf.close();
});

const connect = (token = sf.issueToken('bot@example.com')) => new Connection({ instanceUrl: sf.url, accessToken: token, version: '62.0' });

function sessionsFor(user: Row, n: number): Row[] {
  const out: Row[] = [];
  for (let i = 0; i < n; i += 1) {
    const id = org.newId('AuthSession');
    out.push(
      org.insert('AuthSession', {
        Id: id,
        ParentId: id,
        UsersId: user.Id,
        SessionType: 'UI',
        CreatedDate: new Date(Date.UTC(2026, 10, 26, 0, 0, i)).toISOString(),
      }) as Row,
    );
  }
  return out;
}

async function raw(path: string, init: RequestInit & { token?: string } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token !== undefined) headers.set('authorization', `Bearer ${init.token}`);
  return fetch(`${sf.url}${path}`, { ...init, headers });
}

async function jsforceError(p: PromiseLike<unknown>): Promise<{ errorCode?: string; name?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    return e as { errorCode?: string; name?: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('query and paging with real jsforce', () => {
  it('pages 450 rows at batchSize 200 in three calls, with Salesforce locators; the first page gives up the slack (50 rows)', async () => {
    sessionsFor(target, 450);
    const conn = connect();
    sf.resetRequests();
    const res = await conn.query<{ Id: string }>(`SELECT Id FROM AuthSession WHERE UsersId = '${target.Id}' ORDER BY CreatedDate`, {
      autoFetch: true,
      maxFetch: 10_000,
      headers: { 'Sforce-Query-Options': 'batchSize=200' },
    });
    expect(res.totalSize).toBe(450);
    expect(res.records).toHaveLength(450);
    expect(new Set(res.records.map((r) => r.Id)).size).toBe(450);
    const calls = sf.apiCalls();
    expect(calls.map((c) => c.path)).toEqual([
      '/services/data/v62.0/query',
      expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-50$/),
      expect.stringMatching(/^\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-250$/),
    ]);
    expect(calls[0]?.headers['sforce-query-options']).toBe('batchSize=200');
    expect(calls[0]?.headers.authorization).toBe('Bearer [redacted]');
  });

  it('returns done:false with nextRecordsUrl without autoFetch, snapshotting rows at query time', async () => {
    const rows = sessionsFor(target, 2001);
    const conn = connect();
    const first = await conn.query(`SELECT Id FROM AuthSession WHERE UsersId = '${target.Id}'`);
    // Two pages either way; the short one comes first, so "shorter than asked" never means "done".
    expect(first.done).toBe(false);
    expect(first.records).toHaveLength(1);
    expect(first.nextRecordsUrl).toMatch(/\/services\/data\/v62\.0\/query\/01g[A-Za-z0-9]{15}-1$/);
    org.delete('AuthSession', rows[2000]?.Id as string);
    const second = await conn.queryMore(first.nextRecordsUrl as string);
    expect(second).toMatchObject({ done: true, totalSize: 2001 });
    expect(second.records).toHaveLength(2000);
    expect(second.records.at(-1)?.Id).toBe(rows[2000]?.Id);
  });

  it('clamps batch sizes and rejects unknown locators', async () => {
    sessionsFor(target, 250);
    const token = sf.issueToken('bot@example.com');
    const q = encodeURIComponent(`SELECT Id FROM AuthSession WHERE UsersId = '${target.Id}'`);
    const small = (await (await raw(`/services/data/v62.0/query?q=${q}`, { token, headers: { 'Sforce-Query-Options': 'batchSize=10' } })).json()) as {
      records: unknown[];
    };
    // Clamped to 200 a page: 250 rows are two pages, the first one short (50).
    expect(small.records).toHaveLength(50);
    const big = (await (await raw(`/services/data/v62.0/query?q=${q}`, { token, headers: { 'Sforce-Query-Options': 'batchSize=5000' } })).json()) as {
      records: unknown[];
      done: boolean;
    };
    expect(big).toMatchObject({ done: true });
    expect(big.records).toHaveLength(250);
    const bad = await raw('/services/data/v62.0/query/01gXX0000000001AAA-200', { token });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual([{ message: 'invalid query locator', errorCode: 'INVALID_QUERY_LOCATOR' }]);
  });

  it('query locators expire after 15 idle minutes, and a user holds at most 10 (the oldest is released)', async () => {
    sessionsFor(target, 450);
    const conn = connect();
    const soql = `SELECT Id FROM AuthSession WHERE UsersId = '${target.Id}'`;
    const open = () => conn.query(soql, { headers: { 'Sforce-Query-Options': 'batchSize=200' } });
    const idle = await open();
    clock = new Date(NOW.getTime() + 15 * 60_000);
    expect((await conn.queryMore(idle.nextRecordsUrl as string)).done).toBe(false);
    clock = new Date(NOW.getTime() + 30 * 60_000 + 1);
    expect((await jsforceError(conn.queryMore(idle.nextRecordsUrl as string))).errorCode).toBe('INVALID_QUERY_LOCATOR');

    const oldest = await open();
    for (let i = 0; i < 9; i += 1) await open();
    expect((await conn.queryMore(oldest.nextRecordsUrl as string)).done).toBe(false);
    await open();
    expect((await jsforceError(conn.queryMore(oldest.nextRecordsUrl as string))).errorCode).toBe('INVALID_QUERY_LOCATOR');
  });

  it('COUNT(), relationship output and IsCurrent for the caller', async () => {
    const token = sf.issueToken('bot@example.com');
    const mySession = sf.tokenInfo(token)?.sessionId;
    sessionsFor(target, 3);
    const conn = connect(token);
    const count = await conn.query('SELECT COUNT() FROM AuthSession');
    expect(count).toEqual({ totalSize: 4, done: true, records: [] });
    const res = await conn.query<Record<string, unknown>>(
      'SELECT Id, Users.Username, LoginHistory.Status, LoginGeo.City, IsCurrent, SessionType, CreatedDate FROM AuthSession WHERE IsCurrent = true',
    );
    expect(res.records).toEqual([
      {
        attributes: { type: 'AuthSession', url: `/services/data/v62.0/sobjects/AuthSession/${String(mySession)}` },
        Id: mySession,
        Users: { attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${bot.Id}` }, Username: 'bot@example.com' },
        LoginHistory: { attributes: expect.objectContaining({ type: 'LoginHistory' }) as unknown, Status: 'Success' },
        LoginGeo: null,
        IsCurrent: true,
        SessionType: 'Oauth2',
        CreatedDate: '2026-11-26T15:00:00.000+0000',
      },
    ]);
  });

  it('reports each SOQL error code through jsforce, with the JSON content type', async () => {
    const conn = connect();
    expect((await jsforceError(conn.query('SELECT Foo FROM AuthSession'))).errorCode).toBe('INVALID_FIELD');
    expect((await jsforceError(conn.query('SELECT Id FROM Foo'))).errorCode).toBe('INVALID_TYPE');
    expect((await jsforceError(conn.query("SELECT Id FROM LoginHistory WHERE Status = 'Success'"))).errorCode).toBe('INVALID_FIELD');
    expect((await jsforceError(conn.query('SELECT Id FROM AuthSession WHERE'))).errorCode).toBe('MALFORMED_QUERY');
    expect((await jsforceError(conn.query('SELECT Id FROM AuthSession OFFSET 2001'))).errorCode).toBe('NUMBER_OUTSIDE_VALID_RANGE');
    const res = await raw(`/services/data/v62.0/query?q=${encodeURIComponent('SELECT Foo FROM AuthSession')}`, { token: sf.issueToken('bot@example.com') });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/json;charset=UTF-8');
    const body = (await res.json()) as Array<{ message: string; errorCode: string }>;
    expect(body[0]?.message).toMatch(/^\nSELECT Foo FROM AuthSession\n {7}\^\nERROR at Row:1:Column:8\nNo such column 'Foo' on entity 'AuthSession'/);
    const missing = await raw('/services/data/v62.0/query', { token: sf.issueToken('bot@example.com') });
    expect(await missing.json()).toEqual([{ message: 'A query string has to be specified', errorCode: 'MALFORMED_QUERY' }]);
  });

  it('answers 414 to a URI over 16,384 bytes', async () => {
    const ids = Array.from({ length: 900 }, (_, i) => `'0Ak${String(i).padStart(12, '0')}AAA'`).join(',');
    const res = await raw(`/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM AuthSession WHERE Id IN (${ids})`)}`, {
      token: sf.issueToken('bot@example.com'),
    });
    expect(res.status).toBe(414);
  });
});

describe('auth, versions, limits', () => {
  it('401 INVALID_SESSION_ID without or with an unknown token; Sforce-Limit-Info counts calls', async () => {
    const none = await raw('/services/data/v62.0/limits');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual([{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }]);
    expect((await raw('/services/data/v62.0/limits', { token: 'nope' })).status).toBe(401);
    const conn = connect();
    await conn.query('SELECT Id FROM User');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 1, limit: 15000 });
    await conn.query('SELECT Id FROM User');
    expect(conn.limitInfo.apiUsage).toEqual({ used: 2, limit: 15000 });
    expect(await conn.limits()).toMatchObject({ DailyApiRequests: { Max: 15000, Remaining: 15000 - 3 } });
  });

  it('lists versions without auth and 404s an unknown version or path', async () => {
    const versions = (await (await raw('/services/data/')).json()) as Array<{ version: string; url: string }>;
    expect(versions).toContainEqual({ label: 'v62.0', url: '/services/data/v62.0', version: '62.0' });
    const token = sf.issueToken('bot@example.com');
    const old = await raw('/services/data/v20.0/limits', { token });
    expect(old.status).toBe(404);
    expect(await old.json()).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    expect((await raw('/services/data/v62.0/nothing/here', { token })).status).toBe(404);
  });

  it('refuses calls once the daily limit is spent', async () => {
    await sf.close();
    sf = await startSalesforce({ org, clock: () => clock, apiLimit: 2 });
    const conn = connect();
    await conn.query('SELECT Id FROM User');
    await conn.query('SELECT Id FROM User');
    expect((await jsforceError(conn.query('SELECT Id FROM User'))).errorCode).toBe('REQUEST_LIMIT_EXCEEDED');
  });

  it('JWT bearer grant through conn.authorize, creating a visible session', async () => {
    const conn = new Connection({ loginUrl: sf.url, version: '62.0' });
    const info = await conn.authorize({ grant_type: JWT_BEARER, assertion: jwt({}) });
    expect(info).toMatchObject({ id: bot.Id, organizationId: org.orgId });
    expect(conn.instanceUrl).toBe(sf.url);
    const res = await conn.query<{ SessionType: string; LoginType: string; IsCurrent: boolean }>(
      `SELECT SessionType, LoginType, IsCurrent FROM AuthSession WHERE UsersId = '${bot.Id}'`,
    );
    expect(res.records.map(({ SessionType, LoginType, IsCurrent }) => ({ SessionType, LoginType, IsCurrent }))).toEqual([
      { SessionType: 'Oauth2', LoginType: 'Remote Access 2.0', IsCurrent: true },
    ]);
    const history = await conn.query<{ Status: string }>(`SELECT Status FROM LoginHistory WHERE UserId = '${bot.Id}'`);
    expect(history.records.map((r) => r.Status)).toEqual(['Success']);
    const token = await (
      await raw('/services/oauth2/token', {
        method: 'POST',
        body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: jwt({ aud: 'https://test.salesforce.com' }) }),
      })
    ).json();
    expect(token).toMatchObject({
      scope: 'api',
      instance_url: sf.url,
      token_type: 'Bearer',
      id: `${sf.url}/id/${org.orgId}/${bot.Id}`,
      issued_at: String(NOW.getTime()),
    });
  });

  it('JWT bearer errors in OAuth shape', async () => {
    const grant = async (assertion: string) => {
      const res = await raw('/services/oauth2/token', { method: 'POST', body: new URLSearchParams({ grant_type: JWT_BEARER, assertion }) });
      return { status: res.status, body: await res.json() };
    };
    const otherKey = (await import('node:crypto'))
      .generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    expect(await grant(jwt({}, otherKey))).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid assertion' } });
    expect(await grant('not.a.jwt')).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'invalid assertion' } });
    expect(await grant(jwt({ aud: 'https://example.my.salesforce.com' }))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'audience is invalid' },
    });
    // The stand-in's own URL plays the org's My Domain: a token request sent there still needs login/test as audience.
    expect(await grant(jwt({ aud: sf.url }))).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'audience is invalid' } });
    expect((await grant(jwt({ aud: 'https://test.salesforce.com' }))).status).toBe(200);
    expect(await grant(jwt({ exp: Math.floor(NOW.getTime() / 1000) - 1 }))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: 'expired authorization code' },
    });
    expect(await grant(jwt({ sub: 'gone@example.com' }))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: "user hasn't approved this consumer" },
    });
    expect(await grant(jwt({ sub: 'nobody@example.com' }))).toEqual({
      status: 400,
      body: { error: 'invalid_grant', error_description: "user hasn't approved this consumer" },
    });
    expect(await grant(jwt({ iss: 'other' }))).toEqual({ status: 400, body: { error: 'invalid_client_id', error_description: 'client identifier invalid' } });
    const conn = new Connection({ loginUrl: sf.url, version: '62.0' });
    expect((await jsforceError(conn.authorize({ grant_type: JWT_BEARER, assertion: jwt({ aud: 'https://nope' }) }))).name).toBe('invalid_grant');
    const other = await raw('/services/oauth2/token', { method: 'POST', body: new URLSearchParams({ grant_type: 'password', username: 'x', password: 'y' }) });
    expect(await other.json()).toEqual({ error: 'unsupported_grant_type', error_description: 'grant type not supported' });
  });

  it('client credentials via body (jsforce oauth2 config) and via HTTP Basic', async () => {
    const conn = new Connection({ oauth2: { clientId: 'cc-id', clientSecret: 'cc-secret', loginUrl: sf.url }, version: '62.0' });
    const info = await conn.authorize({ grant_type: 'client_credentials' });
    expect(info.id).toBe(bot.Id);
    expect((await conn.query('SELECT COUNT() FROM User')).totalSize).toBe(3);
    const basic = await raw('/services/oauth2/token', {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('cc-id:cc-secret').toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'client_credentials' }),
    });
    expect(basic.status).toBe(200);
    const wrongSecret = await raw('/services/oauth2/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'cc-id', client_secret: 'x' }),
    });
    expect(await wrongSecret.json()).toEqual({ error: 'invalid_client', error_description: 'invalid client credentials' });
    const wrongId = await raw('/services/oauth2/token', {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'x', client_secret: 'cc-secret' }),
    });
    expect(await wrongId.json()).toEqual({ error: 'invalid_client_id', error_description: 'client identifier invalid' });
    expect(sf.requests.find((r) => r.body.includes('client_secret'))?.body).toContain('client_secret=[redacted]');
  });

  it('an expired token makes jsforce run refreshFn once and retry', async () => {
    let refreshes = 0;
    const conn = new Connection({
      loginUrl: sf.url,
      instanceUrl: sf.url,
      accessToken: sf.issueToken('bot@example.com'),
      version: '62.0',
      refreshFn: (c, cb) => {
        refreshes += 1;
        c.authorize({ grant_type: JWT_BEARER, assertion: jwt({}) }).then(
          () => {
            cb(null, c.accessToken ?? undefined);
          },
          (e: Error) => {
            cb(e);
          },
        );
      },
    });
    sf.faults.expireTokensAfter(1);
    await conn.query('SELECT Id FROM User');
    expect(refreshes).toBe(0);
    await conn.query('SELECT Id FROM User');
    expect(refreshes).toBe(1);
    const paths = sf.requests.map((r) => `${r.method} ${r.path} ${r.status}`);
    expect(paths.slice(-4)).toEqual([
      'GET /services/data/v62.0/query 200',
      'GET /services/data/v62.0/query 401',
      'POST /services/oauth2/token 200',
      'GET /services/data/v62.0/query 200',
    ]);
  });

  it('deleting the session behind a token invalidates the token', async () => {
    const token = sf.issueToken('bot@example.com');
    const conn = connect(token);
    await conn.sobject('AuthSession').destroy(sf.tokenInfo(token)?.sessionId as string);
    expect((await jsforceError(conn.query('SELECT Id FROM User'))).errorCode).toBe('INVALID_SESSION_ID');
  });
});

describe('writes', () => {
  it('deletes one AuthSession (204) and 404s a missing one; non-deletable types refuse', async () => {
    const [s] = sessionsFor(target, 1);
    const conn = connect();
    expect(await conn.sobject('AuthSession').destroy(s?.Id as string)).toEqual({ id: s?.Id, success: true, errors: [] });
    expect(org.get(s?.Id as string)).toBeUndefined();
    const token = sf.issueToken('bot@example.com');
    const again = await raw(`/services/data/v62.0/sobjects/AuthSession/${s?.Id as string}`, { method: 'DELETE', token });
    expect(again.status).toBe(404);
    expect(await again.json()).toEqual([{ message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' }]);
    const user = await raw(`/services/data/v62.0/sobjects/User/${target.Id}`, { method: 'DELETE', token });
    expect(user.status).toBe(400);
    expect(await user.json()).toEqual([{ message: 'entity type cannot be deleted', errorCode: 'INVALID_TYPE_FOR_OPERATION' }]);
  });

  it('collections delete: per-item results in order, missing, malformed, deleted, and not cascading to children', async () => {
    const [a, b] = sessionsFor(target, 2);
    const child = org.insert('AuthSession', { UsersId: target.Id, ParentId: a?.Id ?? null, SessionType: 'Visualforce' }) as Row;
    const conn = connect();
    const missing = '0Ak00000000ZZZZAAA';
    const res = await conn.sobject('AuthSession').destroy([a?.Id as string, missing, 'bad', b?.Id as string]);
    expect(res).toEqual([
      { id: a?.Id, success: true, errors: [] },
      { success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY', message: 'invalid cross reference id', fields: [] }] },
      { success: false, errors: [{ statusCode: 'MALFORMED_ID', message: 'malformed id bad', fields: [] }] },
      { id: b?.Id, success: true, errors: [] },
    ]);
    expect(org.get(child.Id)).toBeDefined();
    const again = await conn.sobject('AuthSession').destroy([a?.Id as string, child.Id]);
    expect(again).toEqual([
      { success: false, errors: [{ statusCode: 'ENTITY_IS_DELETED', message: 'entity is deleted', fields: [] }] },
      { id: child.Id, success: true, errors: [] },
    ]);
  });

  it('collections delete with allOrNone rolls back everything on one failure', async () => {
    const [a, b] = sessionsFor(target, 2);
    const conn = connect();
    const res = await conn.sobject('AuthSession').destroy([a?.Id as string, '0Ak00000000ZZZZAAA', b?.Id as string], { allOrNone: true });
    expect(res[0]).toEqual({
      id: a?.Id,
      success: false,
      errors: [
        {
          statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
          message: 'Record rolled back because not all records were valid and the request was using AllOrNone header',
          fields: [],
        },
      ],
    });
    expect(res[1]).toMatchObject({ success: false, errors: [{ statusCode: 'INVALID_CROSS_REFERENCE_KEY' }] });
    expect(res[2]).toMatchObject({ id: b?.Id, success: false });
    expect(org.count('AuthSession')).toBe(3);
    const ok = await conn.sobject('AuthSession').destroy([a?.Id as string, b?.Id as string], { allOrNone: true });
    expect(ok.every((r) => r.success)).toBe(true);
  });

  it('collections delete refuses more than 200 ids; jsforce allowRecursive chunks them', async () => {
    const rows = sessionsFor(target, 201);
    const conn = connect();
    const err = await jsforceError(conn.sobject('AuthSession').destroy(rows.map((r) => r.Id)));
    expect(err.errorCode).toBe('EXCEEDED_ID_LIMIT');
    expect(org.count('AuthSession')).toBe(202);
    sf.resetRequests();
    const res = await conn.sobject('AuthSession').destroy(
      rows.map((r) => r.Id),
      { allowRecursive: true },
    );
    expect(res.filter((r) => r.success)).toHaveLength(201);
    expect(sf.apiCalls()).toHaveLength(2);
  });

  it('PATCH UserLogin and User: 204, unknown field, read-only field, missing record', async () => {
    const login = org.insert('UserLogin', { UserId: target.Id, IsFrozen: false }) as Row;
    const conn = connect();
    expect(await conn.sobject('UserLogin').update({ Id: login.Id, IsFrozen: true })).toEqual({ id: login.Id, success: true, errors: [] });
    expect(org.get(login.Id)?.IsFrozen).toBe(true);
    expect(org.get(login.Id)?.LastModifiedDate).toBe(NOW.toISOString());
    await conn.sobject('User').update({ Id: target.Id, IsActive: false });
    expect(org.get(target.Id)?.IsActive).toBe(false);
    const token = sf.issueToken('bot@example.com');
    const patch = (type: string, id: string, body: unknown) =>
      raw(`/services/data/v62.0/sobjects/${type}/${id}`, {
        method: 'PATCH',
        token,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const unknown = await patch('UserLogin', login.Id, { Nope: 1 });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual([{ message: "No such column 'Nope' on sobject of type UserLogin", errorCode: 'INVALID_FIELD' }]);
    const readOnly = await patch('UserLogin', login.Id, { UserId: bot.Id });
    expect(readOnly.status).toBe(400);
    expect(await readOnly.json()).toMatchObject([{ errorCode: 'INVALID_FIELD_FOR_INSERT_UPDATE', fields: ['UserId'] }]);
    expect((await patch('UserLogin', '060000000000ZZZAAA', { IsFrozen: true })).status).toBe(404);
    expect((await patch('UserLogin', login.Id, { IsFrozen: 'yes' })).status).toBe(400);
  });

  it('password reset and expiry check', async () => {
    const conn = connect();
    expect(await conn.requestGet(`/sobjects/User/${target.Id}/password`)).toEqual({ isExpired: false });
    const res = await conn.requestDelete<{ NewPassword: string }>(`/sobjects/User/${target.Id}/password`);
    expect(res.NewPassword).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(sf.passwordResets).toEqual([{ userId: target.Id, at: NOW, newPassword: res.NewPassword }]);
    expect(await conn.requestGet(`/sobjects/User/${target.Id}/password`)).toEqual({ isExpired: true });
    expect((await jsforceError(conn.requestDelete('/sobjects/User/005000000000ZZZAAA/password'))).errorCode).toBe('NOT_FOUND');
  });

  it('retrieves one record with rendered fields', async () => {
    const conn = connect();
    const user = await conn.sobject('User').retrieve(target.Id);
    expect(user).toMatchObject({
      attributes: { type: 'User', url: `/services/data/v62.0/sobjects/User/${target.Id}` },
      Id: target.Id,
      Username: 'target@example.com',
      LastLoginDate: null,
    });
  });
});

describe('composite', () => {
  it('runs subrequests as the caller inside one counted API call', async () => {
    const [a] = sessionsFor(target, 1);
    const login = org.insert('UserLogin', { UserId: target.Id, IsFrozen: false }) as Row;
    const conn = connect();
    sf.resetRequests();
    const res = await conn.request<{ compositeResponse: Array<{ httpStatusCode: number; referenceId: string; body: unknown }> }>({
      method: 'POST',
      url: '/services/data/v62.0/composite',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        allOrNone: false,
        compositeRequest: [
          {
            method: 'GET',
            referenceId: 'sessions',
            url: `/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM AuthSession WHERE UsersId = '${target.Id}'`)}`,
          },
          { method: 'PATCH', referenceId: 'freeze', url: `/services/data/v62.0/sobjects/UserLogin/${login.Id}`, body: { IsFrozen: true } },
          { method: 'DELETE', referenceId: 'kill', url: `/services/data/v62.0/composite/sobjects?ids=${a?.Id as string}` },
          { method: 'GET', referenceId: 'bad', url: '/services/data/v62.0/query?q=SELECT+Foo+FROM+AuthSession' },
        ],
      }),
    });
    expect(res.compositeResponse.map((r) => [r.referenceId, r.httpStatusCode])).toEqual([
      ['sessions', 200],
      ['freeze', 204],
      ['kill', 200],
      ['bad', 400],
    ]);
    expect(res.compositeResponse[0]?.body).toMatchObject({ totalSize: 1, done: true });
    expect(org.get(login.Id)?.IsFrozen).toBe(true);
    expect(org.get(a?.Id as string)).toBeUndefined();
    expect(sf.apiCalls()).toHaveLength(1);
    expect(conn.limitInfo.apiUsage?.used).toBe(1);
  });

  it('resolves @{ref.records[0].Id} references to earlier answers; a reference to no row halts that subrequest', async () => {
    sessionsFor(target, 2);
    const conn = connect();
    const composite = (username: string) =>
      conn.request<{ compositeResponse: Array<{ httpStatusCode: number; referenceId: string; body: unknown }> }>({
        method: 'POST',
        url: '/services/data/v62.0/composite',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          allOrNone: false,
          compositeRequest: [
            {
              method: 'GET',
              referenceId: 'users',
              url: `/services/data/v62.0/query?q=${encodeURIComponent(`SELECT Id FROM User WHERE Username = '${username}'`)}`,
            },
            {
              method: 'GET',
              referenceId: 'sessions',
              url: `/services/data/v62.0/query?q=${encodeURIComponent('SELECT Id FROM AuthSession WHERE UsersId = ')}'@{users.records[0].Id}'`,
            },
          ],
        }),
      });
    const found = await composite('target@example.com');
    expect(found.compositeResponse.map((r) => r.httpStatusCode)).toEqual([200, 200]);
    expect(found.compositeResponse[1]?.body).toMatchObject({ totalSize: 2 });
    const none = await composite('nobody@example.com');
    expect(none.compositeResponse[1]).toMatchObject({
      httpStatusCode: 400,
      body: [{ errorCode: 'PROCESSING_HALTED', message: 'Invalid reference specified. No value for users.records[0].Id found in users.' }],
    });
  });
});

describe('revoke', () => {
  it('revokes an OauthToken grant by DeleteToken, an issued access token, and rejects unknown/missing', async () => {
    org.insert('OauthToken', { UserId: target.Id, AppName: 'Data Loader', DeleteToken: 'del-123' });
    const revoke = (body: Record<string, string>) => raw('/services/oauth2/revoke', { method: 'POST', body: new URLSearchParams(body) });
    const ok = await revoke({ token: 'del-123' });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('');
    expect(org.count('OauthToken')).toBe(0);
    const token = sf.issueToken('bot@example.com');
    expect((await raw(`/services/oauth2/revoke?token=${encodeURIComponent(token)}`)).status).toBe(200);
    expect((await raw('/services/data/v62.0/limits', { token })).status).toBe(401);
    const unknown = await revoke({ token: 'del-123' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({ error: 'invalid_token', error_description: 'invalid token' });
    expect(await (await revoke({})).json()).toEqual({ error: 'unsupported_token_type', error_description: 'unsupported token type' });
  });
});

describe('faults', () => {
  it('alwaysUnauthorized, failNext with match, requestLimitExceeded, denyObject, latency, reset', async () => {
    const conn = connect();
    sf.faults.alwaysUnauthorized(true);
    expect((await jsforceError(conn.query('SELECT Id FROM User'))).errorCode).toBe('INVALID_SESSION_ID');
    sf.faults.alwaysUnauthorized(false);
    sf.faults.failNext({ status: 400, errorCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access to this record', match: /^PATCH / });
    await conn.query('SELECT Id FROM User');
    const login = org.insert('UserLogin', { UserId: target.Id, IsFrozen: false }) as Row;
    expect((await jsforceError(conn.sobject('UserLogin').update({ Id: login.Id, IsFrozen: true }))).errorCode).toBe('UNABLE_TO_LOCK_ROW');
    await conn.sobject('UserLogin').update({ Id: login.Id, IsFrozen: true });
    sf.faults.requestLimitExceeded(1);
    const limited = await jsforceError(conn.query('SELECT Id FROM User'));
    expect(limited).toMatchObject({ errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.' });
    sf.faults.denyObject('AuthSession', 'INVALID_TYPE');
    expect((await jsforceError(conn.query('SELECT Id FROM AuthSession'))).errorCode).toBe('INVALID_TYPE');
    sf.faults.latency(150);
    const started = Date.now();
    await conn.query('SELECT Id FROM User');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    sf.faults.reset();
    expect((await conn.query('SELECT COUNT() FROM AuthSession')).totalSize).toBe(1);
  });

  it('expireTokensAfter leaves tokens issued later working', async () => {
    const old = sf.issueToken('bot@example.com');
    sf.faults.expireTokensAfter(0);
    const fresh = sf.issueToken('bot@example.com');
    expect((await raw('/services/data/v62.0/limits', { token: fresh })).status).toBe(200);
    expect((await raw('/services/data/v62.0/limits', { token: old })).status).toBe(401);
    expect((await raw('/services/data/v62.0/limits', { token: fresh })).status).toBe(200);
  });
});

describe("the integration user's permissions (held by default, dropped by a test)", () => {
  const tokensFor = (user: Row, n: number, app = 'App'): void => {
    for (let i = 0; i < n; i += 1) {
      org.insert('OauthToken', { UserId: user.Id, AppName: `${app} ${i}`, DeleteToken: `del-${String(user.Id)}-${app}-${i}`, UseCount: 1 });
    }
  };

  it('are read back through PermissionSetAssignment, the profile permission set included', async () => {
    const conn = connect();
    const res = await conn.query<{ PermissionSet: Record<string, unknown> }>(
      'SELECT PermissionSet.IsOwnedByProfile, PermissionSet.PermissionsManageUsers, PermissionSet.PermissionsApiEnabled, ' +
        `PermissionSet.PermissionsCustomizeApplication, PermissionSet.PermissionsViewSetup FROM PermissionSetAssignment WHERE AssigneeId = '${bot.Id}'`,
    );
    expect(res.records.map((r) => r.PermissionSet)).toEqual([
      expect.objectContaining({
        IsOwnedByProfile: true,
        PermissionsManageUsers: true,
        PermissionsApiEnabled: true,
        PermissionsCustomizeApplication: true,
        PermissionsViewSetup: true,
      }),
    ]);
    setPermission(org, bot.Id, 'PermissionsCustomizeApplication', false);
    const after = await conn.query<{ PermissionSet: { PermissionsCustomizeApplication: boolean } }>(
      `SELECT PermissionSet.PermissionsCustomizeApplication FROM PermissionSetAssignment WHERE AssigneeId = '${bot.Id}'`,
    );
    expect(after.records.map((r) => r.PermissionSet.PermissionsCustomizeApplication)).toEqual([false]);
  });

  it("OauthToken without Customize Application: only the caller's own tokens, and no error", async () => {
    tokensFor(target, 3);
    tokensFor(bot, 1, 'Bot app');
    const conn = connect();
    expect((await conn.query(`SELECT AppName FROM OauthToken WHERE UserId = '${target.Id}'`)).totalSize).toBe(3);
    setPermission(org, bot.Id, 'PermissionsCustomizeApplication', false);
    expect(await conn.query(`SELECT AppName FROM OauthToken WHERE UserId = '${target.Id}'`)).toEqual({ totalSize: 0, done: true, records: [] });
    expect((await conn.query<{ AppName: string }>('SELECT AppName FROM OauthToken')).records.map((r) => r.AppName)).toEqual(['Bot app 0']);
  });

  it('OauthToken answers 500 rows a call whatever the batch size, and stops after 2,500', async () => {
    tokensFor(target, 2600);
    const conn = connect();
    sf.resetRequests();
    const res = await conn.query<{ AppName: string }>(`SELECT AppName FROM OauthToken WHERE UserId = '${target.Id}'`, {
      autoFetch: true,
      maxFetch: 10_000,
      headers: { 'Sforce-Query-Options': 'batchSize=2000' },
    });
    expect(res.records).toHaveLength(2500);
    expect(res.totalSize).toBe(2600);
    expect(sf.apiCalls()).toHaveLength(5);
  });

  it("without Manage Users, AuthSession and UserLogin are unknown objects and LoginHistory shows only the caller's rows", async () => {
    sessionsFor(target, 2);
    org.insert('LoginHistory', { UserId: target.Id, LoginTime: NOW.toISOString(), Status: 'Success' });
    const conn = connect();
    setPermission(org, bot.Id, 'PermissionsManageUsers', false);
    expect((await jsforceError(conn.query('SELECT Id FROM AuthSession'))).errorCode).toBe('INVALID_TYPE');
    expect((await jsforceError(conn.query('SELECT Id FROM UserLogin'))).errorCode).toBe('INVALID_TYPE');
    const history = await conn.query<{ UserId: string }>('SELECT UserId FROM LoginHistory');
    expect(new Set(history.records.map((r) => r.UserId))).toEqual(new Set([bot.Id]));
  });

  it('without Manage Users, ending sessions, freezing, deactivating and password resets are refused', async () => {
    const [session] = sessionsFor(target, 1);
    const login = org.insert('UserLogin', { UserId: target.Id, IsFrozen: false }) as Row;
    const token = sf.issueToken('bot@example.com');
    setPermission(org, bot.Id, 'PermissionsManageUsers', false);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await raw(`/services/data/v62.0${path}`, {
        method,
        token,
        ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
      return { status: res.status, body: await res.json() };
    };
    const refused = [{ message: 'insufficient access rights on object id', errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY' }];
    expect(await call('DELETE', `/sobjects/AuthSession/${session?.Id as string}`)).toEqual({ status: 403, body: refused });
    expect(await call('PATCH', `/sobjects/UserLogin/${login.Id}`, { IsFrozen: true })).toEqual({ status: 403, body: refused });
    expect(await call('PATCH', `/sobjects/User/${target.Id}`, { IsActive: false })).toEqual({ status: 403, body: refused });
    expect(await call('DELETE', `/sobjects/User/${target.Id}/password`)).toEqual({ status: 403, body: refused });
    expect(await call('DELETE', `/composite/sobjects?ids=${session?.Id as string}`)).toEqual({
      status: 200,
      body: [
        {
          id: session?.Id,
          success: false,
          errors: [{ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access rights on object id', fields: [] }],
        },
      ],
    });
    expect(org.get(session?.Id as string)).toBeDefined();
    expect(org.get(login.Id)?.IsFrozen).toBe(false);
    expect(org.get(target.Id)?.IsActive).toBe(true);
  });

  it('without API Enabled, every REST call is refused', async () => {
    const token = sf.issueToken('bot@example.com');
    setPermission(org, bot.Id, 'PermissionsApiEnabled', false);
    const res = await raw('/services/data/v62.0/limits', { token });
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual([{ message: 'API is disabled for this User', errorCode: 'API_CURRENTLY_DISABLED' }]);
  });

  it('refuses semi-joins on AuthSession and OauthToken (unconfirmed there), not on LoginHistory', async () => {
    const conn = connect();
    const semi = "IN (SELECT Id FROM User WHERE Username = 'target@example.com')";
    expect((await jsforceError(conn.query(`SELECT Id FROM AuthSession WHERE UsersId ${semi}`))).errorCode).toBe('MALFORMED_QUERY');
    expect((await jsforceError(conn.query(`SELECT AppName FROM OauthToken WHERE UserId ${semi}`))).errorCode).toBe('MALFORMED_QUERY');
    expect((await conn.query(`SELECT Id FROM LoginHistory WHERE UserId ${semi}`)).done).toBe(true);
  });
});
