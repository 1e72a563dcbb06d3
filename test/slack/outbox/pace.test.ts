/**
 * Slack's pace: about one chat.postMessage per second per channel. The stand-in enforces it the way
 * Slack does (HTTP 429 with Retry-After); the dispatcher's per-channel gate keeps an alert storm
 * under it, so nothing is refused and nothing else the outbox owes waits for the whole storm.
 */
import { ChannelPace } from '../../../src/slack/outbox';
import { rootsOf, startRig, type Rig } from '../../support/outbox-rig';

describe('the channel pace', () => {
  it('spaces the posts of one channel from the answer of the previous one, and lets another channel go meanwhile', async () => {
    const pace = new ChannelPace(10); // 100 ms apart, to keep this quick
    const log: { channel: string; start: number; end: number }[] = [];
    const post = (channel: string) =>
      pace.run(channel, async () => {
        const start = Date.now();
        await new Promise((r) => setTimeout(r, 30));
        log.push({ channel, start, end: Date.now() });
      });
    const t0 = Date.now();
    await Promise.all([post('C1'), post('C1'), post('C1'), post('C2')]);
    const c1 = log.filter((e) => e.channel === 'C1');
    expect(c1).toHaveLength(3);
    for (let i = 1; i < c1.length; i++) expect((c1[i]?.start ?? 0) - (c1[i - 1]?.end ?? 0)).toBeGreaterThanOrEqual(99);
    // C2 did not queue behind C1.
    expect((log.find((e) => e.channel === 'C2')?.start ?? Infinity) - t0).toBeLessThan(60);
  });

  it('rejects a rate that is not positive (a configuration mistake of the bot)', () => {
    expect(() => new ChannelPace(0)).toThrow(/positive rate/);
  });
});

describe('an alert storm under Slack’s channel pace', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ dispatcher: { channelPace: { perChannelPerSecond: 1 } } });
  });
  afterAll(() => rig.close());

  it('posts 30 alerts once each with no 429, in about 30 s, while an update queued meanwhile goes out within seconds', async () => {
    const request = await rig.newRequest();
    await rig.notifier.posted(request);
    await rig.dispatcher.idle();
    rig.slack.faults.enforceChannelPace({ perChannelPerSecond: 1 });

    const findings = [];
    for (let i = 0; i < 30; i++) findings.push(await rig.newAlert(`0050000000000${String(i).padStart(2, '0')}AAA`, [`0Ak${i}`]));
    const t0 = Date.now();
    for (const f of findings) await rig.alertNotifier.alertPosted(f.key, f.groupKey);

    // An edit of the request message is not a post: it must not wait behind the 30 paced posts.
    await rig.slack.waitFor(() => rootsOf(rig.slack).length >= 3, 5_000, 'the storm to be under way');
    const updateQueuedAt = Date.now();
    await rig.notifier.updated(request);
    await rig.slack.waitFor(() => rig.slack.delivered('chat.update')[0], 8_000, 'the request update during the storm');
    const updateWaitMs = Date.now() - updateQueuedAt;

    await rig.dispatcher.idle(50_000);
    const elapsedMs = Date.now() - t0;

    expect(rig.slack.faults.rateLimitedCount).toBe(0);
    expect(rootsOf(rig.slack)).toHaveLength(31);
    expect(new Set(rig.alertMessages.postedCalls.map((p) => p.alertKey))).toEqual(new Set(findings.map((f) => f.key)));
    expect(rig.alertMessages.postedCalls).toHaveLength(30);
    expect(updateWaitMs).toBeLessThan(8_000);
    expect(elapsedMs).toBeLessThan(40_000);
    // The figures, for whoever tunes the pace.
    console.log('alert storm figures:', JSON.stringify({ alerts: 30, elapsedMs, updateWaitMs, rateLimited: rig.slack.faults.rateLimitedCount }));
  }, 60_000);
});
