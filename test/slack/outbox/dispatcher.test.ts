/**
 * The Slack outbox delivering to the Slack stand-in through a real WebClient: order per request,
 * retries and Retry-After, dead letters, coalesced updates, replicas, crashes and response_urls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { RESPONSE_URL } from '../../standins/slack/faults';
import { SECURITY_CHANNEL } from '../../support/harness';
import { parsedLogs, rootsOf, startRig, threadOf, type Rig } from '../../support/outbox-rig';

const step = { step: 'freeze', status: 'ok' as const, summary: 'Alice Doe is frozen.', detail: null, apiCalls: 1 };

describe('the Slack outbox dispatcher', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(() => rig.close());

  it('posts the request, records where it lives, and then replies in its thread and updates it, in order', async () => {
    const request = await rig.newRequest();
    await rig.notifier.posted(request);
    await rig.notifier.step(request, step);
    await rig.requests.transition(request.id, 'pending', 'denied', { decidedBy: 'U0APPROV1' }, new Date());
    await rig.notifier.updated(request);
    await rig.dispatcher.idle();

    const [root] = rootsOf(rig.slack);
    if (!root) throw new Error('no request message');
    expect(await rig.requests.get(request.id)).toMatchObject({ channelId: SECURITY_CHANNEL, messageTs: root.ts });
    expect(threadOf(rig.slack, root.ts).map((m) => m.text)).toEqual([expect.stringMatching(/frozen/)]);
    // Rendered from the request as it is at delivery: denied, buttons gone.
    expect(root.text).toMatch(/Denied/);
    expect(JSON.stringify(root.blocks)).not.toContain('approval_approve');
    expect(rig.slack.calls.map((c) => c.method)).toEqual(['chat.postMessage', 'chat.postMessage', 'chat.update']);
  });

  it('honours Retry-After on a 429 and then delivers once', async () => {
    const request = await rig.newRequest();
    rig.slack.rateLimit('chat.postMessage', { retryAfter: 1, times: 1 });
    await rig.notifier.posted(request);
    await rig.dispatcher.idle(5_000);
    const calls = rig.slack.callsTo('chat.postMessage');
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
    expect(rootsOf(rig.slack)).toHaveLength(1);
  });

  it('retries through an HTTP 500 storm with backoff and delivers exactly once after it heals', async () => {
    const request = await rig.newRequest();
    rig.slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 60_000 });
    await rig.notifier.posted(request);
    await rig.slack.waitFor(() => rig.slack.callsTo('chat.postMessage').length >= 4, 5_000, 'a few retries');
    const during = rig.slack.callsTo('chat.postMessage');
    const gaps = during.slice(1).map((c, i) => c.at - (during[i]?.at ?? 0));
    // Backoff: the waits grow (40 ms base, doubling, jittered by at most half).
    expect(gaps[2] ?? 0).toBeGreaterThan(gaps[0] ?? 0);
    rig.slack.faults.heal();
    await rig.dispatcher.idle(5_000);
    expect(rig.slack.delivered('chat.postMessage')).toHaveLength(1);
    expect(rootsOf(rig.slack)).toHaveLength(1);
    const [row] = await rig.outbox.listForRequest(request.id);
    expect(row?.state).toBe('sent');
    expect(row?.attempts).toBeGreaterThanOrEqual(4);
  });

  it('retries network failures (nothing listening) like a Slack outage', async () => {
    const closed = await startRig({ start: false });
    await closed.slack.close();
    try {
      const request = await closed.newRequest();
      await closed.notifier.posted(request);
      await closed.dispatcher.drain();
      const [row] = await closed.outbox.listForRequest(request.id);
      expect(row).toMatchObject({ state: 'pending', attempts: 1 });
      expect(row?.lastError).toMatch(/no answer from Slack/);
    } finally {
      await closed.database.close();
    }
  });

  it('dead-letters a permanent refusal with an error log naming Slack and the method, and goes on with the next request', async () => {
    const lost = await rig.newRequest();
    const next = await rig.newRequest();
    rig.slack.failNext('chat.postMessage', 'channel_not_found');
    await rig.notifier.posted(lost);
    await rig.notifier.step(lost, step);
    await rig.notifier.posted(next);
    await rig.dispatcher.idle();
    expect((await rig.outbox.listForRequest(lost.id)).map((r) => [r.kind, r.state])).toEqual([
      ['post', 'dead'],
      ['reply', 'dead'],
    ]);
    expect(rig.slack.callsTo('chat.postMessage').filter((c) => c.response.error === 'channel_not_found')).toHaveLength(1);
    const errors = parsedLogs(rig.logs).filter((l) => l.level === 50);
    expect(errors[0]).toMatchObject({ slack: { method: 'chat.postMessage', error: 'channel_not_found' } });
    expect(String(errors[0]?.msg)).toMatch(/Slack chat\.postMessage failed for good/);
    expect((await rig.requests.get(next.id))?.messageTs).toBeTruthy();
  });

  it('posts a fresh message when the one to update is gone (message_not_found)', async () => {
    const request = await rig.newRequest();
    await rig.notifier.posted(request);
    await rig.dispatcher.idle();
    const firstTs = (await rig.requests.get(request.id))?.messageTs;
    rig.slack.failNext('chat.update', 'message_not_found');
    await rig.notifier.updated(request);
    await rig.dispatcher.idle();
    const after = await rig.requests.get(request.id);
    expect(after?.messageTs).toBeTruthy();
    expect(after?.messageTs).not.toBe(firstTs);
    expect(rootsOf(rig.slack)).toHaveLength(2);
    expect((await rig.outbox.listForRequest(request.id)).map((r) => r.state)).toEqual(['sent', 'sent']);
  });

  it('coalesces the updates that piled up during an outage into one chat.update', async () => {
    const request = await rig.newRequest();
    await rig.notifier.posted(request);
    await rig.dispatcher.idle();
    rig.slack.faults.storm({ methods: ['chat.update'], kind: 'http500', forMs: 60_000 });
    for (let i = 0; i < 5; i++) await rig.notifier.updated(request);
    await rig.slack.waitFor(() => rig.slack.callsTo('chat.update').length >= 2, 5_000, 'retries of the update');
    rig.slack.faults.heal();
    await rig.dispatcher.idle(5_000);
    expect(rig.slack.delivered('chat.update')).toHaveLength(1);
    expect((await rig.outbox.listForRequest(request.id)).map((r) => r.state).sort()).toEqual(['merged', 'merged', 'merged', 'merged', 'sent', 'sent']);
  });

  it('never sends a row twice when two replicas dispatch the same outbox', async () => {
    const other = rig.replica('replica-b');
    other.start();
    const requests = await Promise.all(Array.from({ length: 8 }, () => rig.newRequest()));
    for (const r of requests) {
      await rig.notifier.posted(r);
      await rig.notifier.step(r, step);
      await rig.notifier.updated(r);
    }
    other.wake();
    await Promise.all([rig.dispatcher.idle(10_000), other.idle(10_000)]);
    expect(rootsOf(rig.slack)).toHaveLength(8);
    for (const r of requests) {
      const stored = await rig.requests.get(r.id);
      expect(threadOf(rig.slack, stored?.messageTs ?? '')).toHaveLength(1);
    }
    expect(rig.slack.delivered('chat.postMessage')).toHaveLength(16);
    expect(rig.slack.delivered('chat.update')).toHaveLength(8);
  });

  it('confirms to the requester through their response_url, with the link to the posted request', async () => {
    const request = await rig.newRequest();
    const url = rig.slack.newResponseUrl();
    await rig.notifier.posted(request);
    await rig.notifier.confirmed(request, url);
    await rig.dispatcher.idle();
    const ts = (await rig.requests.get(request.id))?.messageTs ?? '';
    const [answer] = rig.slack.responses.filter((r) => r.url === url);
    // On the workspace's own host (auth.test `url`), as chat.getPermalink answers, not on slack.com.
    expect(JSON.stringify(answer?.body)).toContain(`<https://warden.slack.com/archives/${SECURITY_CHANNEL}/p${ts.replace('.', '')}|view it>`);
    expect(JSON.stringify(answer?.body)).toContain(request.id);
  });

  it('retries a response_url the stand-in answers with 500, then delivers it once', async () => {
    const request = await rig.newRequest();
    const url = rig.slack.newResponseUrl();
    rig.slack.faults.storm({ methods: [RESPONSE_URL], kind: 'http500', forMs: 300 });
    await rig.notifier.posted(request);
    await rig.notifier.confirmed(request, url);
    await rig.dispatcher.idle(5_000);
    const posts = rig.slack.responses.filter((r) => r.url === url);
    expect(posts.filter((r) => !r.fault && r.status === 200)).toHaveLength(1);
    expect(posts.length).toBeGreaterThan(1);
  });

  it('refuses a response_url outside Slack, logs it, and POSTs nothing there', async () => {
    const request = await rig.newRequest();
    await rig.notifier.posted(request);
    await rig.notifier.confirmed(request, 'http://127.0.0.2:9/actions/T0/1/forged-secret');
    await rig.dispatcher.idle();
    const rows = await rig.outbox.listForRequest(request.id);
    expect(rows.map((r) => r.state)).toEqual(['sent', 'dead']);
    expect(rows[1]?.lastError).toMatch(/refused a response_url on 127\.0\.0\.2:9/);
    expect(rig.logs.join('\n')).not.toContain('forged-secret');
  });

  it('wakes at once on enqueue rather than at the next poll', async () => {
    const slow = await startRig({ dispatcher: { pollMs: 60_000 } });
    try {
      await slow.dispatcher.idle();
      const request = await slow.newRequest();
      const t0 = Date.now();
      await slow.notifier.posted(request);
      await slow.slack.waitFor(() => rootsOf(slow.slack)[0], 2_000, 'the post');
      expect(Date.now() - t0).toBeLessThan(1_000);
    } finally {
      await slow.close();
    }
  });
});

describe('the Slack outbox across a crash', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-outbox-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers what was queued before the process died, once, and takes over a row whose lease ran out', async () => {
    const databaseUrl = `sqlite:${path.join(dir, 'outbox.db')}`;
    const first = await startRig({ databaseUrl, start: false });
    const request = await first.newRequest();
    await first.notifier.posted(request);
    await first.notifier.step(request, step);
    // The first process claimed the post and died before answering for it (its lease stays behind).
    const [post] = await first.outbox.listClaimable(new Date(), 10);
    expect(await first.outbox.claim(post?.id ?? 0, 'dead-process', new Date(Date.now() + 300), new Date())).not.toBeNull();
    await first.database.close();
    await first.slack.close();

    const second = await startRig({ databaseUrl });
    try {
      await second.dispatcher.idle(5_000);
      expect(rootsOf(second.slack)).toHaveLength(1);
      const ts = (await second.requests.get(request.id))?.messageTs ?? '';
      expect(threadOf(second.slack, ts)).toHaveLength(1);
      expect(second.slack.delivered('chat.postMessage')).toHaveLength(2);
    } finally {
      await second.close();
    }
  });
});
