import type { ActionsBlock, Button, HeaderBlock, KnownBlock, SectionBlock } from '@slack/types';
import { REQUEST_STATES, type RequestState } from '../../../src/domain/requests';
import { ACTIONS, INVESTIGATE_ACTIONS } from '../../../src/slack/views/action-ids';
import {
  clickRefusal,
  requestConfirmation,
  requesterNotice,
  requestMessage,
  stepReply,
  verdictReply,
  type ClickRefusalReason,
} from '../../../src/slack/views/request-message';
import { LIMITS } from '../../../src/slack/views/blocks';
import { blockTextLength } from '../../../src/slack/views/text';
import { allText, expectValidMessage } from '../../support/assert-valid-blocks';
import { HOUR, legacyEvidence, makeConcerned, makeEvidence, makeRequest, NOW, requestOf, sessionId } from '../../support/view-factories';

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
      // The fixture's verification found 2 sessions still open: the headline says so.
      done: 'Done — not fully in effect: Remove session',
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
      if (state === 'pending') expect(ids).toEqual([ACTIONS.approve, ACTIONS.deny, INVESTIGATE_ACTIONS.request]);
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
    expect(evidence).toContain('• Older than the 2 h timeout');
  });

  it('names the apps to revoke and whether containment resets the password', () => {
    const revoke = requestMessage(requestOf('revoke_tokens', { appNames: ['Data Loader', 'Workbench'] }), view);
    expect(section(revoke.blocks, 'request')).toContain('*Action* Revoke OAuth tokens — apps: Data Loader, Workbench');
    expect(section(requestMessage(requestOf('revoke_tokens', {}), view).blocks, 'request')).toContain('*Action* Revoke OAuth tokens — every app');
    const contain = requestMessage(requestOf('contain', { resetPassword: true }), view);
    expect(section(contain.blocks, 'request')).toContain('*Action* Contain account — reset password: yes');
    const noReset = requestMessage(requestOf('contain', { resetPassword: false, userLoginId: '0Yw000000000001AAA' }), view);
    expect(section(noReset.blocks, 'request')).toContain('reset password: no');
    expect(section(requestMessage(requestOf('freeze', {}), view).blocks, 'request')).toBe(
      '*Requested by* <@UADMIN0001>\n*Target* Ada Lovelace (ada@acme.com) · `005000000000001AAA`\n*Action* Freeze user',
    );
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
        evidence: {
          sessions: 5000,
          families: 900,
          countries: Array.from({ length: 40 }, (_, i) => `Country ${i}`),
          findings: Array.from({ length: 30 }, (_, i) => `Finding ${i} ${'&'.repeat(300)}`),
        },
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
    const first = requestOf('deactivate', {}, { requiredApprovals: 2, approvals: [approval] });
    const msg = requestMessage(first, view);
    expect(allText(msg.blocks)).toContain('1 of 2 approvals: <@UAPPROVER1>');
    const [approve] = buttons(msg.blocks);
    expect(approve?.confirm?.title?.text).toBe('Approve and execute now?');
    const none = requestMessage(requestOf('deactivate', {}, { requiredApprovals: 2 }), view);
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
      evidence: { sessions: 1, families: 1, countries: [], findings: [], concerned: null },
      permalinkBase: 'https://acme.my.salesforce.com/',
    });
    expect(section(msg.blocks, 'evidence')).toContain('1 session in 1 family');
    expect(section(msg.blocks, 'request')).toContain('<https://acme.my.salesforce.com/005000000000001AAA|005000000000001AAA>');
    expect(section(requestMessage(makeRequest({ evidence: 'garbage' }), view).blocks, 'evidence')).toBe('');
  });
});

