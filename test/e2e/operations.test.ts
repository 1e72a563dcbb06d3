/**
 * The application layer as any surface calls it, and the Slack listeners that only render it:
 * the two-person rule holds in the request service itself, an accepted click is told what
 * happened, a click on another message is refused, and every waiting surface ends in an answer.
 */
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { everything } from '../standins/salesforce/scenarios';
import { click, current, ephemeralTo, requestAction, roots, waitForState } from '../support/approval-flow';
import { COMMAND_CHANNEL, PEOPLE, SECURITY_CHANNEL, replyText, startHarness, type Harness } from '../support/harness';

const now = new Date();
let h: Harness;
let ids: ReturnType<typeof everything>;
beforeAll(async () => {
  ids = everything({ now });
  h = await startHarness({ org: ids.org });
});
afterAll(() => h.close());

const freezeValue = () => encodeValue({ u: ids.compromised.userId });

describe('separation of duties in the request service (no listener involved)', () => {
  it('refuses the requester as approver, changes nothing, and still lets someone else approve', async () => {
    const posted = await requestAction(h, ACTIONS.freeze, freezeValue());
    const service = h.warden.requests.service;

    const self = await service.approve(posted.requestId, PEOPLE.admin.id);
    expect(self).toMatchObject({ refusal: 'requester' });
    const stored = await h.warden.requests.store.get(posted.requestId);
    expect(stored).toMatchObject({ state: 'pending', approvals: [] });
    expect((await h.warden.requests.audit.listForRequest(posted.requestId)).map((e) => e.event)).toEqual(['requested']);

    // Someone who is neither an approver nor the requester: refused too.
    expect(await service.approve(posted.requestId, PEOPLE.outsider.id)).toMatchObject({ refusal: 'not_approver' });
    // An approver who is the person the action targets (bob's Slack e-mail is his Salesforce username).
    expect(await service.approve(posted.requestId, PEOPLE.bob.id)).toMatchObject({ refusal: 'target' });
    // A guest listed nowhere is refused as a guest whatever the caller believes.
    expect(await service.approve(posted.requestId, PEOPLE.guest.id)).toMatchObject({ refusal: 'guest' });

    const ok = await service.approve(posted.requestId, PEOPLE.approver.id);
    expect(ok).toMatchObject({ approvalsMissing: 0 });
    expect(h.sf.org.get(ids.compromised.userLoginId)?.IsFrozen).toBe(true);
  });
});

describe('clicks, answered truthfully', () => {
  it('tells the approver what their click did', async () => {
    const posted = await requestAction(h, ACTIONS.unfreeze, freezeValue());
    const res = await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    expect(await ephemeralTo(h, res)).toMatch(/Approved and done: unfreeze user for .*The request's thread has each step/);
    const done = await waitForState(h, posted, /Approved and done/);
    // The final message states the audit chain's head, outside the database.
    const head = await h.warden.requests.audit.head();
    const stated = /Audit chain head after this request: `(\d+):([0-9a-f]{64})`/.exec(replyText(done));
    expect(stated).not.toBeNull();
    const seq = Number(stated?.[1]);
    const entries = await h.warden.requests.audit.listForRequest(posted.requestId);
    expect(seq).toBe(Math.max(...entries.map((e) => e.seq)));
    expect(await h.warden.requests.audit.verifyChain({ expect: { seq, hash: stated?.[2] ?? '' } })).toMatchObject({ ok: true });
    expect(seq).toBeLessThanOrEqual(head.seq);
  });

  it('refuses an Approve whose request id does not belong to the message it was clicked on', async () => {
    const a = await requestAction(h, ACTIONS.freeze, freezeValue());
    const b = await requestAction(h, ACTIONS.resetPassword, freezeValue());
    const otherMessage = roots(h).find((m) => m.ts === b.ts);
    expect(otherMessage).toBeDefined();
    // Request A's id on request B's message: only a forged payload can do this.
    const res = await h.driver.blockAction({
      user_id: PEOPLE.approver.id,
      message: { channel: SECURITY_CHANNEL, ts: b.ts },
      actions: [{ action_id: ACTIONS.approve, value: a.requestId }],
    });
    expect(await ephemeralTo(h, res)).toMatch(/That request does not exist/);
    expect((await h.warden.requests.store.get(a.requestId))?.state).toBe('pending');
    expect(replyText(current(h, a))).toMatch(/Approval needed/);
    for (const p of [a, b]) await h.warden.requests.service.deny(p.requestId, PEOPLE.approver.id);
  });
});

describe('every waiting surface ends in an answer', () => {
  it('replaces the loading modal with the Salesforce failure, naming Salesforce', async () => {
    h.sf.faults.failNext({ match: /^POST .*\/composite$/, status: 503, errorCode: 'SERVER_UNAVAILABLE', message: 'down for maintenance', count: 5 });
    const updatesBefore = h.slack.callsTo('views.update').length;
    await h.driver.blockAction({
      user_id: PEOPLE.admin.id,
      channel_id: COMMAND_CHANNEL,
      ephemeral: true,
      actions: [{ action_id: ACTIONS.freeze, value: freezeValue() }],
    });
    const update = await h.slack.waitFor(() => h.slack.callsTo('views.update')[updatesBefore], 15_000, 'the modal replaced');
    const text = JSON.stringify(update.args.view);
    expect(text).toMatch(/Salesforce/);
    expect(text).toMatch(/Nothing was requested/);
    expect(text).not.toMatch(/Reading the user/);
    h.sf.faults.reset();
  });

  it('tells a non-admin who submits a request form the bot never opened for them that nothing was requested, instead of dropping it', async () => {
    // Nobody opens a request form for a non-admin, so theirs is written by hand: answered in the form itself.
    const res = await h.driver.viewSubmission({
      user_id: PEOPLE.outsider.id,
      view: {
        callback_id: 'action_request',
        private_metadata: JSON.stringify({ k: 'freeze', u: ids.compromised.userId, r: h.slack.newResponseUrl() }),
        state: { values: { reason: { reason_input: { type: 'plain_text_input', value: 'I would like to freeze this user please' } } } },
      },
    });
    expect(res.body).toEqual({
      response_action: 'errors',
      errors: { reason: 'This form was not opened by Session Warden; nothing was requested. Use a button in a /sessions answer or an alert.' },
    });
    expect(await h.warden.requests.store.listByState(['pending'])).toEqual([]);
  });
});
