/**
 * Response actions behind two-person approval, end to end: a request button in a /sessions
 * answer, the modal, the request message in the security channel, Approve / Deny clicks, the
 * Salesforce calls, verification, thread replies and the audit trail — real Bolt and jsforce
 * against the stand-ins.
 */
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { addSessionFamily } from '../standins/salesforce/generator';
import { everything } from '../standins/salesforce/scenarios';
import { buttonValue, click, current, ephemeralTo, requestAction, roots, thread, waitForState } from '../support/approval-flow';
import { PEOPLE, replyText, startHarness, type Harness } from '../support/harness';
import { createTestDatabase } from '../support/postgres';

const now = new Date();
describe.each(['sqlite', 'postgres'] as const)('the request store on %s', (kind) => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ids = everything({ now });
    let url = 'sqlite::memory:';
    if (kind === 'postgres') {
      const db = await createTestDatabase();
      url = db.url;
      drop = () => db.drop();
    }
    h = await startHarness({ org: ids.org, env: { DATABASE_URL: url } });
  });
  afterAll(async () => {
    await h.close();
    await drop?.();
  });

  it('carries a request from click to verified removal', async () => {
    const posted = await requestAction(h, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: ids.compromised.moscowRootId }));
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    expect(h.sf.org.get(ids.compromised.moscowRootId)).toBeUndefined();
    const trail = await h.warden.requests.audit.listForRequest(posted.requestId);
    expect(trail.map((e) => e.event)).toEqual(expect.arrayContaining(['requested', 'approved', 'executing', 'step', 'done', 'verified']));
    expect(await h.warden.requests.audit.verifyChain()).toMatchObject({ ok: true });
  });
});

