/**
 * Monitor alerts and channel notices through the Slack outbox, against the Slack stand-in with a
 * real WebClient and database: one message per alert group, rendered at delivery, edited in
 * place, crash-safe; notices after everything else that is due.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { alertOutboxKey, noticeOutboxKey } from '../../../src/slack/alert-notifier';
import { SECURITY_CHANNEL } from '../../support/harness';
import { rootsOf, startRig, type Rig } from '../../support/outbox-rig';

const USER = '005000000000001AAA';
const notice = (text: string) => ({ text, blocks: [{ type: 'section' as const, text: { type: 'mrkdwn' as const, text } }] });

describe('alerts through the Slack outbox', () => {
  let rig: Rig;
  beforeEach(async () => {
    rig = await startRig();
  });
  afterEach(() => rig.close());

  it('posts an alert in the security channel and records where it lives, once', async () => {
    const finding = await rig.newAlert(USER, ['0Ak1', '0Ak2']);
    await rig.alertNotifier.alertPosted(finding.key, finding.groupKey);
    await rig.dispatcher.idle();

    const roots = rootsOf(rig.slack);
    expect(roots).toHaveLength(1);
    expect(roots[0]?.text).toBe('Alert: another session from Moscow, RU [0Ak1, 0Ak2]');
    expect(rig.alertMessages.postedCalls).toEqual([{ alertKey: finding.key, channelId: SECURITY_CHANNEL, ts: roots[0]?.ts }]);
    expect(await rig.alerts.get(finding.key)).toMatchObject({ channelId: SECURITY_CHANNEL, messageTs: roots[0]?.ts });
    expect((await rig.outbox.listForKey(alertOutboxKey(finding.groupKey))).map((r) => [r.kind, r.state])).toEqual([['alert_post', 'sent']]);
  });

  it('edits the same message in place, showing the alert as it is at delivery, and merges the updates that piled up', async () => {
    const first = await rig.newAlert(USER, ['0Ak1']);
    await rig.alertNotifier.alertPosted(first.key, first.groupKey);
    await rig.dispatcher.idle();
    const [root] = rootsOf(rig.slack);

    await rig.dispatcher.stop();
    const grown = { ...first, sessionIds: ['0Ak1', '0Ak3'] };
    for (let i = 0; i < 3; i++) await rig.alertNotifier.alertUpdated(first.key, first.groupKey);
    await rig.alerts.update(first.key, grown, new Date());
    await rig.dispatcher.drain();

    expect(rootsOf(rig.slack)).toHaveLength(1);
    const updates = rig.slack.delivered('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]?.args).toMatchObject({ channel: SECURITY_CHANNEL, ts: root?.ts, text: 'Alert: another session from Moscow, RU [0Ak1, 0Ak3]' });
    expect((await rig.outbox.listForKey(alertOutboxKey(first.groupKey))).map((r) => r.state)).toEqual(['sent', 'sent', 'merged', 'merged']);
    expect(rig.alertMessages.postedCalls).toHaveLength(1);
  });

  it('does not merge an update of another alert of the same group into the one being delivered', async () => {
    const a = await rig.newAlert(USER, ['0Ak1']);
    const b = await rig.newAlert(USER, ['0Ak2']);
    await rig.dispatcher.stop();
    await rig.alertNotifier.alertPosted(a.key, a.groupKey);
    await rig.alertNotifier.alertUpdated(a.key, a.groupKey);
    await rig.alertNotifier.alertUpdated(b.key, b.groupKey);
    await rig.dispatcher.drain();
    // b had no message yet, so its update posted it; a's update edited a's message.
    expect(rootsOf(rig.slack)).toHaveLength(2);
    expect(rig.slack.delivered('chat.update')).toHaveLength(1);
    expect(rig.alertMessages.postedCalls.map((p) => p.alertKey)).toEqual([a.key, b.key]);
  });

  it('finishes the row without calling Slack when the alert no longer exists', async () => {
    await rig.alertNotifier.alertPosted('distant-places:005GONE:0Ak9', 'distant-places:005GONE');
    await rig.alertNotifier.alertUpdated('distant-places:005GONE:0Ak9', 'distant-places:005GONE');
    await rig.dispatcher.idle();
    expect(rig.slack.calls.filter((c) => c.method.startsWith('chat.'))).toHaveLength(0);
    expect((await rig.outbox.listForKey(alertOutboxKey('distant-places:005GONE'))).map((r) => r.state)).toEqual(['sent', 'sent']);
    expect(await rig.outbox.countPending()).toBe(0);
  });

  it('skips a post for an alert that already has its message (a post queued twice, or a crash after Slack answered)', async () => {
    const finding = await rig.newAlert(USER, ['0Ak1']);
    await rig.alertNotifier.alertPosted(finding.key, finding.groupKey);
    await rig.alertNotifier.alertPosted(finding.key, finding.groupKey);
    await rig.dispatcher.idle();
    expect(rootsOf(rig.slack)).toHaveLength(1);
    expect(rig.alertMessages.postedCalls).toHaveLength(1);
  });

  it('posts a fresh message when the one to edit is gone (message_not_found), and later edits go to the new one', async () => {
    const finding = await rig.newAlert(USER, ['0Ak1']);
    await rig.alertNotifier.alertPosted(finding.key, finding.groupKey);
    await rig.dispatcher.idle();
    const firstTs = (await rig.alerts.get(finding.key))?.messageTs;

    rig.slack.failNext('chat.update', 'message_not_found');
    await rig.alertNotifier.alertUpdated(finding.key, finding.groupKey);
    await rig.dispatcher.idle();
    const secondTs = (await rig.alerts.get(finding.key))?.messageTs;
    expect(secondTs).toBeTruthy();
    expect(secondTs).not.toBe(firstTs);
    expect(rootsOf(rig.slack)).toHaveLength(2);

    await rig.alerts.resolve(finding.key, 'sessions ended', new Date());
    await rig.alertNotifier.alertUpdated(finding.key, finding.groupKey);
    await rig.dispatcher.idle();
    const edits = rig.slack.delivered('chat.update');
    expect(edits.at(-1)?.args.ts).toBe(secondTs);
    expect(String(edits.at(-1)?.args.text)).toMatch(/^Alert resolved/);
  });

  it('retries an alert post through Retry-After and delivers it once', async () => {
    const finding = await rig.newAlert(USER, ['0Ak1']);
    rig.slack.rateLimit('chat.postMessage', { retryAfter: 1, times: 1 });
    await rig.alertNotifier.alertPosted(finding.key, finding.groupKey);
    await rig.dispatcher.idle(5_000);
    expect(rig.slack.callsTo('chat.postMessage').map((c) => c.status)).toEqual([429, 200]);
    expect(rig.alertMessages.postedCalls).toHaveLength(1);
  });

  it('posts a notice as it was rendered, after the requests and alerts that are due, whatever the order they were queued in', async () => {
    await rig.dispatcher.stop();
    await rig.alertNotifier.notice('api-budget', notice('Polling paused: 8% of the daily API allowance left'));
    const alert = await rig.newAlert(USER, ['0Ak1']);
    await rig.alertNotifier.alertPosted(alert.key, alert.groupKey);
    const request = await rig.newRequest();
    await rig.notifier.posted(request);
    await rig.alertNotifier.notice('api-budget', notice('Polling resumed'));
    const other = await rig.newAlert('005000000000002AAA', ['0Ak7']);
    await rig.alertNotifier.alertPosted(other.key, other.groupKey);
    await rig.dispatcher.drain();

    const posted = rig.slack.delivered('chat.postMessage').map((c) => String(c.args.text));
    expect(posted).toHaveLength(5);
    // Requests and alerts in the order they were queued, then the notices in theirs.
    expect(posted.slice(0, 3)).toEqual([
      expect.stringMatching(/^Alert: /),
      expect.stringMatching(/^Approval needed: Freeze user/),
      expect.stringMatching(/^Alert: /),
    ]);
    expect(posted.slice(3)).toEqual(['Polling paused: 8% of the daily API allowance left', 'Polling resumed']);
    expect(rig.slack.delivered('chat.postMessage')[3]?.args).toMatchObject({
      channel: SECURITY_CHANNEL,
      blocks: notice('Polling paused: 8% of the daily API allowance left').blocks,
    });
    expect((await rig.outbox.listForKey(noticeOutboxKey('api-budget'))).map((r) => r.state)).toEqual(['sent', 'sent']);
  });
});

describe('alerts through the Slack outbox across a crash', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-outbox-alerts-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('delivers an alert queued before the process died, once, taking over the row a dead process held', async () => {
    const databaseUrl = `sqlite:${path.join(dir, 'outbox.db')}`;
    const first = await startRig({ databaseUrl, start: false });
    const finding = await first.newAlert(USER, ['0Ak1']);
    await first.alertNotifier.alertPosted(finding.key, finding.groupKey);
    await first.alertNotifier.alertUpdated(finding.key, finding.groupKey);
    const [post] = await first.outbox.listClaimable(new Date(), 10);
    expect(await first.outbox.claim(post?.id ?? 0, 'dead-process', new Date(Date.now() + 300), new Date())).not.toBeNull();
    await first.database.close();
    await first.slack.close();

    const second = await startRig({ databaseUrl });
    try {
      await second.dispatcher.idle(5_000);
      expect(rootsOf(second.slack)).toHaveLength(1);
      expect(second.slack.delivered('chat.update')).toHaveLength(1);
      expect(second.alertMessages.postedCalls).toEqual([{ alertKey: finding.key, channelId: SECURITY_CHANNEL, ts: rootsOf(second.slack)[0]?.ts }]);
      // Idle again after a while: nothing is posted a second time.
      await new Promise((r) => setTimeout(r, 300));
      await second.dispatcher.idle();
      expect(second.slack.delivered('chat.postMessage')).toHaveLength(1);
    } finally {
      await second.close();
    }
  });
});
