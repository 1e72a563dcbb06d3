/**
 * kill -9 of a real bot process with a message still owed to Slack: the outbox row is in the
 * database, so the restarted bot delivers it, once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS, encodeValue } from '../../../src/slack/views/action-ids';
import { everything } from '../../standins/salesforce/scenarios';
import { startSalesforce, type SalesforceStandIn } from '../../standins/salesforce/server';
import { testKeyPair } from '../../standins/salesforce/keys';
import { startSlack, type SlackStandIn } from '../../standins/slack/server';
import { requestAction, roots } from '../../support/approval-flow';
import { startBotProcess, type BotProcess } from '../../support/bot-process';
import { BOT_TOKEN, SF_CLIENT_ID, SIGNING_SECRET, botEnv, replyText, seedSlack } from '../../support/harness';

describe('the Slack outbox across kill -9', () => {
  let sf: SalesforceStandIn;
  let slack: SlackStandIn;
  let dir: string;
  const running: BotProcess[] = [];

  beforeAll(async () => {
    sf = await startSalesforce({ org: everything({ now: new Date() }).org, jwt: { clientId: SF_CLIENT_ID, publicKeyPem: testKeyPair().publicKeyPem } });
    slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    seedSlack(slack);
    dir = mkdtempSync(path.join(tmpdir(), 'warden-outbox-kill-'));
  });
  afterAll(async () => {
    for (const b of running) b.child.kill('SIGKILL');
    await slack.close();
    await sf.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function launch(dbUrl: string) {
    const bot = startBotProcess(botEnv(slack, sf, { DATABASE_URL: dbUrl, LOG_LEVEL: 'info' }));
    running.push(bot);
    const line = await bot.waitForLine(/Session Warden is running/, 30_000);
    const { port } = JSON.parse(line) as { port: number };
    return { bot, ctx: { slack, driver: slack.httpDriver(`http://127.0.0.1:${port}/slack/events`) } };
  }

  it('posts the request queued before the crash once the bot is back, once, and confirms it once', async () => {
    const dbUrl = `sqlite:${path.join(dir, 'warden.db')}`;
    const ids = everything({ now: new Date() });
    const first = await launch(dbUrl);
    slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 120_000 });
    const before = roots(first.ctx).length;
    const asking = requestAction(first.ctx, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    asking.catch(() => undefined);
    await slack.waitFor(() => slack.callsTo('chat.postMessage').some((c) => c.fault === 'storm'), 15_000, 'the outbox trying the post');
    first.bot.child.kill('SIGKILL');
    expect((await first.bot.exited).signal).toBe('SIGKILL');
    slack.faults.heal();
    const postsBeforeRestart = slack.delivered('chat.postMessage').length;

    await launch(dbUrl);
    const posted = await asking;
    expect(roots(first.ctx).length).toBe(before + 1);
    expect(slack.delivered('chat.postMessage').length - postsBeforeRestart).toBe(1);
    const mine = roots(first.ctx).filter((m) => JSON.stringify(m.blocks).includes(posted.requestId));
    expect(mine).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 1_500)); // room for a duplicate to show up, if there were one
    expect(slack.responses.filter((r) => !r.fault && replyText(r.body as object).includes(posted.requestId))).toHaveLength(1);
  }, 90_000);
});
