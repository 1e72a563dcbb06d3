/**
 * A chat.postMessage Slack performed without the bot hearing back (the answer came after the
 * client's timeout) is found in the channel by the row id in its metadata on the next attempt,
 * instead of being posted twice. Real WebClient against the Slack stand-in, real dispatcher.
 */
import { OUTBOX_EVENT_TYPE } from '../../../src/slack/outbox/slack-calls';
import { manifestBotScopes } from '../../standins/slack/scopes';
import { rootsOf, startRig, threadOf, type Rig } from '../../support/outbox-rig';

/** The rig's WebClient gives up after 2 s; Slack performs the post at 2.6 s. */
const LATE_MS = 2_600;
/** The retry comes after the late post has landed, as it would with production backoff (1 s and up). */
const SLOW_BACKOFF = { backoff: { baseMs: 1_500, maxMs: 3_000 } };

const step = { step: 'freeze', status: 'ok' as const, summary: 'Alice Doe is frozen.', detail: null, apiCalls: 1 };

describe('a post Slack performed but never answered', () => {
  let rig: Rig;
  afterEach(() => rig.close());

  it('is found in the channel on the next attempt and recorded, not posted again', async () => {
    rig = await startRig({ dispatcher: SLOW_BACKOFF });
    const request = await rig.newRequest();
    rig.slack.faults.latency('chat.postMessage', LATE_MS);
    await rig.notifier.posted(request);
    await rig.slack.waitFor(() => rig.slack.callsTo('conversations.history').length > 0, 15_000, 'the check for the earlier post');
    await rig.dispatcher.idle(10_000);

    const roots = rootsOf(rig.slack);
    expect(roots).toHaveLength(1);
    const [row] = await rig.outbox.listForRequest(request.id);
    expect(roots[0]?.metadata).toEqual({ event_type: OUTBOX_EVENT_TYPE, event_payload: { row: String(row?.id) } });
    expect(await rig.requests.get(request.id)).toMatchObject({ messageTs: roots[0]?.ts });
    expect(rig.slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(row).toMatchObject({ state: 'sent', attempts: 2 });
  }, 30_000);

  it('in a thread: the replies are read, and the step is in the thread once', async () => {
    rig = await startRig({ dispatcher: SLOW_BACKOFF });
    const request = await rig.newRequest();
    await rig.notifier.posted(request);
    await rig.dispatcher.idle(5_000);
    const [root] = rootsOf(rig.slack);
    if (!root) throw new Error('no request message');

    rig.slack.faults.latency('chat.postMessage', LATE_MS);
    await rig.notifier.step(request, step);
    await rig.slack.waitFor(() => rig.slack.callsTo('conversations.replies').length > 0, 15_000, 'the check in the thread');
    await rig.dispatcher.idle(10_000);

    expect(threadOf(rig.slack, root.ts).map((m) => m.text)).toEqual([expect.stringMatching(/frozen/)]);
    expect(rig.slack.callsTo('conversations.replies')[0]?.args).toMatchObject({ channel: root.channel, ts: root.ts, include_all_metadata: 'true' });
  }, 30_000);

  it('after a 5xx that Slack did not perform, the check finds nothing and the post goes out once', async () => {
    rig = await startRig();
    const request = await rig.newRequest();
    rig.slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 150 });
    await rig.notifier.posted(request);
    await rig.dispatcher.idle(5_000);
    expect(rootsOf(rig.slack)).toHaveLength(1);
    expect(rig.slack.delivered('chat.postMessage')).toHaveLength(1);
    expect(rig.slack.callsTo('conversations.history').length).toBeGreaterThanOrEqual(1);
  });

  it('when the check itself is rate limited, the next attempt checks again before posting', async () => {
    rig = await startRig();
    const request = await rig.newRequest();
    rig.slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 150 });
    rig.slack.rateLimit('conversations.history', { retryAfter: 0, times: 1 });
    await rig.notifier.posted(request);
    await rig.dispatcher.idle(5_000);
    // In call order: the refused check, then a check that answered, then the one post that went out.
    const calls = rig.slack.calls.filter((c) => c.method === 'conversations.history' || (c.method === 'chat.postMessage' && c.status === 200));
    const refused = calls.findIndex((c) => c.method === 'conversations.history' && c.status === 429);
    const posted = calls.findIndex((c) => c.method === 'chat.postMessage');
    expect(refused).toBeGreaterThanOrEqual(0);
    expect(calls.slice(refused + 1, posted).some((c) => c.method === 'conversations.history' && c.status === 200)).toBe(true);
    expect(rootsOf(rig.slack)).toHaveLength(1);
  });

  it('installed without channels:history (an app from before the manifest asked for it), Slack itself refuses the check and the post goes ahead', async () => {
    rig = await startRig();
    rig.slack.setBotScopes(manifestBotScopes().filter((s) => s !== 'channels:history' && s !== 'groups:history'));
    const request = await rig.newRequest();
    rig.slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 150 });
    await rig.notifier.posted(request);
    await rig.dispatcher.idle(5_000);
    const checks = rig.slack.callsTo('conversations.history');
    expect(checks.length).toBeGreaterThan(0);
    // The stand-in's own scope check answered, not an injected fault.
    expect(checks[0]?.fault).toBeUndefined();
    expect(checks[0]?.response).toMatchObject({ error: 'missing_scope', needed: expect.stringContaining('channels:history') as unknown });
    expect(rootsOf(rig.slack)).toHaveLength(1);
  });

  it('when Slack refuses the check for good (the history scope is missing), posts as before rather than never', async () => {
    rig = await startRig();
    const request = await rig.newRequest();
    rig.slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 150 });
    rig.slack.failNext('conversations.history', 'missing_scope', { needed: 'groups:history', provided: 'chat:write' });
    await rig.notifier.posted(request);
    await rig.dispatcher.idle(5_000);
    expect(rig.slack.callsTo('conversations.history').map((c) => c.response.error)).toContain('missing_scope');
    expect(rootsOf(rig.slack)).toHaveLength(1);
  });
});
