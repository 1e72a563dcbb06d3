/**
 * How the real bot reaches the two stand-ins: the made-up credentials they accept and the
 * environment an operator would set to point the bot at them by URL. Shared by the test harness
 * and `npm run demo`, which each add their own settings (who may act, monitor, database).
 */
import { testKeyPair } from './salesforce/keys';
import { BOT_USERNAME } from './salesforce/scenarios';
import type { SalesforceStandIn } from './salesforce/server';
import type { SlackStandIn } from './slack/server';

export const SIGNING_SECRET = 'test-signing-secret-8f2a';
export const BOT_TOKEN = 'xoxb-1111-2222-testbottoken';
export const APP_TOKEN = 'xapp-1-A111-testapptoken';
export const SF_CLIENT_ID = '3MVG9-test-consumer-key';

/** Slack and Salesforce settings for a bot in HTTP mode on a free port, logging in with the JWT bearer flow. */
export function connectionEnv(slack: Pick<SlackStandIn, 'apiUrl'>, sf: Pick<SalesforceStandIn, 'url'>): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: BOT_TOKEN,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: '0',
    SF_LOGIN_URL: sf.url,
    SF_CLIENT_ID,
    SF_USERNAME: BOT_USERNAME,
    SF_PRIVATE_KEY: testKeyPair().privateKeyPem,
  };
}
