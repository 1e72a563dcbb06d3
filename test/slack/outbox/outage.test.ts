/**
 * Slack outages end to end, with the real Bolt app and WebClient against the Slack stand-in:
 * approving, executing and expiring never wait on Slack, and everything the bot owes Slack
 * arrives, once, after Slack recovers — without a restart.
 */
import { ACTIONS, encodeValue } from '../../../src/slack/views/action-ids';
import { everything } from '../../standins/salesforce/scenarios';
import { RESPONSE_URL } from '../../standins/slack/faults';
import { METHODS } from '../../standins/slack/web-api';
import { click, current, ephemeralTo, requestAction, roots, thread, waitForState, type Posted } from '../../support/approval-flow';
import { PEOPLE, replyText, SECURITY_CHANNEL, startHarness, type Harness } from '../../support/harness';

/** Short backoffs keep the suite fast; the shape (exponential, capped, jittered) is production's. */
const OUTBOX = { pollMs: 200, backoff: { baseMs: 200, maxMs: 2_000 } };

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const hasApprove = (h: Harness, posted: Posted) => JSON.stringify(current(h, posted).blocks).includes(ACTIONS.approve);
const deletes = (h: Harness) => h.sf.apiCalls().filter((c) => c.method === 'DELETE');

describe('Slack outages', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now: new Date() });
    h = await startHarness({ org: ids.org, warden: { outbox: OUTBOX } });
  });
  afterAll(() => h.close());
  afterEach(async () => {
    h.slack.faults.reset();
    await h.warden.outbox.dispatcher.idle(15_000);
  });

  it('executes an approval at once while chat.update answers 500, and fixes the message when Slack is back', async () => {
    const posted = await requestAction(h, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: ids.compromised.moscowRootId }));
    h.sf.resetRequests();
    h.slack.faults.storm({ methods: ['chat.update'], kind: 'http500', forMs: 10_000 });
    const clickedAt = Date.now();
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await until('the DELETE', () => Promise.resolve(deletes(h).length > 0), 5_000);
    expect(Date.now() - clickedAt).toBeLessThan(5_000);
    const done = await until('the request to be done', async () => {
      const r = await h.warden.requests.store.get(posted.requestId);
      return r?.state === 'done' ? r : null;
    });
    expect(done.state).toBe('done');
    // Slack is still down: the old message shows Approve, but a second approver cannot start it again.
    expect(hasApprove(h, posted)).toBe(true);
    const second = await click(h, PEOPLE.approver2.id, posted, ACTIONS.approve);
    expect(await ephemeralTo(h, second)).toMatch(/already been decided/i);
    expect(deletes(h)).toHaveLength(1);
    expect(h.slack.callsTo('chat.update').filter((c) => c.fault === 'storm').length).toBeGreaterThan(0);

    h.slack.faults.heal();
    const shown = await waitForState(h, posted, /Approved and done/, 10_000);
    expect(JSON.stringify(shown.blocks)).not.toContain(ACTIONS.approve);
    expect(deletes(h)).toHaveLength(1);
  });

  it.each([
    ['rate-limited (429, Retry-After 1)', { kind: 'ratelimit' as const, retryAfter: 1 }],
    ['answering HTTP 500', { kind: 'http500' as const }],
  ])('gets the step results into the thread while chat.postMessage is %s', async (_name, fault) => {
    // Each case freezes the same user: thaw them first, since a freeze that would change nothing is refused in its form.
    for (const login of ids.org.byReference('UserLogin', 'UserId', ids.compromised.userId)) ids.org.update(String(login.Id), { IsFrozen: false });
    const posted = await requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.compromised.userId }));
    h.slack.faults.storm({ methods: ['chat.postMessage'], forMs: 1_500, ...fault });
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await until('the request to be done', async () => (await h.warden.requests.store.get(posted.requestId))?.state === 'done', 5_000);
    const replies = await h.slack.waitFor(
      () => (thread(h, posted).length >= 2 ? thread(h, posted) : undefined),
      10_000,
      'the step reply and the requester notice',
    );
    expect(replies.map((m) => m.text).join('\n')).toMatch(/frozen/i);
    expect(replies.filter((m) => m.text.includes(`<@${PEOPLE.admin.id}>`))).toHaveLength(1);
    await h.warden.outbox.dispatcher.idle();
    expect(thread(h, posted)).toHaveLength(replies.length);
    expect(h.slack.callsTo('chat.postMessage').some((c) => c.fault === 'storm')).toBe(true);
  });

  it('takes the Approve button off a request that expired during an outage once Slack is back', async () => {
    const posted = await requestAction(h, ACTIONS.removeAll, encodeValue({ u: ids.quiet.userId }));
    h.slack.faults.storm({ methods: ['chat.update'], kind: 'http500', forMs: 60_000 });
    h.advance(61 * 60_000);
    try {
      const expired = await h.warden.requests.service.expireDue();
      expect(expired.map((r) => r.id)).toContain(posted.requestId);
      await h.slack.waitFor(() => h.slack.callsTo('chat.update').some((c) => c.fault === 'storm'), 5_000, 'an update tried during the outage');
      expect(hasApprove(h, posted)).toBe(true);
      h.slack.faults.heal();
      const shown = await waitForState(h, posted, /Expired/, 10_000);
      expect(JSON.stringify(shown.blocks)).not.toContain(ACTIONS.approve);
      expect(JSON.stringify(shown.blocks)).toContain(ACTIONS.askAgain);
    } finally {
      h.advance(-61 * 60_000);
    }
  });

  it('posts a request whose first post failed as soon as Slack is back, without a restart, and confirms it once', async () => {
    h.slack.faults.storm({ methods: ['chat.postMessage'], kind: 'http500', forMs: 60_000 });
    const before = roots(h).length;
    const asking = requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.duplicate.carolId }));
    await h.slack.waitFor(() => h.slack.callsTo('chat.postMessage').some((c) => c.fault === 'storm'), 15_000, 'a post tried during the outage');
    h.slack.faults.heal();
    const posted = await asking;
    expect(roots(h).length).toBe(before + 1);
    const confirmations = h.slack.responses.filter((r) => !r.fault && replyText(r.body as object).includes(posted.requestId));
    expect(confirmations).toHaveLength(1);
    // The workspace URL the bot read from auth.test at start, not slack.com.
    expect(replyText(confirmations[0]?.body as object)).toContain(`https://warden.slack.com/archives/${SECURITY_CHANNEL}/p${posted.ts.replace('.', '')}`);
  });

  it('after 30 s of every Web API call failing, delivers the approval made during it within a minute of recovery, each message once', async () => {
    const posted = await requestAction(h, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: ids.compromised.sanFranciscoRootId }));
    h.sf.resetRequests();
    // Every Web API method, users.info included, and every response_url: the click's access check
    // decides on the approver's profile read ahead of time (AccessControl.warm at start).
    const methods = [...Object.keys(METHODS), RESPONSE_URL];
    const outage = 30_000;
    const stormStart = Date.now();
    h.slack.faults.storm({ methods, kind: 'http500', forMs: outage });
    const callsBefore = h.slack.calls.length;

    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await until('the request to be done', async () => (await h.warden.requests.store.get(posted.requestId))?.state === 'done', 5_000);
    const executedAfterMs = Date.now() - stormStart;
    expect(executedAfterMs).toBeLessThan(5_000);
    expect(deletes(h)).toHaveLength(1);
    expect(hasApprove(h, posted)).toBe(true);

    const healedAt = stormStart + outage;
    await new Promise((r) => setTimeout(r, Math.max(0, healedAt - Date.now())));
    await waitForState(h, posted, /Approved and done/, 60_000);
    // The step result, the requester's notice, and (the rules had flagged Bob) the ways back in.
    const replies = await h.slack.waitFor(() => (thread(h, posted).length >= 3 ? thread(h, posted) : undefined), 60_000, 'the thread replies');
    await h.warden.outbox.dispatcher.idle(60_000);
    const ours = h.slack.calls.slice(callsBefore).filter((c) => c.args.ts === posted.ts || c.args.thread_ts === posted.ts);
    const delivered = ours.filter((c) => c.status === 200 && c.response.ok);
    const lastDeliveryAfterHealMs = Math.max(...delivered.map((c) => c.at)) - healedAt;
    expect(lastDeliveryAfterHealMs).toBeLessThan(60_000);

    // Exactly once: one update of the request message, each thread reply once, one notice to the requester.
    expect(delivered.filter((c) => c.method === 'chat.update')).toHaveLength(1);
    const replyTexts = delivered.filter((c) => c.method === 'chat.postMessage').map((c) => String(c.args.text));
    expect(new Set(replyTexts).size).toBe(replyTexts.length);
    expect(thread(h, posted)).toHaveLength(replies.length);
    expect(replyTexts.filter((t) => t.includes(`<@${PEOPLE.admin.id}>`))).toHaveLength(1);
    expect(replyTexts.join('\n')).toMatch(/ended|removed/i);
    expect(deletes(h)).toHaveLength(1);
    const perMessage = {
      updateCalls: ours.filter((c) => c.method === 'chat.update').length,
      replyCalls: ours.filter((c) => c.method === 'chat.postMessage').length,
      replies: replyTexts.length,
    };
    // The figures for the report (printed, not asserted beyond the bounds above).
    process.stdout.write(`outage figures: ${JSON.stringify({ executedAfterMs, lastDeliveryAfterHealMs, ...perMessage })}\n`);
  }, 120_000);
});
