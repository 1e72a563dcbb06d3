/**
 * kill -9 of a real bot process at the worst moments, with the request store in a SQLite file:
 * nothing is lost, and nothing is executed twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { openDatabase, RequestsStore } from '../../src/store';
import { everything } from '../standins/salesforce/scenarios';
import { startSalesforce, type SalesforceStandIn } from '../standins/salesforce/server';
import { testKeyPair } from '../standins/salesforce/keys';
import { startSlack, type SlackStandIn } from '../standins/slack/server';
import { click, requestAction, waitForState, type FlowContext, type Posted } from '../support/approval-flow';
import { startBotProcess, type BotProcess } from '../support/bot-process';
import { BOT_TOKEN, PEOPLE, SF_CLIENT_ID, SIGNING_SECRET, botEnv, seedSlack } from '../support/harness';

describe('a crash (kill -9) loses nothing and executes nothing twice', () => {
  let sf: SalesforceStandIn;
  let slack: SlackStandIn;
  let ids: ReturnType<typeof everything>;
  let dir: string;
  let dbUrl: string;
  const running: BotProcess[] = [];

  beforeAll(async () => {
    ids = everything({ now: new Date() });
    sf = await startSalesforce({ org: ids.org, jwt: { clientId: SF_CLIENT_ID, publicKeyPem: testKeyPair().publicKeyPem } });
    slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    seedSlack(slack);
    dir = mkdtempSync(path.join(tmpdir(), 'warden-crash-'));
    dbUrl = `sqlite:${path.join(dir, 'warden.db')}`;
  });
  afterAll(async () => {
    for (const b of running) b.child.kill('SIGKILL');
    await slack.close();
    await sf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function launch(): Promise<{ bot: BotProcess; ctx: FlowContext }> {
    const bot = startBotProcess(botEnv(slack, sf, { DATABASE_URL: dbUrl, LOG_LEVEL: 'info' }));
    running.push(bot);
    const line = await bot.waitForLine(/Session Warden is running/, 30_000);
    const { port } = JSON.parse(line) as { port: number };
    return { bot, ctx: { slack, driver: slack.httpDriver(`http://127.0.0.1:${port}/slack/events`) } };
  }

  /** Waits for the request message to reach a state; on failure shows the bot's last log lines. */
  async function settled(run: { bot: BotProcess; ctx: FlowContext }, posted: Posted, words: RegExp) {
    try {
      return await waitForState(run.ctx, posted, words);
    } catch (err) {
      throw new Error(`${(err as Error).message}\nbot log:\n${run.bot.stdout.slice(-20).join('\n')}\n${run.bot.stderr.join('')}`);
    }
  }

  async function kill9(bot: BotProcess): Promise<void> {
    bot.child.kill('SIGKILL');
    const { signal } = await bot.exited;
    expect(signal).toBe('SIGKILL');
  }

  it('between request and approval: the pending request survives and is approved after restart', async () => {
    const first = await launch();
    const posted = await requestAction(first.ctx, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    await kill9(first.bot);

    const second = await launch();
    await click(second.ctx, PEOPLE.approver.id, posted, ACTIONS.approve);
    await settled(second, posted, /Approved and done/);
    expect(sf.org.get(ids.quiet.userLoginId)?.IsFrozen).toBe(true);
    await kill9(second.bot);
  }, 90_000);

  it('between creating a request and recording its Slack message: the bot posts it on restart', async () => {
    const db = await openDatabase(dbUrl);
    let requestId: string;
    try {
      const created = await new RequestsStore(db).create(
        {
          kind: 'unfreeze',
          target: { userId: ids.inactiveAndFrozen.erinId, username: 'erin@acme.com', name: 'Erin Evans', email: 'erin@acme.com' },
          params: {},
          reason: 'Confirmed with Erin by phone',
          requestedBy: PEOPLE.admin.id,
          requiredApprovals: 1,
          evidence: null,
          expiresAt: new Date(Date.now() + 3_600_000),
        },
        new Date(),
      );
      requestId = created.id;
    } finally {
      await db.close();
    }
    const before = slack.messages.length;
    const run = await launch();
    const msg = await slack.waitFor(() => slack.messages.slice(before).find((m) => JSON.stringify(m.blocks).includes(requestId)), 15_000);
    const posted = { ts: msg.ts, requestId };
    await click(run.ctx, PEOPLE.approver.id, posted, ACTIONS.approve);
    await settled(run, posted, /Approved and done/);
    expect(sf.org.get(ids.inactiveAndFrozen.erinUserLoginId)?.IsFrozen).toBe(false);
    await kill9(run.bot);
  }, 90_000);

  it('between approval and execution: an approved request that never started runs once on restart', async () => {
    const first = await launch();
    const posted = await requestAction(first.ctx, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: ids.compromised.sanFranciscoRootId }));
    await kill9(first.bot);
    // The approval write lands, then the process dies before the executing transition.
    const db = await openDatabase(dbUrl);
    try {
      const { request } = await new RequestsStore(db).addApproval(posted.requestId, PEOPLE.approver.id, new Date());
      expect(request.state).toBe('approved');
    } finally {
      await db.close();
    }
    sf.resetRequests();
    const second = await launch();
    await settled(second, posted, /Approved and done/);
    expect(sf.org.get(ids.compromised.sanFranciscoRootId)).toBeUndefined();
    expect(sf.apiCalls().filter((c) => c.method === 'DELETE')).toHaveLength(1);
    await kill9(second.bot);
  }, 90_000);

  it('during execution: the delete already sent is found done on restart and not sent again', async () => {
    const first = await launch();
    const posted = await requestAction(first.ctx, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: ids.compromised.oldRootId }));
    sf.resetRequests();
    sf.faults.latency(1500);
    await click(first.ctx, PEOPLE.approver.id, posted, ACTIONS.approve);
    // The DELETE has reached Salesforce and is being processed: kill the bot now.
    await slack.waitFor(() => sf.requests.find((r) => r.method === 'DELETE' && r.status === 0), 15_000, 'the DELETE in flight');
    await kill9(first.bot);
    await slack.waitFor(() => sf.requests.find((r) => r.method === 'DELETE' && r.status !== 0), 15_000, 'Salesforce finishing the DELETE');
    sf.faults.reset();
    expect(sf.org.get(ids.compromised.oldRootId)).toBeUndefined();

    const second = await launch();
    const done = await settled(second, posted, /Approved and done|Failed/);
    expect(JSON.stringify(done.blocks)).not.toContain(ACTIONS.approve);
    expect(sf.apiCalls().filter((c) => c.method === 'DELETE')).toHaveLength(1);
    const db = await openDatabase(dbUrl);
    try {
      const r = await new RequestsStore(db).get(posted.requestId);
      expect(r?.state).toBe('done');
    } finally {
      await db.close();
    }
    await kill9(second.bot);
  }, 90_000);
});
