/**
 * The bot's own database failing under the real bot: the SQLite file deleted while it runs, a
 * DATABASE_URL that cannot be opened, PostgreSQL gone. What people see must name the database
 * (never Salesforce), nothing may be reported done that was not recorded, and the audit chain
 * head a request message stated must expose a database that was replaced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { run as verifyAudit } from '../../src/cli/verify-audit';
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { openDatabase } from '../../src/store';
import { everything } from '../standins/salesforce/scenarios';
import { startSalesforce, type SalesforceStandIn } from '../standins/salesforce/server';
import { testKeyPair } from '../standins/salesforce/keys';
import { startSlack, type SlackStandIn } from '../standins/slack/server';
import { click, requestAction, roots, waitForState } from '../support/approval-flow';
import { startBotProcess } from '../support/bot-process';
import { BOT_TOKEN, COMMAND_CHANNEL, PEOPLE, SF_CLIENT_ID, SIGNING_SECRET, botEnv, healthOf, replyText, startHarness, type Harness } from '../support/harness';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const now = new Date();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Neither a JavaScript error class nor a stack frame may reach a person. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/TypeError|ReferenceError/);
  expect(text).not.toMatch(/\n\s+at |at .*\.(ts|js):\d+/);
}

/**
 * Clicks a request button and submits its form, without expecting the request to be recorded:
 * resolves with what the requester is told where they ran /sessions.
 */
async function submitRequestForm(h: Harness, actionId: string, value: string): Promise<string> {
  const viewsBefore = new Set(h.slack.views.keys());
  const clicked = await h.driver.blockAction({
    user_id: PEOPLE.admin.id,
    channel_id: COMMAND_CHANNEL,
    ephemeral: true,
    actions: [{ action_id: actionId, value }],
  });
  const view = await h.slack.waitFor(
    () => [...h.slack.views.values()].find((v) => !viewsBefore.has(v.id) && h.slack.callsTo('views.update').some((c) => c.args.view_id === v.id)),
    10_000,
    'the request form with its blast radius',
  );
  // The form was filled from Salesforce, which is healthy: the failure can only come from the database.
  expect(JSON.stringify(view.view)).toContain('reason_input');
  const res = await h.driver.viewSubmission({
    user_id: PEOPLE.admin.id,
    view: {
      id: view.id,
      callback_id: 'action_request',
      state: { values: { reason: { reason_input: { type: 'plain_text_input', value: 'Signed in from two countries at once' } } } },
    },
  });
  expect(res.status).toBe(200);
  const told = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === clicked.responseUrl), 10_000, 'the answer to the requester');
  return replyText(told.body as object);
}

function closedLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('the SQLite file deleted under the running bot', () => {
  let dir: string;
  let file: string;
  let url: string;
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-storage-'));
    file = path.join(dir, 'warden.db');
    url = `sqlite:${file}`;
    ids = everything({ now });
    h = await startHarness({ org: ids.org, env: { DATABASE_URL: url } });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('health is 503 naming the database, a request is refused in words about the database, and the stated audit head exposes the fresh file', async () => {
    // A request carried to the end first: its final message states the audit chain head.
    const done = await requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    await click(h, PEOPLE.approver.id, done, ACTIONS.approve);
    const final = replyText(await waitForState(h, done, /Approved and done/));
    const stated = /Audit chain head after this request: `(\d+:[0-9a-f]{64})`/.exec(final)?.[1];
    if (!stated) throw new Error(`no audit chain head in the final request message: ${final}`);
    expect((await healthOf(h.port)).status).toBe(200);

    rmSync(file);

    const health = await healthOf(h.port);
    expect(health.status).toBe(503);
    expect(health.report).toMatchObject({
      ok: false,
      salesforce: 'ok',
      database: { degraded: expect.stringContaining(`the database file ${file} was deleted`) as unknown },
    });

    // Reading Salesforce needs no database: /sessions still answers.
    expect(replyText((await h.command('bob@acme.com')).reply)).toContain('Bob Baker');

    const postedBefore = roots(h).length;
    const told = await submitRequestForm(h, ACTIONS.removeAll, encodeValue({ u: ids.compromised.userId }));
    expect(told).toContain(
      "The bot's SQLite database file was deleted or replaced while the bot was running; restart the bot and check the file. Nothing was requested.",
    );
    expect(told).not.toMatch(/Salesforce/);
    expectNoInternals(told);
    // Salesforce was not touched by the refused request, and nothing was posted for approval.
    expect(ids.org.get(ids.compromised.userLoginId)?.IsFrozen).not.toBe(true);
    expect(roots(h)).toHaveLength(postedBefore);

    // Before anything recreates the file, the operator's check says there is nothing to check.
    const missing = await runVerify(url, stated);
    expect(missing.code).toBe(1);
    expect(missing.text).toContain(`No database at ${file}`);

    // A restart would create a fresh, empty database at the path; the running bot never adopts it.
    const fresh = await openDatabase(url);
    try {
      await sleep(500);
      expect((await healthOf(h.port)).status).toBe(503);
      expect(roots(h)).toHaveLength(postedBefore);
      const rows = await fresh.db.selectFrom('requests').select(['id', 'state']).execute();
      expect(rows).toEqual([]);
    } finally {
      await fresh.close();
    }

    // `npm run audit:verify -- --expect-head <stated>` against the fresh file: the chain was replaced.
    const replaced = await runVerify(url, stated);
    expect(replaced.code).toBe(3);
    expect(replaced.text).toContain('the database was emptied or replaced');
    console.info(
      `deleted SQLite file: health ${health.status} "${JSON.stringify(health.report.database)}"; requester told "${told.split('\n')[0]}"; audit:verify on the fresh file exits ${replaced.code}`,
    );
  });
});

