/**
 * describeFailure blames the party really at fault. Every error here is produced the way the bot
 * meets it: by the real WebClient against the Slack stand-in, real jsforce against the
 * Salesforce stand-in, real better-sqlite3 and pg (the test run's throwaway PostgreSQL), and
 * real JavaScript mistakes.
 */
import BetterSqlite3 from 'better-sqlite3';
import { Connection } from 'jsforce';
import { Client } from 'pg';
import { WebClient } from '@slack/web-api';
import { databaseEndpoint, describeFailure, type FailureDescription } from '../src/describe-failure';
import { SalesforceError } from '../src/salesforce/errors';
import { SalesforceRest } from '../src/salesforce/rest';
import { openDatabase } from '../src/store';
import { toStoreError } from '../src/store/errors';
import { Org } from './standins/salesforce/org';
import { startSalesforce, type SalesforceStandIn } from './standins/salesforce/server';
import { testKeyPair } from './standins/salesforce/keys';
import { quietLogger } from './standins/slack/quiet-logger';
import { startSlack, type SlackStandIn } from './standins/slack/server';
import { closedPort, thrown } from './support/failures';

// Made up: only the local Slack stand-in accepts it; the tests below prove it never reaches a sentence.
const BOT = 'xoxb-describe-failure-1234';
let slack: SlackStandIn;
let sf: SalesforceStandIn;

function testDatabaseUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is set by test/support/global-setup.ts');
  return url;
}

/** Nothing but codes and fixed words: no stack frames, no URLs, no token. */
function expectClean(d: FailureDescription): void {
  expect(d.sentence).not.toMatch(/\n\s+at |https?:\/\/|xoxb-|127\.0\.0\.1/);
}

beforeAll(async () => {
  slack = await startSlack({ signingSecret: 's', botToken: BOT, appToken: 'xapp-describe-failure' });
  slack.addUser({ id: 'U0ALICE01' });
  const org = new Org();
  org.insert('User', { Username: 'bot@example.com', Name: 'Warden Bot', IsActive: true });
  sf = await startSalesforce({ org, jwt: { clientId: 'cid', publicKeyPem: testKeyPair().publicKeyPem } });
});
afterAll(async () => {
  await slack.close();
  await sf.close();
});

describe('the bot itself', () => {
  it('is blamed for a TypeError, a RangeError and anything else unrecognised — never Salesforce', async () => {
    const typeError = await thrown(() => (JSON.parse('null') as { id: string }).id);
    const rangeError = await thrown(() => new Date(Number.NaN).toISOString());
    for (const [err, name] of [
      [typeError, 'TypeError'],
      [rangeError, 'RangeError'],
      [new Error('plain'), 'Error'],
      ['a thrown string', 'string'],
    ] as const) {
      const d = describeFailure(err);
      expect(d).toEqual({ cause: 'bot', sentence: `The bot hit an internal error (${name}); the log has the detail.` });
      expect(d.sentence).not.toContain('Salesforce');
    }
  });

  it('names the log reference, and never the message (which may hold anything)', () => {
    const d = describeFailure(new TypeError(`token ${BOT} at https://example.invalid/x`), { reference: 'ref-1a2b3c4d' });
    expect(d).toEqual({ cause: 'bot', sentence: 'The bot hit an internal error (TypeError); the log has the detail with reference ref-1a2b3c4d.' });
    expectClean(d);
  });
});

describe('Slack', () => {
  const client = () => new WebClient(BOT, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });

  it('is blamed for Web API failures, transient or final', async () => {
    slack.failNext('chat.postMessage', 'internal_error');
    const internal = describeFailure(await thrown(() => client().chat.postMessage({ channel: 'C1', text: 'x' })));
    expect(internal).toEqual({ cause: 'slack', sentence: 'Slack had a problem on its side (internal_error); try again in a minute.' });

    slack.faults.storm({ kind: 'http500', methods: ['users.info'], forMs: 60_000 });
    const http = describeFailure(await thrown(() => client().users.info({ user: 'U0ALICE01' })));
    slack.faults.heal();
    expect(http.cause).toBe('slack');

    const badToken = describeFailure(
      await thrown(() => new WebClient('xoxb-wrong', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger }).auth.test()),
    );
    expect(badToken.cause).toBe('slack');
    expect(badToken.sentence).toContain('SLACK_BOT_TOKEN');
    for (const d of [internal, http, badToken]) expectClean(d);
  });

  it('is found inside a wrapper that kept it as the cause', async () => {
    slack.failNext('views.open', 'expired_trigger_id');
    const slackErr = await thrown(() =>
      client().views.open({ trigger_id: 't', view: { type: 'modal', title: { type: 'plain_text', text: 'x' }, blocks: [] } }),
    );
    const d = describeFailure(new Error('could not open the request form', { cause: slackErr }));
    expect(d).toEqual({ cause: 'slack', sentence: "Slack refused the bot's request (expired_trigger_id). The log has the detail." });
  });
});

