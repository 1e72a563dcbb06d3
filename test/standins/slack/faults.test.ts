/**
 * The Slack stand-in's fault knobs, driven through the real @slack/web-api WebClient and plain
 * HTTP: storms by time window, per-method latency, the per-channel pace, response_url failures,
 * and the record that lets a test count what was really delivered.
 */
import { WebClient, type WebAPIPlatformError, type WebAPIRateLimitedError } from '@slack/web-api';
import { quietLogger } from './quiet-logger';
import { startSlack, type SlackStandIn } from './server';

const BOT = 'xoxb-bot';
const SECOPS = 'C0SECOPS1';
const OTHER = 'C0OTHER01';

let slack: SlackStandIn;
/** The fault clock, moved by hand so windows close without waiting. */
let wall: number;

function client(extra: Record<string, unknown> = {}): WebClient {
  return new WebClient(BOT, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger, ...extra });
}

async function rejection(call: Promise<unknown>): Promise<Record<string, unknown>> {
  try {
    await call;
  } catch (e) {
    return e as Record<string, unknown>;
  }
  throw new Error('expected a rejection');
}

function setUp(s: SlackStandIn): SlackStandIn {
  s.addUser({ id: 'UALICE01' });
  s.addChannel({ id: SECOPS, name: 'secops', is_private: true, members: ['UBOT0001', 'UALICE01'] });
  s.addChannel({ id: OTHER, name: 'other', members: ['UBOT0001'] });
  return s;
}

