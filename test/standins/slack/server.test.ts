/**
 * Each Web API method and error string of the stand-in, exercised through the real
 * @slack/web-api WebClient (so form encoding, JSON fields and error classes are Slack's own).
 */
import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { quietLogger } from './quiet-logger';
import { manifestBotScopes, METHOD_SCOPES } from './scopes';
import { startSlack, type SlackStandIn } from './server';
import { METHODS } from './web-api';

const BOT = 'xoxb-bot';
const APP = 'xapp-app';

let slack: SlackStandIn;
let bot: WebClient;

function client(token: string, extra: Record<string, unknown> = {}): WebClient {
  return new WebClient(token, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger, ...extra });
}

/** The Slack error string of a failed call, or 'ok'. */
async function errorOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return 'ok';
  } catch (e) {
    return (e as WebAPIPlatformError).data?.error ?? String(e);
  }
}

beforeAll(async () => {
  slack = await startSlack({ signingSecret: 's', botToken: BOT, appToken: APP });
  bot = client(BOT);
  slack.addUser({ id: 'UALICE01', profile: { email: 'Alice@Warden.example' }, is_admin: true });
  slack.addUser({ id: 'UGUEST01', is_restricted: true });
  slack.addChannel({ id: 'C0SECOPS1', name: 'secops', is_private: true, members: ['UBOT0001', 'UALICE01'] });
  slack.addChannel({ id: 'C0HIDDEN1', name: 'hidden', is_private: true, members: ['UALICE01'] });
  slack.addChannel({ id: 'C0PUBLIC1', name: 'random', members: ['UALICE01'] });
  slack.addUsergroup('S0APPROVE', ['UALICE01']);
});
afterAll(() => slack.close());
/** Undoes what a test changed on the shared stand-in (its scopes), even when it fails. */
let onCleanup: (() => void) | null = null;
afterEach(() => {
  onCleanup?.();
  onCleanup = null;
});

