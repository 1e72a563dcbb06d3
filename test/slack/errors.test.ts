/**
 * classifySlackError over the errors @slack/web-api really throws: each one is produced by the
 * real WebClient against the Slack stand-in (or a closed loopback port), never built by hand —
 * except Bolt's RespondError, which only Bolt's respond() creates.
 */
import { RespondError } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import { classifySlackError } from '../../src/slack/errors';
import { quietLogger } from '../standins/slack/quiet-logger';
import { startSlack, type SlackStandIn } from '../standins/slack/server';
import { closedPort, thrown } from '../support/failures';

const BOT = 'xoxb-errors-test';
let slack: SlackStandIn;

function client(extra: Record<string, unknown> = {}, token = BOT): WebClient {
  return new WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger, ...extra });
}

beforeAll(async () => {
  slack = await startSlack({ signingSecret: 's', botToken: BOT, appToken: 'xapp-errors-test' });
  slack.addUser({ id: 'U0ALICE01', profile: { email: 'alice@acme.com' } });
});
afterEach(() => slack.faults.reset());
afterAll(() => slack.close());

describe('classifySlackError', () => {
  it.each(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout'])('calls {ok:false, error:%s} transient', async (error) => {
    slack.failNext('users.info', error);
    const failure = classifySlackError(await thrown(client().users.info({ user: 'U0ALICE01' })));
    expect(failure).toEqual({ transient: true, code: error, sentence: `Slack had a problem on its side (${error}); try again in a minute.` });
  });

  it('calls user_not_found and the installation errors final, naming what to fix', async () => {
    const notFound = classifySlackError(await thrown(client().users.info({ user: 'U0NOBODY9' })));
    expect(notFound).toMatchObject({ transient: false, code: 'user_not_found' });

    const badToken = classifySlackError(await thrown(client({}, 'xoxb-wrong').users.info({ user: 'U0ALICE01' })));
    expect(badToken).toMatchObject({ transient: false, code: 'invalid_auth' });
    expect(badToken?.sentence).toContain('SLACK_BOT_TOKEN');
    expect(badToken?.sentence).not.toContain('xoxb-');

    slack.failNext('users.info', 'missing_scope', { needed: 'users:read.email', provided: 'users:read' });
    const scope = classifySlackError(await thrown(client().users.info({ user: 'U0ALICE01' })));
    expect(scope).toEqual({
      transient: false,
      code: 'missing_scope',
      sentence: 'Slack says the bot lacks a permission (missing_scope: users:read.email); reinstall the app with the scopes in manifest.yml.',
    });

    slack.setPlanUpgradeRequired(true);
    try {
      const plan = classifySlackError(await thrown(client().usergroups.users.list({ usergroup: 'S0NONE' })));
      expect(plan).toMatchObject({ transient: false, code: 'plan_upgrade_required' });
    } finally {
      slack.setPlanUpgradeRequired(false);
    }
  });

  it('calls an HTTP 500 from Slack (an HTML page) transient', async () => {
    slack.faults.storm({ kind: 'http500', methods: ['users.info'], forMs: 60_000 });
    const err = await thrown(client().users.info({ user: 'U0ALICE01' }));
    expect((err as { code?: string }).code).toBe('slack_webapi_http_error');
    expect(classifySlackError(err)).toEqual({
      transient: true,
      code: 'http_500',
      sentence: 'Slack did not answer properly (HTTP 500); try again in a minute.',
    });
  });

  it('reads Retry-After from a 429, whether the client rejects it or waits it out', async () => {
    slack.rateLimit('users.info', { retryAfter: 7 });
    const rejected = classifySlackError(await thrown(client({ rejectRateLimitedCalls: true }).users.info({ user: 'U0ALICE01' })));
    expect(rejected).toMatchObject({ transient: true, code: 'ratelimited', retryAfterSec: 7 });

    // The default client sleeps Retry-After, then gives up with a request error around a message-only Error.
    slack.rateLimit('users.info', { retryAfter: 1 });
    const waited = await thrown(client().users.info({ user: 'U0ALICE01' }));
    expect((waited as { code?: string }).code).toBe('slack_webapi_request_error');
    const failure = classifySlackError(waited);
    expect(failure).toMatchObject({ transient: true, code: 'ratelimited', retryAfterSec: 1 });
    expect(failure?.sentence).toBe('Slack is rate limiting the bot right now; try again in a minute.');
    expect(failure?.sentence).not.toContain('http');
  });

  it('asks for a longer wait when Slack says so', async () => {
    slack.rateLimit('users.info', { retryAfter: 300 });
    const failure = classifySlackError(await thrown(client({ rejectRateLimitedCalls: true }).users.info({ user: 'U0ALICE01' })));
    expect(failure?.sentence).toBe('Slack is rate limiting the bot right now; try again in about 5 minutes.');
  });

  it('calls a network failure and a timeout transient', async () => {
    const port = await closedPort();
    const unreachable = new WebClient(BOT, { slackApiUrl: `http://127.0.0.1:${port}/api/`, retryConfig: { retries: 0 }, logger: quietLogger });
    const refused = classifySlackError(await thrown(unreachable.users.info({ user: 'U0ALICE01' })));
    // ECONNREFUSED when fetch's cause survives; jest's separate realm makes the client drop it, hence "network".
    expect(refused).toMatchObject({ transient: true, code: expect.stringMatching(/^(ECONNREFUSED|network)$/) as unknown });
    expect(refused?.sentence).toMatch(/^The bot could not reach Slack \((ECONNREFUSED|network)\); try again in a minute\.$/);

    slack.faults.latency('users.info', 500);
    const slow = classifySlackError(await thrown(client({ timeout: 50 }).users.info({ user: 'U0ALICE01' })));
    expect(slow).toMatchObject({ transient: true, code: 'timeout' });
  });

  it("words Bolt's respond() failures: an expired response_url is final, a 503 is not", () => {
    expect(classifySlackError(new RespondError('Failed to respond to the response_url: 404 Not Found', 404))).toMatchObject({
      transient: false,
      code: 'expired_url',
    });
    expect(classifySlackError(new RespondError('Failed to respond to the response_url: 503 Service Unavailable', 503))).toMatchObject({
      transient: true,
      code: 'http_503',
    });
  });

  it('leaves everything that is not Slack alone', () => {
    expect(classifySlackError(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBeNull();
    expect(classifySlackError(new RangeError('Invalid time value'))).toBeNull();
    expect(classifySlackError(Object.assign(new Error('INVALID_FIELD'), { errorCode: 'INVALID_FIELD' }))).toBeNull();
    expect(classifySlackError('a string')).toBeNull();
    expect(classifySlackError(null)).toBeNull();
  });
});
