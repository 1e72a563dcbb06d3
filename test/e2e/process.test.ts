/** The real entry point in its own process: start-up errors, HTTP health, graceful SIGTERM. */
import { everything } from '../standins/salesforce/scenarios';
import { startSalesforce, type SalesforceStandIn } from '../standins/salesforce/server';
import { testKeyPair } from '../standins/salesforce/keys';
import { startSlack, type SlackStandIn } from '../standins/slack/server';
import { startBotProcess } from '../support/bot-process';
import { BOT_TOKEN, SF_CLIENT_ID, SIGNING_SECRET, botEnv } from '../support/harness';

describe('the bot process', () => {
  it('refuses to start with one clear message listing every missing key, and no stack trace', async () => {
    const bot = startBotProcess({ SLACK_BOT_TOKEN: 'xoxb-secret-value-123', PORT: 'abc' });
    const { code } = await bot.exited;
    const err = bot.stderr.join('');
    expect(code).toBe(2);
    expect(err).toContain('Session Warden cannot start; fix the configuration:');
    for (const key of ['SLACK_SIGNING_SECRET', 'PORT', 'SECURITY_CHANNEL', 'Salesforce credentials', 'ADMINS and APPROVERS']) expect(err).toContain(key);
    expect(err).not.toMatch(/\n\s+at /);
    expect(err).not.toContain('secret-value');
  });

  describe('running in HTTP mode', () => {
    let sf: SalesforceStandIn;
    let slack: SlackStandIn;
    beforeAll(async () => {
      sf = await startSalesforce({ org: everything({ now: new Date() }).org, jwt: { clientId: SF_CLIENT_ID, publicKeyPem: testKeyPair().publicKeyPem } });
      slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    });
    afterAll(async () => {
      await slack.close();
      await sf.close();
    });

    it('serves /healthz and /slack/events, and shuts down cleanly on SIGTERM', async () => {
      const bot = startBotProcess(botEnv(slack, sf, { LOG_LEVEL: 'info' }));
      try {
        const line = await bot.waitForLine(/Session Warden is running/);
        const port = (JSON.parse(line) as { port: number }).port;
        const health = await fetch(`http://127.0.0.1:${port}/healthz`);
        expect(health.status).toBe(200);
        const unsigned = await fetch(`http://127.0.0.1:${port}/slack/events`, {
          method: 'POST',
          body: 'command=%2Fsessions',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(unsigned.status).toBe(401);
        bot.child.kill('SIGTERM');
        const { code } = await bot.exited;
        expect(code).toBe(0);
        expect(bot.stdout.some((l) => l.includes('shutting down'))).toBe(true);
        expect(bot.stdout.join('\n')).not.toContain(BOT_TOKEN);
      } finally {
        bot.child.kill('SIGKILL');
      }
    });
  });
});