describe('requestMessage: the sessions a request ends', () => {
  const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
  const loginOf1 = new Date(NOW.getTime() - 3 * HOUR - 10 * 60_000);

  it('names the session a remove-session request ends, with its findings before the other evidence', () => {
    const msg = requestMessage(makeRequest(), view);
    expectValidMessage(msg);
    const concerned = section(msg.blocks, 'concerned');
    expect(concerned.split('\n')).toEqual([
      '*Session this ends* (as seen at request time)',
      `• \`203.0.113.9\` · Moscow, RU · UI / Application · logged in <!date^${epoch(loginOf1)}^{date_short_pretty} {time}|2026-11-26 08:50 UTC> · 3 h 10 min old · 2 more sessions in this login`,
      '      ↳ Impossible travel: San Francisco → Moscow',
    ]);
    const ids = msg.blocks.map((b) => b.block_id);
    expect(ids.indexOf('concerned')).toBeLessThan(ids.indexOf('evidence'));
    expect(ids.indexOf('concerned')).toBe(ids.indexOf('request') + 1);
    // Shown under its session, so not repeated among the rest.
    const evidence = section(msg.blocks, 'evidence');
    expect(evidence).not.toContain('Impossible travel');
    expect(evidence).toContain('_Other findings:_\n• Older than the 2 h timeout');
  });

  it('ages the sessions against the time of rendering', () => {
    const later = requestMessage(makeRequest(), { now: new Date(NOW.getTime() + 2 * 24 * HOUR) });
    expect(section(later.blocks, 'concerned')).toContain(' · 2 days old · ');
  });

  it.each([
    ['a single session, no login type', { children: 0, loginType: null }, '· UI · logged in', 'in this login'],
    ['one child session', { children: 1 }, '· 1 more session in this login', '2 more'],
    ['no IP and no place', { ip: null, place: null }, '• unknown IP · unknown place · UI / Application', '`'],
  ])('words %s', (_name, over, expected, absent) => {
    const evidence = makeEvidence({ concerned: [makeConcerned(1, over)] });
    const text = section(requestMessage(makeRequest({ evidence }), view).blocks, 'concerned');
    expect(text).toContain(expected);
    expect(text).not.toContain(absent);
  });

  it('lists the first 10 families of a remove-all request and says how many more, within budget', () => {
    const concerned = Array.from({ length: 25 }, (_, i) =>
      makeConcerned(i + 1, { ip: `198.51.100.${i + 1}`, findings: [`Finding about family ${i + 1}`, `Second finding about family ${i + 1}`] }),
    );
    const evidence = makeEvidence({ sessions: 75, families: 25, concerned, findings: concerned.flatMap((c) => c.findings) });
    const msg = requestMessage(requestOf('remove_all', {}, { evidence }), view);
    expectValidMessage(msg);
    const lines = section(msg.blocks, 'concerned').split('\n');
    expect(lines[0]).toBe('*Sessions this ends* (as seen at request time)');
    const sessionLines = lines.filter((l) => l.startsWith('• '));
    expect(sessionLines).toHaveLength(10);
    expect(sessionLines[9]).toContain('`198.51.100.10`');
    expect(lines[lines.length - 1]).toBe('…and 15 more logins');
    // The findings of families 11 and beyond were not shown with them, so they lead the rest.
    expect(section(msg.blocks, 'evidence')).toContain('_Other findings:_\n• Finding about family 11\n• Second finding about family 11');
  });

  it('stays within the section and message limits when every family is long', () => {
    const long = '&<>'.repeat(100);
    const concerned = Array.from({ length: 50 }, (_, i) =>
      makeConcerned(i + 1, { ip: long, place: long, sessionType: long, loginType: long, findings: Array.from({ length: 6 }, (_, j) => `${j} ${long}`) }),
    );
    const evidence = makeEvidence({ concerned, countries: Array.from({ length: 40 }, () => long), findings: concerned.flatMap((c) => c.findings) });
    const steps = ['freeze', 'remove-all', 'revoke-all', 'reset-password'].map((step) => ({ step, status: 'failed', summary: long.repeat(5) }));
    const result = { steps, verification: { ok: false, summary: long.repeat(5) }, recheck: { ok: false, summary: long.repeat(5), alerts: [] } };
    const pending = requestOf('contain', { resetPassword: true }, { reason: long.repeat(4), evidence });
    for (const request of [pending, { ...pending, state: 'failed' as const, approvals: [approval], result }]) {
      const msg = requestMessage(request, view);
      expectValidMessage(msg);
      const text = section(msg.blocks, 'concerned');
      expect(text.length).toBeLessThanOrEqual(2_900);
      expect(text).toMatch(/\n…and \d+ more logins$/);
      expect(text).toContain('      ↳ …and 3 more findings');
      expect(blockTextLength(msg.blocks)).toBeLessThanOrEqual(LIMITS.messageBlockText);
    }
  });

  it('says when a session-ending request found no session open', () => {
    const msg = requestMessage(requestOf('remove_all', {}, { evidence: makeEvidence({ concerned: [], sessions: 0, families: 0 }) }), view);
    expectValidMessage(msg);
    expect(section(msg.blocks, 'concerned')).toBe('*Sessions this ends:* none was open at request time');
  });

  it.each([
    ['freeze', requestOf('freeze', {})],
    ['reset_password', requestOf('reset_password', {})],
    ['revoke_tokens', requestOf('revoke_tokens', { appNames: ['Workbench'] })],
    ['deactivate', requestOf('deactivate', {}, { requiredApprovals: 2 })],
  ])('keeps the evidence as it was for %s, which ends no session', (_kind, request) => {
    const msg = requestMessage({ ...request, evidence: makeEvidence({ concerned: [] }) }, view);
    expectValidMessage(msg);
    expect(section(msg.blocks, 'concerned')).toBe('');
    const evidence = section(msg.blocks, 'evidence');
    expect(evidence).toContain('• Impossible travel: San Francisco → Moscow\n• Older than the 2 h timeout');
    expect(evidence).not.toContain('Other findings');
  });

  it('renders evidence stored before sessions were named, as before', () => {
    const msg = requestMessage(makeRequest({ evidence: legacyEvidence() }), view);
    expectValidMessage(msg);
    expect(section(msg.blocks, 'concerned')).toBe('');
    expect(section(msg.blocks, 'evidence')).toBe(
      '*Evidence at request time:* 12 sessions in 3 families · from US, RU\n• Impossible travel: San Francisco → Moscow\n• Older than the 2 h timeout',
    );
  });

  it('reads malformed stored families defensively', () => {
    const concerned: unknown[] = [
      'not an object',
      { id: 42, sessionType: 'UI' },
      { ...makeConcerned(1), loginAt: 'yesterday', createdAt: null, children: -3, findings: ['ok', 7, null] },
    ];
    const msg = requestMessage(makeRequest({ evidence: { ...makeEvidence(), concerned } }), view);
    expectValidMessage(msg);
    const text = section(msg.blocks, 'concerned');
    expect(text.split('\n')).toEqual([
      '*Session this ends* (as seen at request time)',
      '• `203.0.113.9` · Moscow, RU · UI / Application · login time unknown',
      '      ↳ ok',
    ]);
    expect(allText(msg.blocks)).not.toContain('NaN');
  });

  it.each([
    ['a channel ping', '<!channel>', '&lt;!channel&gt;', '<!channel>'],
    ['a link', '<http://x|y>', '&lt;http://x|y&gt;', '<http://x|y>'],
    ['a date token', '<!date^0^{date}|x>', '&lt;!date^0^{date}|x&gt;', '<!date^0^'],
    ['a mention', '<@U0BADBAD1>', '&lt;@U0BADBAD1&gt;', '<@U0BADBAD1>'],
    ['a second line', 'Paris\n• `10.0.0.1` · fake', 'Paris • ', '\n• `10.0.0.1`'],
  ])('escapes %s in places, IPs, types and findings', (_name, hostile, shown, absent) => {
    const concerned = [makeConcerned(1, { ip: hostile, place: hostile, sessionType: hostile, loginType: hostile, findings: [hostile] })];
    const msg = requestMessage(makeRequest({ evidence: makeEvidence({ concerned, findings: [hostile] }) }), view);
    expectValidMessage(msg);
    const text = section(msg.blocks, 'concerned');
    expect(text).toContain(shown);
    expect(allText(msg.blocks)).not.toContain(absent);
  });

  it('keeps mrkdwn emphasis in a place from breaking the line, and a backtick in an IP from closing the code span', () => {
    const concerned = [makeConcerned(1, { ip: '203.0.113.9`*', place: '*bold* _it_ ~x~' })];
    const text = section(requestMessage(makeRequest({ evidence: makeEvidence({ concerned }) }), view).blocks, 'concerned');
    // Slack has no escape for * _ ~; they show as typed or as emphasis, never as a link or a ping.
    expect(text).toContain("• `203.0.113.9'*` · *bold* _it_ ~x~ · UI / Application · logged in <!date^");
  });

  it('names a session of the given evidence the same way', () => {
    const loginAt = new Date(NOW.getTime() - 30 * 60_000);
    const msg = requestMessage(makeRequest({ evidence: null }), {
      now: NOW,
      evidence: {
        sessions: 1,
        families: 1,
        countries: ['RU'],
        findings: [],
        concerned: [
          {
            id: sessionId(1),
            sessionType: 'Oauth2',
            loginType: 'Remote Access 2.0',
            ip: '198.51.100.4',
            place: 'Kazan, RU',
            loginAt,
            createdAt: loginAt,
            children: 0,
            findings: [],
          },
        ],
      },
    });
    expect(section(msg.blocks, 'concerned')).toContain('• `198.51.100.4` · Kazan, RU · Oauth2 / Remote Access 2.0 · logged in <!date^');
    expect(section(msg.blocks, 'concerned')).toContain(' · 30 min old');
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
    expect(done.text).toBe(
      '<@UADMIN0001> your request `RABCDEFGHJK` to remove session for Ada Lovelace (ada@acme.com) was approved by <@UAPPROVER1> and run, but Salesforce does not show it fully in effect; the message says what is left.',
    );
    const verified = makeRequest({
      state: 'done',
      approvals: [approval],
      decidedBy: 'UAPPROVER1',
      result: { ...doneResult, verification: { ok: true, summary: 'Verified in Salesforce: the action took effect.', alerts: [], detail: null } },
    });
    expect(requesterNotice(verified).text).toMatch(/was approved by <@UAPPROVER1> and done\.$/);
    // Salesforce unreadable at verification: unknown, never "not in effect".
    const unverified = makeRequest({
      state: 'done',
      approvals: [approval],
      decidedBy: 'UAPPROVER1',
      result: {
        ...doneResult,
        verification: { ok: false, unverified: true, summary: 'Could not verify right away (Salesforce error).', alerts: [], detail: null },
      },
    });
    expect(headerText(requestMessage(unverified, view).blocks)).toBe('Done — not verified yet: Remove session');
    expect(requesterNotice(unverified).text).toContain('could not be read to verify it yet');
    expect(headerText(requestMessage(verified, view).blocks)).toBe('Approved and done: Remove session');
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
    expect(posted.text).toContain(
      'Request `RABCDEFGHJK` to remove session for Ada Lovelace posted for approval in <#CSECURITY1>: <https://slack.com/archives/CSECURITY1/p1764158400000100|view it>.',
    );
    expect(requestConfirmation(makeRequest(), 'javascript:alert(1)').text).not.toContain('view it');
    const lost = requestConfirmation(makeRequest({ channelId: null, messageTs: null }), null);
    expect(lost.text).toContain('could not be posted for approval');
  });
});