describe('Salesforce', () => {
  it('is blamed for what Salesforce said, through the bot and through jsforce directly', async () => {
    const conn = new Connection({ instanceUrl: sf.url, accessToken: 'not-a-token', version: '62.0' });
    const viaRest = await thrown(() => new SalesforceRest(conn, { apiVersion: '62.0', batchSize: 200, timeoutMs: 5_000 }).queryAll('SELECT Id FROM User'));
    expect(viaRest).toBeInstanceOf(SalesforceError);
    expect(describeFailure(viaRest)).toEqual({ cause: 'salesforce', sentence: expect.stringContaining("Salesforce rejected the bot's login") as unknown });

    const raw = await thrown(() => conn.query('SELECT Id FROM User'));
    expect(raw).not.toBeInstanceOf(SalesforceError);
    expect(describeFailure(raw).cause).toBe('salesforce');

    const limit = describeFailure(new SalesforceError('REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'));
    expect(limit).toEqual({ cause: 'salesforce', sentence: expect.stringContaining('REQUEST_LIMIT_EXCEEDED') as unknown });
    expectClean(limit);
  });
});

describe('the database', () => {
  it('is blamed for SQLite errors, worded by their SQLITE_* code', async () => {
    const db = new BetterSqlite3(':memory:');
    try {
      db.exec('CREATE TABLE t (id TEXT PRIMARY KEY)');
      db.prepare('INSERT INTO t VALUES (?)').run('a');
      const constraint = await thrown(() => db.prepare('INSERT INTO t VALUES (?)').run('a'));
      expect(describeFailure(constraint)).toEqual({
        cause: 'database',
        sentence: "The bot's database refused the request (SQLITE_CONSTRAINT_PRIMARYKEY). The log has the detail.",
      });
      // Wrapped by the store, the driver's code still shows.
      expect(describeFailure(toStoreError(constraint, 'sqlite::memory:')).sentence).toContain('SQLITE_CONSTRAINT_PRIMARYKEY');
      const missing = await thrown(() => db.prepare('SELECT * FROM nowhere').all());
      expect(describeFailure(missing)).toMatchObject({ cause: 'database', sentence: expect.stringContaining('SQLITE_ERROR') as unknown });
    } finally {
      db.close();
    }
  });

  it('is blamed for PostgreSQL errors, worded by SQLSTATE', async () => {
    const client = new Client({ connectionString: testDatabaseUrl() });
    await client.connect();
    try {
      const undefinedTable = await thrown(() => client.query('SELECT * FROM no_such_table'));
      const d = describeFailure(undefinedTable);
      expect(d).toEqual({
        cause: 'database',
        sentence: "The database rejected the bot's statement (SQLSTATE 42P01); its schema may not match this version of the bot. The log has the detail.",
      });
      expectClean(d);
    } finally {
      await client.end();
    }
    const url = new URL(testDatabaseUrl());
    url.pathname = '/no_such_database_here';
    const noDb = new Client({ connectionString: url.toString() });
    const missing = await thrown(() => noDb.connect());
    await noDb.end().catch(() => undefined);
    expect(describeFailure(missing)).toEqual({ cause: 'database', sentence: 'The database named in DATABASE_URL does not exist (SQLSTATE 3D000).' });
  });

  it("is blamed for a refused connection to DATABASE_URL's server, and only to that server", async () => {
    const port = await closedPort();
    const client = new Client({ host: '127.0.0.1', port, user: 'x', database: 'x', connectionTimeoutMillis: 2_000 });
    const refused = await thrown(() => client.connect());
    await client.end().catch(() => undefined);
    const database = databaseEndpoint(`postgres://warden:secret@127.0.0.1:${port}/warden`);
    const d = describeFailure(refused, { database });
    expect(d).toEqual({
      cause: 'database',
      sentence:
        'The bot cannot reach its database (ECONNREFUSED); try again in a minute. If it lasts, check that PostgreSQL is running where DATABASE_URL points.',
    });
    expect(d.sentence).not.toContain('secret');
    // Another server's refusal is not the database's.
    expect(describeFailure(refused, { database: { host: '127.0.0.1', port: port + 1 } }).cause).toBe('bot');
    expect(describeFailure(refused).cause).toBe('bot');
  });

  it("is blamed through the store's StoreError", async () => {
    const port = await closedPort();
    const err = await thrown(() => openDatabase(`postgres://warden@127.0.0.1:${port}/warden`, { connectTimeoutMs: 2_000 }));
    const d = describeFailure(err);
    expect(d.cause).toBe('database');
    expect(d.sentence).toMatch(/cannot reach its database/);
    expectClean(d);
  });
});

describe('databaseEndpoint', () => {
  it('reads host and port of a PostgreSQL URL, and nothing for SQLite', () => {
    expect(databaseEndpoint('postgres://u:p@db.internal:6543/warden')).toEqual({ host: 'db.internal', port: 6543 });
    expect(databaseEndpoint('postgresql://db.internal/warden')).toEqual({ host: 'db.internal', port: 5432 });
    expect(databaseEndpoint('postgres://[::1]:5433/w')).toEqual({ host: '::1', port: 5433 });
    expect(databaseEndpoint('sqlite:./data/warden.db')).toBeNull();
    expect(databaseEndpoint('sqlite::memory:')).toBeNull();
  });
});