describe('authentication', () => {
  it('answers auth.test with the bot identity', async () => {
    await expect(bot.auth.test()).resolves.toMatchObject({
      ok: true,
      team_id: 'T0WARDEN',
      user_id: 'UBOT0001',
      bot_id: 'BBOT0001',
      is_enterprise_install: false,
    });
  });

  it('rejects unknown and missing tokens, and the wrong token type', async () => {
    expect(await errorOf(client('xoxb-wrong').auth.test())).toBe('invalid_auth');
    const res = await fetch(`${slack.apiUrl}auth.test`, { method: 'POST' });
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await res.json()).toEqual({ ok: false, error: 'not_authed' });
    expect(await errorOf(bot.apps.connections.open())).toBe('not_allowed_token_type');
    expect(await errorOf(client(APP).chat.postMessage({ channel: 'C0SECOPS1', text: 'x' }))).toBe('not_allowed_token_type');
    await expect(client(APP).apps.connections.open()).resolves.toMatchObject({
      url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/) as unknown,
    });
  });

  it('answers unknown methods with unknown_method', async () => {
    expect(await errorOf(bot.apiCall('chat.nope'))).toBe('unknown_method');
  });

  it('accepts application/json bodies too', async () => {
    const res = await fetch(`${slack.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ channel: 'C0SECOPS1', text: 'json', blocks: [{ type: 'divider' }] }),
    });
    expect(await res.json()).toMatchObject({ ok: true, message: { text: 'json', blocks: [{ type: 'divider' }] } });
  });
});

describe('chat.postMessage', () => {
  it('posts, returns increasing ts and records the message with decoded blocks', async () => {
    const first = await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'one', blocks: [{ type: 'divider' }] });
    const second = await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'two', thread_ts: first.ts });
    expect(first.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
    expect(first.message).toMatchObject({ type: 'message', user: 'UBOT0001', bot_id: 'BBOT0001', text: 'one' });
    const reply = slack.messages.find((m) => m.ts === second.ts);
    expect(reply).toMatchObject({ channel: 'C0SECOPS1', thread_ts: first.ts, text: 'two' });
    expect(slack.callsTo('chat.postMessage').find((c) => c.response.ts === first.ts)?.args.blocks).toEqual([{ type: 'divider' }]);
  });

  it('gives every documented error', async () => {
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0SECOPS1' } as never))).toBe('no_text');
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0MISSING', text: 'x' }))).toBe('channel_not_found');
    // A private channel the bot is not in is invisible to it.
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0HIDDEN1', text: 'x' }))).toBe('channel_not_found');
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0PUBLIC1', text: 'x' }))).toBe('not_in_channel');
    const tooLong = Array.from({ length: 5 }, () => ({ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(2500) } }));
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'x', blocks: tooLong }))).toBe('msg_blocks_too_long');
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'x', blocks: '{"type":"divider"}' as never }))).toBe('invalid_blocks_format');
  });

  it('returns invalid_blocks with errors and response_metadata.messages', async () => {
    try {
      await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'x', blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'h' } }] as never });
      throw new Error('expected a rejection');
    } catch (e) {
      expect((e as WebAPIPlatformError).data).toEqual({
        ok: false,
        error: 'invalid_blocks',
        errors: ['must be a valid enum value [json-pointer:/blocks/0/text/type]'],
        response_metadata: { messages: ['[ERROR] must be a valid enum value [json-pointer:/blocks/0/text/type]'] },
      });
    }
  });

  it('opens an IM when the channel is a user id', async () => {
    const res = await bot.chat.postMessage({ channel: 'UALICE01', text: 'psst' });
    expect(res.channel).toMatch(/^D/);
    const again = await bot.chat.postMessage({ channel: 'UALICE01', text: 'again' });
    expect(again.channel).toBe(res.channel);
  });
});

describe('chat.update and chat.postEphemeral', () => {
  it('updates a bot message, keeping history', async () => {
    const posted = await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'pending', blocks: [{ type: 'divider' }] });
    const updated = await bot.chat.update({ channel: 'C0SECOPS1', ts: posted.ts ?? '', text: 'approved' });
    expect(updated).toMatchObject({ ok: true, channel: 'C0SECOPS1', ts: posted.ts, text: 'approved' });
    const stored = slack.messages.find((m) => m.ts === posted.ts);
    expect(stored).toMatchObject({ text: 'approved', blocks: undefined });
    expect(stored?.history).toEqual([{ text: 'pending', blocks: [{ type: 'divider' }], at: expect.any(Number) as unknown, via: 'chat.update' }]);
  });

  it('gives message_not_found, cant_update_message and msg_too_long', async () => {
    expect(await errorOf(bot.chat.update({ channel: 'C0SECOPS1', ts: '1.000001', text: 'x' }))).toBe('message_not_found');
    slack.messages.push({ channel: 'C0SECOPS1', ts: '1700000000.000001', user: 'UALICE01', text: 'human', blocks: undefined, deleted: false, history: [] });
    expect(await errorOf(bot.chat.update({ channel: 'C0SECOPS1', ts: '1700000000.000001', text: 'x' }))).toBe('cant_update_message');
    const posted = await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'x' });
    expect(await errorOf(bot.chat.update({ channel: 'C0SECOPS1', ts: posted.ts ?? '', text: 'y'.repeat(4001) }))).toBe('msg_too_long');
    expect(await errorOf(bot.chat.update({ channel: 'C0SECOPS1', ts: posted.ts ?? '', text: 'y'.repeat(4000) }))).toBe('ok');
  });

  it('posts ephemerals only to channel members', async () => {
    const res = await bot.chat.postEphemeral({ channel: 'C0SECOPS1', user: 'UALICE01', text: 'only you' });
    expect(res.message_ts).toMatch(/^\d+\.\d{6}$/);
    expect(slack.ephemerals.at(-1)).toMatchObject({ user: 'UALICE01', text: 'only you' });
    expect(await errorOf(bot.chat.postEphemeral({ channel: 'C0SECOPS1', user: 'UGUEST01', text: 'x' }))).toBe('user_not_in_channel');
  });
});

describe('users, user groups, conversations', () => {
  it('answers users.info with a full user object', async () => {
    const res = await bot.users.info({ user: 'UGUEST01' });
    expect(res.user).toMatchObject({
      id: 'UGUEST01',
      team_id: 'T0WARDEN',
      deleted: false,
      is_restricted: true,
      is_ultra_restricted: false,
      is_bot: false,
      is_app_user: false,
      profile: { email: 'uguest01@warden.example' },
    });
    expect(typeof res.user?.tz_offset).toBe('number');
    expect(await errorOf(bot.users.info({ user: 'UNOBODY' }))).toBe('user_not_found');
  });

  it('looks users up by email case-insensitively', async () => {
    await expect(bot.users.lookupByEmail({ email: 'alice@warden.EXAMPLE' })).resolves.toMatchObject({ user: { id: 'UALICE01', is_admin: true } });
    expect(await errorOf(bot.users.lookupByEmail({ email: 'nobody@warden.example' }))).toBe('users_not_found');
  });

  it('lists user group members, with no_such_subteam and plan_upgrade_required', async () => {
    await expect(bot.usergroups.users.list({ usergroup: 'S0APPROVE' })).resolves.toMatchObject({ users: ['UALICE01'] });
    expect(await errorOf(bot.usergroups.users.list({ usergroup: 'S0NOPE' }))).toBe('no_such_subteam');
    slack.setPlanUpgradeRequired(true);
    expect(await errorOf(bot.usergroups.users.list({ usergroup: 'S0APPROVE' }))).toBe('plan_upgrade_required');
    slack.setPlanUpgradeRequired(false);
  });

  it('describes channels the bot can see (with channels:read / groups:read, which the manifest does not ask for)', async () => {
    slack.setBotScopes([...manifestBotScopes(), 'channels:read', 'groups:read']);
    onCleanup = () => slack.setBotScopes(null);
    await expect(bot.conversations.info({ channel: 'C0SECOPS1' })).resolves.toMatchObject({
      channel: { id: 'C0SECOPS1', name: 'secops', is_private: true, is_member: true },
    });
    await expect(bot.conversations.info({ channel: 'C0PUBLIC1' })).resolves.toMatchObject({ channel: { is_member: false, is_channel: true } });
    expect(await errorOf(bot.conversations.info({ channel: 'C0HIDDEN1' }))).toBe('channel_not_found');
  });
});

describe('views', () => {
  const view = {
    type: 'modal' as const,
    callback_id: 'cb',
    external_id: 'ext-1',
    title: { type: 'plain_text' as const, text: 'Title' },
    blocks: [{ type: 'divider' as const }],
  };

  it('honours a trigger_id once, within 3 seconds', async () => {
    const trigger = slack.issueTriggerId('UALICE01');
    const opened = await bot.views.open({ trigger_id: trigger, view });
    expect(opened.view).toMatchObject({ id: expect.stringMatching(/^V/) as unknown, callback_id: 'cb', type: 'modal', app_id: 'AWARDEN01' });
    expect(await errorOf(bot.views.open({ trigger_id: trigger, view: { ...view, external_id: 'ext-2' } }))).toBe('exchanged_trigger_id');
    expect(await errorOf(bot.views.open({ trigger_id: 'made.up.trigger', view }))).toBe('invalid_trigger_id');
    const late = slack.issueTriggerId('UALICE01');
    slack.clock.advance(3_001);
    expect(await errorOf(bot.views.open({ trigger_id: late, view: { ...view, external_id: 'ext-3' } }))).toBe('expired_trigger_id');
  });

  it('rejects invalid views with invalid_arguments and Slack’s messages', async () => {
    try {
      await bot.views.open({
        trigger_id: slack.issueTriggerId('UALICE01'),
        view: { ...view, external_id: 'x', title: { type: 'plain_text', text: 't'.repeat(25) } },
      });
      throw new Error('expected a rejection');
    } catch (e) {
      expect((e as WebAPIPlatformError).data).toMatchObject({
        error: 'invalid_arguments',
        response_metadata: { messages: ['[ERROR] must be less than 25 characters [json-pointer:/view/title/text]'] },
      });
    }
  });

  it('updates by view_id or external_id, and publishes home tabs', async () => {
    const stored = [...slack.views.values()].find((v) => v.view.external_id === 'ext-1');
    const byId = await bot.views.update({ view_id: stored?.id ?? '', view: { ...view, callback_id: 'cb2' } });
    expect(byId.view).toMatchObject({ id: stored?.id, callback_id: 'cb2' });
    const byExternal = await bot.views.update({ external_id: 'ext-1', view: { ...view, callback_id: 'cb3' } });
    expect(byExternal.view?.id).toBe(stored?.id);
    expect(await errorOf(bot.views.update({ view_id: 'V0NOPE', view }))).toBe('not_found');
    await expect(bot.views.publish({ user_id: 'UALICE01', view: { type: 'home', blocks: [{ type: 'divider' }] } })).resolves.toMatchObject({
      view: { type: 'home' },
    });
  });
});

describe('fault injection', () => {
  it('rate-limits with HTTP 429 and Retry-After', async () => {
    slack.rateLimit('users.info', { retryAfter: 1, times: 2 });
    const res = await fetch(`${slack.apiUrl}users.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BOT}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'user=UALICE01',
    });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await res.json()).toEqual({ ok: false, error: 'ratelimited' });
    await expect(client(BOT, { rejectRateLimitedCalls: true }).users.info({ user: 'UALICE01' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 1,
    });
    await expect(bot.users.info({ user: 'UALICE01' })).resolves.toMatchObject({ ok: true });
  });

  it('fails the next call with a given error, once', async () => {
    slack.failNext('chat.postMessage', 'restricted_action');
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'x' }))).toBe('restricted_action');
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'x' }))).toBe('ok');
  });
});

