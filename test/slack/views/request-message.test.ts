import type { ActionsBlock, Button, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { REQUEST_STATES, type RequestState } from '../../../src/requests/types';
import { ACTIONS } from '../../../src/slack/views/action-ids';
import {
  clickRefusal,
  requestConfirmation,
  requesterNotice,
  requestMessage,
  stepReply,
  verdictReply,
  type ClickRefusalReason,
} from '../../../src/slack/views/request-message';
import { allText, expectValidMessage } from './assert-valid';
import { makeRequest, NOW } from './factories';

const view = { now: NOW };
const approval = { userId: 'UAPPROVER1', at: new Date(NOW.getTime() + 60_000) };

function buttons(blocks: KnownBlock[]): Button[] {
  return blocks.filter((b): b is ActionsBlock => b.type === 'actions').flatMap((b) => b.elements.filter((e): e is Button => e.type === 'button'));
}

function section(blocks: KnownBlock[], id: string): string {
  const b = blocks.find((x): x is SectionBlock => x.type === 'section' && x.block_id === id);
  return b?.text?.text ?? '';
}

function headerText(blocks: KnownBlock[]): string {
  return blocks.find((b): b is HeaderBlock => b.type === 'header')?.text.text ?? '';
}

const doneResult = {
  steps: [
    { step: 'freeze', status: 'ok', summary: 'User frozen.', detail: {}, apiCalls: 1 },
    { step: 'remove-all', status: 'partial', summary: '10 of 12 sessions ended.', detail: {}, apiCalls: 2 },
    { step: 'revoke-all', status: 'failed', summary: 'revoke-all failed: Salesforce answered REQUEST_LIMIT_EXCEEDED.', detail: {}, apiCalls: 1 },
  ],
  verification: { ok: false, summary: 'Not fully in effect: 2 sessions still open.', alerts: [], detail: null },
};

function inState(state: RequestState) {
  const decided =
    state === 'pending' || state === 'expired' ? {} : state === 'denied' ? { decidedBy: 'UAPPROVER1' } : { approvals: [approval], decidedBy: 'UAPPROVER1' };
  return makeRequest({ state, ...decided, ...(state === 'done' || state === 'failed' ? { result: doneResult } : {}) });
}

describe('requestMessage', () => {
  it('is valid Block Kit with a state headline in every state', () => {
    const headlines: Record<RequestState, string> = {
      pending: 'Approval needed: Remove session',
      approved: 'Approved: Remove session',
      executing: 'Executing: Remove session',
      done: 'Approved and done: Remove session',
      failed: 'Failed: Remove session',
      denied: 'Denied: Remove session',
      expired: 'Expired: Remove session',
    };
    for (const state of REQUEST_STATES) {
      const msg = requestMessage(inState(state), view);
      expectValidMessage(msg);
      expect(headerText(msg.blocks)).toBe(headlines[state]);
      expect(msg.text).toContain(headlines[state]);
    }
  });

  it('has Approve and Deny only while pending, and Ask again only once expired', () => {
    for (const state of REQUEST_STATES) {
      const ids = buttons(requestMessage(inState(state), view).blocks).map((b) => b.action_id);
      if (state === 'pending') expect(ids).toEqual([ACTIONS.approve, ACTIONS.deny]);
      else if (state === 'expired') expect(ids).toEqual([ACTIONS.askAgain]);
      else expect(ids).toEqual([]);
    }
  });

  it('carries only the request id in the buttons, with a confirm dialog on Approve', () => {
    const [approve, deny] = buttons(requestMessage(makeRequest(), view).blocks);
    expect(approve).toMatchObject({ value: 'RABCDEFGHJK', style: 'primary' });
    expect(approve?.confirm?.title?.text).toBe('Approve and execute now?');
    expect(approve?.confirm?.text.text).toContain('runs in Salesforce as soon as you confirm');
    expect(deny).toMatchObject({ value: 'RABCDEFGHJK', style: 'danger' });
    const [askAgain] = buttons(requestMessage(makeRequest({ state: 'expired' }), view).blocks);
    expect(askAgain?.value).toBe('RABCDEFGHJK');
  });

  it('hides the buttons of a pending request whose time is up', () => {
    const msg = requestMessage(makeRequest(), { now: new Date(NOW.getTime() + 16 * 60_000) });
    expect(buttons(msg.blocks)).toEqual([]);
  });

  it('says who asks, whom it targets, what exactly and why', () => {
    const msg = requestMessage(makeRequest(), view);
    const body = section(msg.blocks, 'request');
    expect(body).toContain('*Requested by* <@UADMIN0001>');
    expect(body).toContain('*Target* Ada Lovelace (ada@acme.com) · `005000000000001AAA`');
    expect(body).toContain('*Action* Remove session — 3 sessions');
    expect(section(msg.blocks, 'reason')).toBe('*Why*\n> Login from Moscow ten minutes after San Francisco');
    const evidence = section(msg.blocks, 'evidence');
    expect(evidence).toContain('12 sessions in 3 families · from US, RU');
    expect(evidence).toContain('• Impossible travel: San Francisco → Moscow');
  });

  it('names the apps to revoke and whether containment resets the password', () => {
    const revoke = requestMessage(makeRequest({ kind: 'revoke_tokens', params: { appNames: ['Data Loader', 'Workbench'] } }), view);
    expect(section(revoke.blocks, 'request')).toContain('*Action* Revoke OAuth tokens — apps: Data Loader, Workbench');
    const contain = requestMessage(makeRequest({ kind: 'contain', params: { resetPassword: true } }), view);
    expect(section(contain.blocks, 'request')).toContain('*Action* Contain account — reset password: yes');
    const noReset = requestMessage(makeRequest({ kind: 'contain', params: {} }), view);
    expect(section(noReset.blocks, 'request')).toContain('reset password: no');
  });

  it('escapes the reason (keeping its lines) and the target name', () => {
    const msg = requestMessage(
      makeRequest({
        reason: '<!channel> look\n\n\n<https://evil.example|click here> & hurry',
        target: { userId: '005000000000001AAA', username: 'eve@acme.com', name: '<@U999> Eve', email: 'eve@acme.com' },
      }),
      view,
    );
    expectValidMessage(msg);
    expect(section(msg.blocks, 'reason')).toBe('*Why*\n> &lt;!channel&gt; look\n> \n> &lt;https://evil.example|click here&gt; &amp; hurry');
    expect(section(msg.blocks, 'request')).toContain('&lt;@U999&gt; Eve');
    expect(allText(msg.blocks)).not.toContain('<!channel>');
    expect(allText(msg.blocks)).not.toContain('<@U999>');
  });

  it('stays within Slack limits with a maximal reason and many findings', () => {
    const msg = requestMessage(
      makeRequest({
        reason: '&<>'.repeat(333),
        evidence: { sessions: 5000, families: 900, countries: Array.from({ length: 40 }, (_, i) => `Country ${i}`), findings: Array.from({ length: 30 }, (_, i) => `Finding ${i} ${'&'.repeat(300)}`) },
      }),
      view,
    );
    expectValidMessage(msg);
    const evidence = section(msg.blocks, 'evidence');
    expect(evidence).toContain('Finding 4');
    expect(evidence).not.toContain('Finding 5 ');
    expect(evidence).toContain('…and 25 more findings');
  });

  it('shows approvals so far for a two-approver request', () => {
    const first = makeRequest({ kind: 'deactivate', requiredApprovals: 2, approvals: [approval] });
    const msg = requestMessage(first, view);
    expect(allText(msg.blocks)).toContain('1 of 2 approvals: <@UAPPROVER1>');
    const [approve] = buttons(msg.blocks);
    expect(approve?.confirm?.title?.text).toBe('Approve and execute now?');
    const none = requestMessage(makeRequest({ kind: 'deactivate', requiredApprovals: 2 }), view);
    expect(allText(none.blocks)).toContain('0 of 2 approvals');
    expect(buttons(none.blocks)[0]?.confirm?.title?.text).toBe('Approve?');
  });

  it('says who denied, or that the requester withdrew', () => {
    const denied = requestMessage(makeRequest({ state: 'denied', decidedBy: 'UAPPROVER1' }), view);
    expect(allText(denied.blocks)).toContain('denied by <@UAPPROVER1>');
    const withdrawn = requestMessage(makeRequest({ state: 'denied', decidedBy: 'UADMIN0001' }), view);
    expect(allText(withdrawn.blocks)).toContain('withdrawn by <@UADMIN0001> (the requester)');
  });

  it('lists each step and the verification once done or failed', () => {
    const msg = requestMessage(inState('failed'), view);
    const outcome = section(msg.blocks, 'outcome');
    expect(outcome).toContain(':white_check_mark: *Freeze user*: User frozen.');
    expect(outcome).toContain(':large_orange_circle: *Remove all sessions*: 10 of 12 sessions ended.');
    expect(outcome).toContain(':x: *Revoke all OAuth tokens*: revoke-all failed');
    expect(outcome).toContain(':warning: Not fully in effect: 2 sessions still open.');
    expect(allText(msg.blocks)).toContain('approved by <@UAPPROVER1>');
    const overridden = requestMessage(inState('done'), { now: NOW, verification: { ok: true, summary: 'Verified: no session left' } });
    expect(section(overridden.blocks, 'outcome')).toContain(':white_check_mark: Verified: no session left');
    const hidden = requestMessage(inState('done'), { now: NOW, verification: null });
    expect(section(hidden.blocks, 'outcome')).not.toContain('still open');
    expect(section(requestMessage(inState('executing'), view).blocks, 'outcome')).toBe('');
  });

  it('uses given evidence, and links the target to Salesforce when an instance URL is given', () => {
    const msg = requestMessage(makeRequest({ evidence: null }), {
      now: NOW,
      evidence: { sessions: 1, families: 1, countries: [], findings: [] },
      permalinkBase: 'https://acme.my.salesforce.com/',
    });
    expect(section(msg.blocks, 'evidence')).toContain('1 session in 1 family');
    expect(section(msg.blocks, 'request')).toContain('<https://acme.my.salesforce.com/005000000000001AAA|005000000000001AAA>');
    expect(section(requestMessage(makeRequest({ evidence: 'garbage' }), view).blocks, 'evidence')).toBe('');
  });
});

describe('thread replies and notices', () => {
  it('stepReply: one line per step with its status', () => {
    const msg = stepReply({ step: 'remove', status: 'ok', summary: '3 sessions ended <now>.' });
    expectValidMessage(msg);
    expect(section(msg.blocks, 'step')).toBe(':white_check_mark: *Remove sessions* (ok): 3 sessions ended &lt;now&gt;.');
  });

  it('verdictReply: the re-check verdict and its alerts', () => {
    const ok = verdictReply({ ok: true, summary: 'Verified in Salesforce: the action took effect.', alerts: [] });
    expectValidMessage(ok);
    expect(section(ok.blocks, 'verdict')).toBe('*30-minute re-check:* :white_check_mark: Verified in Salesforce: the action took effect.');
    expect(ok.blocks).toHaveLength(1);
    const alerts = Array.from({ length: 12 }, (_, i) => `New session 0Ak${i} from 203.0.113.7`);
    const bad = verdictReply({ ok: false, summary: 'Not fully in effect: 12 new sessions since the action.', alerts });
    expectValidMessage(bad);
    expect(section(bad.blocks, 'verdict')).toContain(':warning: Not fully in effect');
    const lines = section(bad.blocks, 'alerts').split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe(':rotating_light: New session 0Ak0 from 203.0.113.7');
    expect(lines[10]).toBe('…and 2 more');
  });

  it('requesterNotice: tells the requester how it ended', () => {
    const done = requesterNotice(inState('done'));
    expectValidMessage(done);
    expect(done.text).toBe('<@UADMIN0001> your request `RABCDEFGHJK` to remove session for Ada Lovelace (ada@acme.com) was approved by <@UAPPROVER1> and done.');
    expect(requesterNotice(inState('failed')).text).toContain('was approved by <@UAPPROVER1> but failed');
    expect(requesterNotice(inState('denied')).text).toContain('was denied by <@UAPPROVER1>.');
    expect(requesterNotice(inState('expired')).text).toContain('expired without a decision');
  });

  it('clickRefusal: one explaining sentence per reason', () => {
    const reasons: ClickRefusalReason[] = ['not_approver', 'requester', 'target', 'guest', 'expired', 'already_decided', 'already_approved_by_you'];
    const texts = reasons.map((r) => {
      const msg = clickRefusal(r);
      expectValidMessage(msg);
      return msg.text;
    });
    expect(new Set(texts).size).toBe(reasons.length);
    expect(clickRefusal('requester').text).toBe('You asked for this, so someone else has to approve it (two-person rule).');
  });

  it('requestConfirmation: where the request was posted, or that it could not be', () => {
    const posted = requestConfirmation(makeRequest(), 'https://slack.com/archives/CSECURITY1/p1764158400000100');
    expectValidMessage(posted);
    expect(posted.text).toContain('Request `RABCDEFGHJK` to remove session for Ada Lovelace posted for approval in <#CSECURITY1>: <https://slack.com/archives/CSECURITY1/p1764158400000100|view it>.');
    expect(requestConfirmation(makeRequest(), 'javascript:alert(1)').text).not.toContain('view it');
    const lost = requestConfirmation(makeRequest({ channelId: null, messageTs: null }), null);
    expect(lost.text).toContain('could not be posted for approval');
  });
});