const postForm = (method: string, form: Record<string, string>): Promise<Response> =>
  fetch(`${slack.apiUrl}${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${BOT}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

const respond = (url: string, body: unknown): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

beforeEach(async () => {
  wall = 1_800_000_000_000;
  slack = setUp(await startSlack({ signingSecret: 's', botToken: BOT, faultClock: () => wall }));
});
afterEach(() => slack.close());

describe('storms', () => {
  it('http500: the listed method answers Slack’s HTML 500 without posting, until the window closes', async () => {
    slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 2_000 });
    const raw = await postForm('chat.postMessage', { channel: SECOPS, text: 'raw' });
    expect(raw.status).toBe(500);
    expect(raw.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await raw.text()).toMatch(/^<!DOCTYPE html>.*Server Error/);
    const err = await rejection(client().chat.postMessage({ channel: SECOPS, text: 'via client' }));
    expect(err).toMatchObject({ code: 'slack_webapi_http_error', statusCode: 500 });
    await expect(client().users.info({ user: 'UALICE01' })).resolves.toMatchObject({ ok: true });
    expect(slack.messages).toHaveLength(0);

    wall += 2_000;
    await expect(client().chat.postMessage({ channel: SECOPS, text: 'after' })).resolves.toMatchObject({ ok: true });
    expect(slack.callsTo('chat.postMessage').map((c) => [c.status, c.fault ?? null, c.response.error ?? 'ok'])).toEqual([
      [500, 'storm', 'http_500'],
      [500, 'storm', 'http_500'],
      [200, null, 'ok'],
    ]);
    expect(slack.delivered('chat.postMessage').map((c) => c.args.text)).toEqual(['after']);
    expect(slack.messages.map((m) => m.text)).toEqual(['after']);
  });

  it('ratelimit on all methods: HTTP 429 ratelimited with Retry-After, counted, ended by heal()', async () => {
    slack.faults.storm({ methods: 'all', kind: 'ratelimit', retryAfter: 3, forMs: 60_000 });
    const raw = await postForm('users.info', { user: 'UALICE01' });
    expect(raw.status).toBe(429);
    expect(raw.headers.get('retry-after')).toBe('3');
    expect(await raw.json()).toEqual({ ok: false, error: 'ratelimited' });
    const err = (await rejection(
      client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: SECOPS, text: 'x' }),
    )) as unknown as WebAPIRateLimitedError;
    expect(err).toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 3 });
    expect(slack.faults.rateLimitedCount).toBe(2);
    expect(slack.messages).toHaveLength(0);

    slack.faults.heal();
    await expect(client().chat.postMessage({ channel: SECOPS, text: 'healed' })).resolves.toMatchObject({ ok: true });
    expect(slack.delivered('chat.postMessage')).toHaveLength(1);
    expect(slack.faults.rateLimitedCount).toBe(2);
  });

  it('error: HTTP 200 {ok:false, error} from the listed methods only; the latest overlapping storm wins', async () => {
    slack.faults.storm({ methods: ['chat.update', 'chat.postMessage'], kind: 'error', error: 'fatal_error', forMs: 1_000 });
    const err = (await rejection(client().chat.postMessage({ channel: SECOPS, text: 'x' }))) as unknown as WebAPIPlatformError;
    expect(err.data).toMatchObject({ ok: false, error: 'fatal_error' });
    expect(slack.callsTo('chat.postMessage')[0]?.response).toEqual({ ok: false, error: 'fatal_error' });
    slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 500 });
    expect(await rejection(client().chat.postMessage({ channel: SECOPS, text: 'x' }))).toMatchObject({ statusCode: 500 });
    wall += 500;
    expect(((await rejection(client().chat.postMessage({ channel: SECOPS, text: 'x' }))) as unknown as WebAPIPlatformError).data?.error).toBe('fatal_error');
    await expect(client().users.info({ user: 'UALICE01' })).resolves.toMatchObject({ ok: true });
    wall += 500;
    await expect(client().chat.postMessage({ channel: SECOPS, text: 'x' })).resolves.toMatchObject({ ok: true });
    expect(slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([200, 500, 200, 200]);
    expect(slack.delivered('chat.postMessage')).toHaveLength(1);
  });

  it('runs on real wall time by default: a WebClient that honours Retry-After delivers exactly once after the storm', async () => {
    await slack.close();
    slack = setUp(await startSlack({ signingSecret: 's', botToken: BOT }));
    slack.faults.storm({ methods: ['chat.postMessage'], kind: 'ratelimit', retryAfter: 1, forMs: 300 });
    slack.clock.advance(60 * 60 * 1000); // the stand-in clock does not move fault windows
    const started = Date.now();
    const res = await client({ retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 10 } }).chat.postMessage({ channel: SECOPS, text: 'once' });
    expect(res.ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(slack.delivered('chat.postMessage')).toHaveLength(1);
    expect(slack.messages.filter((m) => m.text === 'once')).toHaveLength(1);
  });
});

describe('latency', () => {
  it('delays one method, or all; a specific delay overrides "all" and 0 removes it', async () => {
    const timed = async (call: () => Promise<unknown>): Promise<number> => {
      const started = Date.now();
      await call();
      return Date.now() - started;
    };
    slack.faults.latency('users.info', 250);
    const slow = await timed(() => client().users.info({ user: 'UALICE01' }));
    const fast = await timed(() => client().auth.test());
    expect(slow).toBeGreaterThanOrEqual(240);
    expect(fast).toBeLessThan(slow);
    slack.faults.latency('all', 150);
    slack.faults.latency('users.info', 0);
    expect(await timed(() => client().users.info({ user: 'UALICE01' }))).toBeGreaterThanOrEqual(140);
    slack.faults.latency('all', 0);
    expect(await timed(() => client().users.info({ user: 'UALICE01' }))).toBeLessThan(140);
  });

  it('a client that times out still leaves the post done, as a slow Slack would', async () => {
    slack.faults.latency('chat.postMessage', 300);
    const err = await rejection(client({ timeout: 50 }).chat.postMessage({ channel: SECOPS, text: 'late but posted' }));
    expect(err).toMatchObject({ code: 'slack_webapi_request_error' });
    await slack.waitFor(() => slack.delivered('chat.postMessage').length === 1, 2_000, 'the delayed post');
    expect(slack.messages.map((m) => m.text)).toEqual(['late but posted']);
  });
});

describe('channel pace', () => {
  it('answers 429 to a second post in the same channel within a second, counting every 429', async () => {
    slack.faults.enforceChannelPace({ perChannelPerSecond: 1 });
    await expect(client().chat.postMessage({ channel: SECOPS, text: 'one' })).resolves.toMatchObject({ ok: true });
    const second = await postForm('chat.postMessage', { channel: SECOPS, text: 'two' });
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('1');
    expect(await second.json()).toEqual({ ok: false, error: 'ratelimited' });
    await expect(client().chat.postMessage({ channel: OTHER, text: 'elsewhere' })).resolves.toMatchObject({ ok: true });
    expect(slack.faults.rateLimitedCount).toBe(1);
    wall += 999;
    expect(await rejection(client({ rejectRateLimitedCalls: true }).chat.postMessage({ channel: SECOPS, text: 'three' }))).toMatchObject({ retryAfter: 1 });
    wall += 1;
    await expect(client().chat.postMessage({ channel: SECOPS, text: 'four' })).resolves.toMatchObject({ ok: true });
    expect(slack.faults.rateLimitedCount).toBe(2);
    expect(slack.messages.map((m) => m.text)).toEqual(['one', 'elsewhere', 'four']);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.fault === 'channel-pace')).toHaveLength(2);
  });

  it('a burst through a retrying WebClient is delivered once per message, paced in real time', async () => {
    await slack.close();
    slack = setUp(await startSlack({ signingSecret: 's', botToken: BOT }));
    slack.faults.enforceChannelPace({ perChannelPerSecond: 1 });
    const bot = client({ retryConfig: { retries: 5, factor: 1, minTimeout: 10, maxTimeout: 10 } });
    const texts = ['alert 1', 'alert 2', 'alert 3'];
    await Promise.all(texts.map((text) => bot.chat.postMessage({ channel: SECOPS, text })));
    expect(
      slack
        .delivered('chat.postMessage')
        .map((c) => c.args.text)
        .sort(),
    ).toEqual(texts);
    expect(slack.messages).toHaveLength(3);
    expect(slack.faults.rateLimitedCount).toBeGreaterThanOrEqual(2);
    expect(slack.callsTo('chat.postMessage').filter((c) => c.status === 429)).toHaveLength(slack.faults.rateLimitedCount);
  });
});

describe("Slack's per-method limits, on by default", () => {
  const home = { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] };

  it('views.publish (Tier 4): the 101st call within a minute gets 429 with the Retry-After of the oldest, and is not performed', async () => {
    const c = client({ rejectRateLimitedCalls: true });
    for (let i = 0; i < 100; i += 1) {
      await c.views.publish({ user_id: 'UALICE01', view: home as never });
      wall += 100;
    }
    const refused = (await rejection(c.views.publish({ user_id: 'UALICE01', view: home as never }))) as unknown as WebAPIRateLimitedError;
    expect(refused.retryAfter).toBe(50);
    expect(slack.callsTo('views.publish').at(-1)).toMatchObject({ status: 429, fault: 'method-limit' });
    wall += 50_000;
    await c.views.publish({ user_id: 'UALICE01', view: home as never });
    expect(slack.delivered('views.publish')).toHaveLength(101);
  });

  it('a test may tighten or lift a limit; reset() brings back the default', async () => {
    const c = client({ rejectRateLimitedCalls: true });
    slack.faults.limitPerMinute('views.publish', 1);
    await c.views.publish({ user_id: 'UALICE01', view: home as never });
    expect(await rejection(c.views.publish({ user_id: 'UALICE01', view: home as never }))).toMatchObject({ retryAfter: 60 });
    slack.faults.limitPerMinute('views.publish', null);
    for (let i = 0; i < 150; i += 1) await c.views.publish({ user_id: 'UALICE01', view: home as never });
    slack.faults.reset();
    for (let i = 0; i < 100; i += 1) await c.views.publish({ user_id: 'UALICE01', view: home as never });
    expect(await rejection(c.views.publish({ user_id: 'UALICE01', view: home as never }))).toMatchObject({ retryAfter: 60 });
  });
});

describe('response_url faults', () => {
  it('error storm: 404 with Slack’s plain-text error, not using up the URL nor touching the message', async () => {
    const posted = await client().chat.postMessage({ channel: SECOPS, text: 'original' });
    const url = slack.newResponseUrl({ channel: SECOPS, message_ts: posted.ts ?? '' });
    slack.faults.storm({ methods: ['response_url'], kind: 'error', error: 'no_active_hooks', forMs: 1_000 });
    const res = await respond(url, { replace_original: true, text: 'replaced' });
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([404, 'text/plain; charset=utf-8', 'no_active_hooks']);
    // A storm on response_urls leaves the Web API alone.
    await expect(client().auth.test()).resolves.toMatchObject({ ok: true });
    expect(slack.messages[0]?.text).toBe('original');
    expect(slack.workspace.responseUrls.get(url.split('/').at(-2) ?? '')?.uses).toBe(0);
    wall += 1_000;
    expect((await respond(url, { replace_original: true, text: 'replaced' })).status).toBe(200);
    expect(slack.messages[0]?.text).toBe('replaced');
    expect(slack.responses.map((r) => [r.status, r.reply, r.fault ?? null])).toEqual([
      [404, 'no_active_hooks', 'storm'],
      [200, 'ok', null],
    ]);
  });

  it('"all" storms hit response_urls too (HTML 500), and latency applies to them', async () => {
    const url = slack.newResponseUrl();
    slack.faults.storm({ kind: 'http500', forMs: 1_000 });
    const res = await respond(url, { text: 'x' });
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    slack.faults.heal();
    slack.faults.latency('response_url', 200);
    const started = Date.now();
    expect((await respond(url, { text: 'x' })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe('reset', () => {
  it('clears storms, latency, the pace, queued faults and the 429 count; the old one-shot knobs still work', async () => {
    slack.rateLimit('users.info', { retryAfter: 2 });
    slack.failNext('auth.test', 'account_inactive');
    slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 60_000 });
    slack.faults.latency('all', 5_000);
    slack.faults.enforceChannelPace({ perChannelPerSecond: 1 });
    slack.faults.reset();
    await expect(client().users.info({ user: 'UALICE01' })).resolves.toMatchObject({ ok: true });
    await expect(client().auth.test()).resolves.toMatchObject({ ok: true });
    await client().chat.postMessage({ channel: SECOPS, text: 'a' });
    await client().chat.postMessage({ channel: SECOPS, text: 'b' });
    expect(slack.delivered('chat.postMessage')).toHaveLength(2);

    slack.rateLimit('users.info', { retryAfter: 2 });
    expect(await rejection(client({ rejectRateLimitedCalls: true }).users.info({ user: 'UALICE01' }))).toMatchObject({ retryAfter: 2 });
    expect(slack.faults.rateLimitedCount).toBe(1);
    slack.failNext('auth.test', 'account_inactive');
    const err = (await rejection(client().auth.test())) as unknown as WebAPIPlatformError;
    expect(err.data?.error).toBe('account_inactive');
    expect(slack.callsTo('auth.test').at(-1)?.fault).toBe('queued-error');
  });
});