describe('response_url', () => {
  const post = (url: string, body: unknown) =>
    fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

  it('accepts five posts, then answers 404 used_url', async () => {
    const url = slack.newResponseUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/actions\/T0WARDEN\/\d+\/[\w-]+$/);
    for (let i = 0; i < 5; i += 1) {
      const res = await post(url, { text: `r${i}` });
      expect([res.status, await res.text()]).toEqual([200, 'ok']);
    }
    const sixth = await post(url, { text: 'r5' });
    expect([sixth.status, await sixth.text()]).toEqual([404, 'used_url']);
  });

  it('expires after 30 minutes', async () => {
    const url = slack.newResponseUrl();
    slack.clock.advance(30 * 60 * 1000 + 1);
    const res = await post(url, { text: 'late' });
    expect([res.status, await res.text()]).toEqual([404, 'expired_url']);
  });

  it('rejects invalid blocks, missing text, bad JSON and unknown URLs', async () => {
    const url = slack.newResponseUrl();
    const bad = await post(url, { text: 'x', blocks: [{ type: 'section' }] });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: 'invalid_blocks' });
    expect((await post(url, { response_type: 'ephemeral' })).status).toBe(400);
    expect((await post(url, '{not json')).status).toBe(400);
    expect((await post(`${url}x`, { text: 'x' })).status).toBe(404);
    // Rejected posts do not use up the URL.
    expect(slack.workspace.responseUrls.get(url.split('/').at(-2) ?? '')?.uses).toBe(0);
    expect(slack.responses.filter((r) => url.includes(`/${r.urlId}/`)).map((r) => r.status)).toEqual([400, 400, 400, 404]);
  });

  it('deletes the original message on delete_original', async () => {
    const posted = await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'to delete' });
    const url = slack.newResponseUrl({ channel: 'C0SECOPS1', message_ts: posted.ts ?? '' });
    expect((await post(url, { delete_original: true })).status).toBe(200);
    expect(slack.messages.find((m) => m.ts === posted.ts)?.deleted).toBe(true);
    expect(await errorOf(bot.chat.update({ channel: 'C0SECOPS1', ts: posted.ts ?? '', text: 'x' }))).toBe('message_not_found');
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy value and rejects with context on timeout', async () => {
    await expect(slack.waitFor(() => slack.messages.length > 0 && 'yes')).resolves.toBe('yes');
    await expect(slack.waitFor(() => false, 50, 'never')).rejects.toThrow(/waitFor\(never\) timed out after 50 ms\. Last Web API calls: /);
  });
});