async function runVerify(databaseUrl: string, head: string): Promise<{ code: number; text: string }> {
  const out: string[] = [];
  const io = { stdout: (t: string) => void out.push(t), stderr: (t: string) => void out.push(t) };
  const code = await verifyAudit(['--expect-head', head], { DATABASE_URL: databaseUrl }, io);
  return { code, text: out.join('\n') };
}

describe('the real process with a database it cannot use', () => {
  let sf: SalesforceStandIn;
  let slack: SlackStandIn;
  beforeAll(async () => {
    sf = await startSalesforce({ org: everything({ now }).org, jwt: { clientId: SF_CLIENT_ID, publicKeyPem: testKeyPair().publicKeyPem } });
    slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  });
  afterAll(async () => {
    await slack.close();
    await sf.close();
  });

  async function startFails(databaseUrl: string): Promise<{ code: number | null; line: string; elapsedMs: number }> {
    const started = Date.now();
    const bot = startBotProcess(botEnv(slack, sf, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' }));
    let timer: NodeJS.Timeout | undefined;
    const stillRunning = new Promise<{ code: number | null }>((resolve) => {
      timer = setTimeout(() => resolve({ code: -1 }), 15_000);
    });
    try {
      const { code } = await Promise.race([bot.exited, stillRunning]);
      const err = bot.stderr.join('');
      expectNoInternals(err);
      const lines = err.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      return { code, line: lines[0] ?? '', elapsedMs: Date.now() - started };
    } finally {
      clearTimeout(timer);
      bot.child.kill('SIGKILL');
    }
  }

  it('DATABASE_URL under an impossible path: exits at once with one line naming the database and the path', async () => {
    const result = await startFails('sqlite:/proc/nope/warden.db');
    expect(result.code).toBe(1);
    expect(result.line).toBe(
      'Session Warden stopped: the database: cannot create sqlite file /proc/nope/warden.db: folder /proc/nope cannot be created (ENOENT)',
    );
    expect(result.elapsedMs).toBeLessThan(10_000);
    expect(sf.tokenRequests()).toEqual([]);
    console.info(`impossible SQLite path: exit ${result.code} after ${result.elapsedMs} ms: ${result.line}`);
  }, 20_000);

  it('PostgreSQL not listening where DATABASE_URL points: exits with one line naming the database, not Salesforce', async () => {
    const port = await closedLoopbackPort();
    const result = await startFails(`postgres://warden:pw-not-shown@127.0.0.1:${port}/warden`);
    expect(result.code).toBe(1);
    expect(result.line).toContain(`the database (PostgreSQL 127.0.0.1:${port}/warden) is unreachable`);
    expect(result.line).toContain('ECONNREFUSED');
    expect(result.line).not.toMatch(/Salesforce/i);
    expect(result.line).not.toContain('pw-not-shown');
    console.info(`PostgreSQL down at start: exit ${result.code} after ${result.elapsedMs} ms: ${result.line}`);
  }, 20_000);
});

describe('PostgreSQL gone under the running bot', () => {
  let pg: TestDatabase;
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    pg = await createTestDatabase();
    ids = everything({ now });
    h = await startHarness({ org: ids.org, env: { DATABASE_URL: pg.url } });
  });
  afterAll(async () => {
    await h.close();
    await pg.drop();
  });

  it('health is 503 naming the database, and a request is refused in words about the database, not Salesforce', async () => {
    expect((await healthOf(h.port)).status).toBe(200);
    const name = new URL(pg.url).pathname.slice(1);
    const admin = new Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    try {
      // Ends the bot's connections and removes the database, as a failed server or an admin would.
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    } finally {
      await admin.end();
    }

    const health = await healthOf(h.port);
    expect(health.status).toBe(503);
    expect(health.report).toMatchObject({
      ok: false,
      salesforce: 'ok',
      database: { degraded: expect.stringContaining('the database (PostgreSQL') as unknown },
    });

    expect(replyText((await h.command('bob@acme.com')).reply)).toContain('Bob Baker');

    const postedBefore = roots(h).length;
    const told = await submitRequestForm(h, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    expect(told).toMatch(/database/);
    expect(told).toContain('Nothing was requested.');
    expect(told).not.toMatch(/Salesforce/);
    expectNoInternals(told);
    expect(roots(h)).toHaveLength(postedBefore);
    expect(ids.org.get(ids.quiet.userLoginId)?.IsFrozen).not.toBe(true);
    console.info(`PostgreSQL dropped: health ${health.status} "${JSON.stringify(health.report.database)}"; requester told "${told.split('\n')[0]}"`);
  });
});