describe('approvals', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now });
    h = await startHarness({ org: ids.org });
  });
  afterAll(() => h.close());
  beforeEach(() => h.sf.resetRequests());

  it('removes one session family after a second person approves, with one Collections DELETE, and verifies it', async () => {
    const rootId = ids.compromised.moscowRootId;
    const familyIds = [...h.sf.org.all('AuthSession')].filter((r) => r.ParentId === rootId).map((r) => String(r.Id));
    expect(familyIds.length).toBeGreaterThan(1);
    const posted = await requestAction(h, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: rootId }));
    const text = replyText(current(h, posted));
    expect(text).toContain(`<@${PEOPLE.admin.id}>`);
    expect(text).toContain('bob@acme.com');
    expect(text).toContain('Moscow');
    expect(buttonValue(current(h, posted).blocks, ACTIONS.deny)).toBe(posted.requestId);
    // The requester was told where the request went, through the /sessions reply's response_url.
    expect(h.slack.responses.some((r) => replyText(r.body as object).includes(posted.requestId))).toBe(true);

    h.sf.resetRequests();
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    const done = await waitForState(h, posted, /Approved and done/);
    expect(JSON.stringify(done.blocks)).not.toContain(ACTIONS.approve);
    expect(JSON.stringify(done.blocks)).not.toContain(ACTIONS.deny);
    expect(replyText(done)).toContain(`<@${PEOPLE.approver.id}>`);
    for (const id of familyIds) expect(h.sf.org.get(id)).toBeUndefined();
    const deletes = h.sf.apiCalls().filter((c) => c.method === 'DELETE');
    expect(deletes).toHaveLength(1);
    expect(deletes[0]?.path).toBe('/services/data/v62.0/composite/sobjects');
    // Other families untouched.
    expect(h.sf.org.get(ids.compromised.sanFranciscoRootId)).toBeDefined();
    const replies = await h.slack.waitFor(() => (thread(h, posted).length >= 2 ? thread(h, posted) : undefined));
    expect(replies.map((r) => r.text).join('\n')).toMatch(/ended|removed/i);
  });

  it('refuses the requester, a non-approver, a guest and the target, changing nothing', async () => {
    const posted = await requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.compromised.userId }));
    const cases: [string, RegExp][] = [
      [PEOPLE.admin.id, /someone else has to approve|two-person/i],
      [PEOPLE.groupMember.id, /approver/i],
      [PEOPLE.guest.id, /guest/i],
      [PEOPLE.bob.id, /about you|yourself|target/i],
    ];
    for (const [user, words] of cases) {
      const res = await click(h, user, posted, ACTIONS.approve);
      expect(await ephemeralTo(h, res)).toMatch(words);
    }
    expect(replyText(current(h, posted))).toMatch(/Approval needed/);
    expect(h.sf.apiCalls().filter((c) => c.method === 'PATCH')).toEqual([]);
  });

  it('denies: buttons go, nothing is executed, the requester is told', async () => {
    const posted = await requestAction(h, ACTIONS.resetPassword, encodeValue({ u: ids.quiet.userId }));
    await click(h, PEOPLE.approver.id, posted, ACTIONS.deny);
    const denied = await waitForState(h, posted, /Denied/);
    expect(JSON.stringify(denied.blocks)).not.toContain(ACTIONS.approve);
    expect(h.sf.passwordResets).toEqual([]);
  });

  it('executes once when 100 approve clicks arrive at the same time', async () => {
    const posted = await requestAction(h, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: ids.compromised.sanFranciscoRootId }));
    h.sf.resetRequests();
    await Promise.all(Array.from({ length: 100 }, (_, i) => click(h, i % 2 ? PEOPLE.approver.id : PEOPLE.approver2.id, posted, ACTIONS.approve)));
    await waitForState(h, posted, /Approved and done/);
    expect(h.sf.apiCalls().filter((c) => c.method === 'DELETE')).toHaveLength(1);
  });

  it('needs two distinct approvers to deactivate', async () => {
    const posted = await requestAction(h, ACTIONS.deactivate, encodeValue({ u: ids.quiet.userId }));
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /1 of 2/);
    expect(h.sf.org.get(ids.quiet.userId)?.IsActive).toBe(true);
    const again = await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    expect(await ephemeralTo(h, again)).toMatch(/already approved/i);
    await click(h, PEOPLE.approver2.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    expect(h.sf.org.get(ids.quiet.userId)?.IsActive).toBe(false);
  });

  it('freezes and unfreezes through UserLogin', async () => {
    const f = await requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.integration.userId }));
    await click(h, PEOPLE.approver.id, f, ACTIONS.approve);
    await waitForState(h, f, /Approved and done/);
    expect(h.sf.org.get(ids.integration.userLoginId)?.IsFrozen).toBe(true);
    const u = await requestAction(h, ACTIONS.unfreeze, encodeValue({ u: ids.integration.userId }));
    await click(h, PEOPLE.approver.id, u, ACTIONS.approve);
    await waitForState(h, u, /Approved and done/);
    expect(h.sf.org.get(ids.integration.userLoginId)?.IsFrozen).toBe(false);
  });

  it('resets a password and the temporary password appears nowhere', async () => {
    const posted = await requestAction(h, ACTIONS.resetPassword, encodeValue({ u: ids.duplicate.carolId }));
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    expect(h.sf.passwordResets.map((r) => r.userId)).toContain(ids.duplicate.carolId);
    const temp = h.sf.passwordResets.at(-1)?.newPassword ?? '';
    expect(temp.length).toBeGreaterThan(4);
    const everywhere = [h.logs.join('\n'), JSON.stringify(h.slack.calls), JSON.stringify(h.slack.responses)].join('\n');
    expect(everywhere).not.toContain(temp);
  });

  it('revokes the chosen OAuth grants through their delete tokens', async () => {
    const posted = await requestAction(h, ACTIONS.revokeTokens, encodeValue({ u: ids.integration.userId }));
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    const left = [...h.sf.org.all('OauthToken')].filter((t) => t.UserId === ids.integration.userId);
    expect(left).toEqual([]);
    expect(h.sf.requests.some((r) => r.path === '/services/oauth2/revoke')).toBe(true);
  });

  it('contains an account in one approved plan: freeze, remove all, revoke all, reset — a result per step', async () => {
    const userId = ids.compromised.userId;
    const posted = await requestAction(h, ACTIONS.contain, encodeValue({ u: userId }), {
      values: {
        contain_options: {
          contain_options_input: { type: 'checkboxes', selected_options: [{ value: 'reset_password', text: { type: 'plain_text', text: 'reset' } }] },
        },
      },
    });
    expect(replyText(current(h, posted))).toMatch(/reset/i);
    h.sf.resetRequests();
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    expect(h.sf.org.get(ids.compromised.userLoginId)?.IsFrozen).toBe(true);
    expect([...h.sf.org.all('AuthSession')].filter((s) => s.UsersId === userId)).toEqual([]);
    expect([...h.sf.org.all('OauthToken')].filter((t) => t.UserId === userId)).toEqual([]);
    expect(h.sf.passwordResets.map((r) => r.userId)).toContain(userId);
    const steps = thread(h, posted)
      .map((m) => m.text)
      .join('\n');
    for (const word of [/frozen/i, /ended|removed/i, /revoked/i, /password/i]) expect(steps).toMatch(word);
    // Freeze went first, so no new login could slip in while sessions were being ended.
    const writes = h.sf
      .apiCalls()
      .filter((c) => c.method !== 'GET')
      .map((c) => c.method);
    expect(writes[0]).toBe('PATCH');
  });

  it('expires an unanswered request (never "denied") and asks again with one click', async () => {
    const posted = await requestAction(h, ACTIONS.removeAll, encodeValue({ u: ids.quiet.userId }));
    h.advance(61 * 60_000);
    try {
      const res = await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
      expect(await ephemeralTo(h, res)).toMatch(/expired/i);
      const expired = await waitForState(h, posted, /Expired/);
      expect(replyText(expired)).not.toMatch(/Denied/);
      const before = roots(h).length;
      await click(h, PEOPLE.admin.id, posted, ACTIONS.askAgain);
      const renewed = await h.slack.waitFor(() => roots(h)[before]);
      expect(buttonValue(renewed.blocks, ACTIONS.approve)).toMatch(/^R/);
      expect(buttonValue(renewed.blocks, ACTIONS.approve)).not.toBe(posted.requestId);
    } finally {
      h.advance(-61 * 60_000);
    }
  });

  it('re-checks 30 minutes later and raises an alert for a new session from the same IP', async () => {
    const userId = ids.inactiveAndFrozen.erinId;
    const ip = String(h.sf.org.get(ids.inactiveAndFrozen.erinSessionIds[0] ?? '')?.SourceIp);
    const posted = await requestAction(h, ACTIONS.removeAll, encodeValue({ u: userId }));
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    addSessionFamily(h.sf.org, { userId, createdAt: new Date(Date.now() + 60_000), sourceIp: ip });
    h.advance(31 * 60_000);
    try {
      await h.warden.tick();
      const verdict = await h.slack.waitFor(() => thread(h, posted).find((m) => /30-minute re-check/i.test(m.text)));
      expect(verdict.text + JSON.stringify(verdict.blocks)).toMatch(/new session|still open/i);
    } finally {
      h.advance(-31 * 60_000);
    }
  });

  it('keeps an audit trail with who asked, who approved and what the API answered, and a verifiable hash chain', async () => {
    const { reply } = await h.command('audit bob@acme.com');
    const text = replyText(reply);
    expect(text).toMatch(/requested/);
    expect(text).toMatch(/approved/);
    expect(text).toContain(PEOPLE.approver.id);
    const { reply: verified } = await h.command('audit verify');
    expect(replyText(verified)).toMatch(/intact|verified|ok/i);
  });
});