describe('conversations.history / conversations.replies and message metadata', () => {
  const metadata = { event_type: 'session_warden_outbox', event_payload: { row: '7' } };

  it('keeps the metadata a post carries and returns it only with include_all_metadata, newest first, after `oldest`', async () => {
    const first = await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'first' });
    const second = await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'second', metadata });
    const reply = await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'in thread', thread_ts: second.ts, metadata });

    const plain = await bot.conversations.history({ channel: 'C0SECOPS1', oldest: first.ts });
    expect(plain.messages?.map((m) => [m.text, 'metadata' in m])).toEqual([['second', false]]);
    const full = await bot.conversations.history({ channel: 'C0SECOPS1', oldest: first.ts, inclusive: true, include_all_metadata: true });
    expect(full.messages?.map((m) => [m.text, m.metadata])).toEqual([
      ['second', metadata],
      ['first', undefined],
    ]);

    const thread = await bot.conversations.replies({ channel: 'C0SECOPS1', ts: second.ts ?? '', include_all_metadata: true });
    expect(thread.messages?.map((m) => [m.text, m.ts])).toEqual([
      ['second', second.ts],
      ['in thread', reply.ts],
    ]);
  });

  it.each([
    ['a private channel the bot is not in (invisible to it)', () => bot.conversations.history({ channel: 'C0HIDDEN1' }), 'channel_not_found'],
    ['an unknown channel', () => bot.conversations.history({ channel: 'C0NOPE' }), 'channel_not_found'],
    ['replies to a message that does not exist', () => bot.conversations.replies({ channel: 'C0SECOPS1', ts: '1.000001' }), 'thread_not_found'],
    [
      'metadata that is not {event_type, event_payload}',
      () => bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'x', metadata: { event_type: 'Bad Type', event_payload: {} } }),
      'invalid_metadata_format',
    ],
  ])('%s', async (_what, call, error) => {
    expect(await errorOf(call())).toBe(error);
  });
});

describe('scopes and channel membership, strict by default', () => {
  it('knows the scopes of every method it serves', () => {
    expect(Object.keys(METHODS).filter((m) => m !== 'apps.connections.open' && METHOD_SCOPES[m] === undefined)).toEqual([]);
  });

  it("is installed with manifest.yml's bot scopes", () => {
    expect([...slack.botScopes].sort()).toEqual([...manifestBotScopes()].sort());
    expect(slack.botScopes.has('chat:write.public')).toBe(false);
  });

  it('answers missing_scope with needed and provided, as Slack does, and performs nothing', async () => {
    slack.setBotScopes(['commands', 'users:read']);
    onCleanup = () => slack.setBotScopes(null);
    const before = slack.messages.length;
    const refused = await bot.chat.postMessage({ channel: 'C0SECOPS1', text: 'x' }).catch((e: WebAPIPlatformError) => e.data);
    expect(refused).toMatchObject({ ok: false, error: 'missing_scope', needed: 'chat:write', provided: 'commands,users:read' });
    expect(slack.messages.length).toBe(before);
    expect(await errorOf(bot.files.getUploadURLExternal({ filename: 'a.png', length: 3 }))).toBe('missing_scope');
    expect(await errorOf(bot.usergroups.users.list({ usergroup: 'S0APPROVE' }))).toBe('missing_scope');
    // Methods that need no scope still work.
    expect(await errorOf(bot.auth.test())).toBe('ok');
  });

  it('needs the history scope of the kind of conversation: groups:history for a private channel, channels:history for a public one', async () => {
    slack.addChannel({ id: 'C0JOINED1', name: 'joined', members: ['UBOT0001'] });
    slack.setBotScopes(['chat:write', 'channels:history']);
    onCleanup = () => slack.setBotScopes(null);
    expect(await bot.conversations.history({ channel: 'C0SECOPS1' }).catch((e: WebAPIPlatformError) => e.data)).toMatchObject({
      error: 'missing_scope',
      needed: 'groups:history',
    });
    expect(await errorOf(bot.conversations.history({ channel: 'C0JOINED1' }))).toBe('ok');
  });

  it('reads history and replies only where the bot is a member: not_in_channel in a public channel, channel_not_found in a private one', async () => {
    expect(await errorOf(bot.conversations.history({ channel: 'C0PUBLIC1' }))).toBe('not_in_channel');
    expect(await errorOf(bot.conversations.replies({ channel: 'C0PUBLIC1', ts: '1.000100' }))).toBe('not_in_channel');
    expect(await errorOf(bot.conversations.history({ channel: 'C0HIDDEN1' }))).toBe('channel_not_found');
    expect(await errorOf(bot.conversations.history({ channel: 'C0SECOPS1' }))).toBe('ok');
  });

  it('posts in a public channel it has not joined only with chat:write.public; never in a private one', async () => {
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0PUBLIC1', text: 'x' }))).toBe('not_in_channel');
    slack.setBotScopes([...manifestBotScopes(), 'chat:write.public']);
    onCleanup = () => slack.setBotScopes(null);
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0PUBLIC1', text: 'x' }))).toBe('ok');
    expect(await errorOf(bot.chat.postMessage({ channel: 'C0HIDDEN1', text: 'x' }))).toBe('channel_not_found');
  });

  it('shows e-mail addresses only with users:read.email', async () => {
    slack.setBotScopes(['users:read']);
    onCleanup = () => slack.setBotScopes(null);
    const res = (await bot.users.info({ user: 'UALICE01' })) as { user?: { profile?: { email?: string; real_name?: string } } };
    expect(res.user?.profile?.email).toBeUndefined();
    expect(res.user?.profile?.real_name).toBeDefined();
  });
});
