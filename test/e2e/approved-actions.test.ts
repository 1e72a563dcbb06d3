/**
 * Approved actions finish through Salesforce hiccups, say exactly what happened, and refuse what
 * Slack did not send (issue 16). Real Bolt, real jsforce, HTTP mode, the stand-ins' fault knobs:
 * 503 SERVER_UNAVAILABLE before and after the change is made, a 503 with Retry-After, tokens that
 * keep expiring, clicks from another workspace or Grid org, and tampered button values.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BackoffPolicy } from '../../src/salesforce/backoff';
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { run as outboxCli } from '../../src/cli/outbox';
import { openDatabase, RequestsStore } from '../../src/store';
import { everything } from '../standins/salesforce/scenarios';
import { click, current, ephemeralTo, requestAction, thread, waitForState, type FlowContext, type Posted } from '../support/approval-flow';
import { COMMAND_CHANNEL, PEOPLE, SECURITY_CHANNEL, healthOf, replyText, startHarness, type Harness } from '../support/harness';

const now = new Date();
const DELETES = /^DELETE .*\/composite\/sobjects/;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function stepLine(ctx: FlowContext, posted: Posted, label: string): string {
  const line = thread(ctx, posted).find((m) => (m.text ?? '').startsWith(`${label}:`));
  if (!line) throw new Error(`no "${label}" step in the thread: ${JSON.stringify(thread(ctx, posted).map((m) => m.text))}`);
  return replyText(line);
}

/** The requester's notice in the thread (it mentions them and names the request). */
async function requesterNotice(h: Harness, posted: Posted): Promise<string> {
  const m = await h.slack.waitFor(
    () =>
      thread(h, posted).find((x) => (x.text ?? '').includes(`<@${PEOPLE.admin.id}> your request \`${posted.requestId}\``) && !/is running/.test(x.text ?? '')),
    10_000,
    'the requester notice',
  );
  return replyText(m);
}

/** What each person saw, for the closing note: the approver's private answer, the header, the thread. */
function whatEachSaw(h: Harness, posted: Posted, approverAnswer: string, fault: string): void {
  const header = (current(h, posted).text ?? '').split(' for ')[0];
  const lines = thread(h, posted).map((m) => `  thread: ${(m.text ?? '').slice(0, 220)}`);
  console.info(`${fault}\n  approver (private): ${approverAnswer.split('\n')[0]?.slice(0, 220)}\n  header: ${header}\n${lines.join('\n')}`);
}

describe('Salesforce answers 503 to change calls', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now });
    h = await startHarness({ org: ids.org });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.sf.faults.reset();
    h.sf.resetRequests();
  });

  it('503 SERVER_UNAVAILABLE to the first two DELETEs: the approved removal completes, one request, one approval, and the thread says it was retried', async () => {
    const rootId = ids.compromised.moscowRootId;
    const family = [...h.sf.org.all('AuthSession')].filter((s) => s.Id === rootId || s.ParentId === rootId).map((s) => String(s.Id));
    const requestsBefore = (await h.warden.requests.store.listByState(['pending', 'approved', 'executing', 'done', 'failed'])).length;
    const posted = await requestAction(h, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: rootId }));
    h.sf.resetRequests();
    h.sf.faults.failNext({ status: 503, errorCode: 'SERVER_UNAVAILABLE', message: 'Server temporarily unavailable', match: DELETES, count: 2 });
    const approved = await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    const settled = await waitForState(h, posted, /Approved and done|Failed/);
    whatEachSaw(h, posted, await ephemeralTo(h, approved), '503 SERVER_UNAVAILABLE to the first two DELETEs');

    expect(replyText(settled)).toContain('Approved and done');
    expect(replyText(settled)).toContain('Verified in Salesforce: the action took effect.');
    const step = stepLine(h, posted, 'Remove sessions');
    expect(step).toContain('(ok)');
    expect(step).toContain(`ended ${family.length} sessions`);
    expect(step).toContain('after 2 retries (503 SERVER_UNAVAILABLE)');
    expect(await requesterNotice(h, posted)).toContain('and done');
    for (const id of family) expect(h.sf.org.get(id)).toBeUndefined();

    const deletes = h.sf.apiCalls().filter((c) => c.method === 'DELETE');
    expect(deletes.map((d) => d.status)).toEqual([503, 503, 200]);
    // Spaced by a backoff, never a tight loop.
    expect((deletes[1]?.started ?? 0) - (deletes[0]?.ended ?? 0)).toBeGreaterThanOrEqual(200);
    const request = await h.warden.requests.store.get(posted.requestId);
    expect(request?.state).toBe('done');
    expect(request?.approvals).toHaveLength(1);
    expect((await h.warden.requests.store.listByState(['pending', 'approved', 'executing', 'done', 'failed'])).length).toBe(requestsBefore + 1);
    const calls = h.sf.apiCalls().map((c) => `${c.method} ${c.path.replace(/^\/services\/data\/v[\d.]+/, '')} ${c.status}`);
    console.info(`two 503s on the DELETE: ${calls.length} API calls after approval: ${calls.join(', ')}`);
  });

  it('a freeze answered 503 with Retry-After: 1 waits the second Salesforce asked for, then succeeds', async () => {
    const posted = await requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    h.sf.resetRequests();
    h.sf.faults.failNext({
      status: 503,
      errorCode: 'SERVER_UNAVAILABLE',
      message: 'Server temporarily unavailable',
      match: /^PATCH .*UserLogin/,
      retryAfterSeconds: 1,
    });
    const approved = await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    const settled = await waitForState(h, posted, /Approved and done|Failed/);
    await requesterNotice(h, posted);
    whatEachSaw(h, posted, await ephemeralTo(h, approved), '503 with Retry-After: 1 on the freeze PATCH');
    expect(replyText(settled)).toContain('Approved and done');
    expect(stepLine(h, posted, 'Freeze user')).toContain('after 1 retry (503 SERVER_UNAVAILABLE)');
    const patches = h.sf.apiCalls().filter((c) => c.method === 'PATCH');
    expect(patches.map((p) => p.status)).toEqual([503, 204]);
    expect((patches[1]?.started ?? 0) - (patches[0]?.ended ?? 0)).toBeGreaterThanOrEqual(950);
    expect(h.sf.org.get(ids.quiet.userLoginId)?.IsFrozen).toBe(true);
  });

  it('the DELETE is performed but every answer is 503: the header, the step and the requester say done, as the verification does', async () => {
    const rootId = ids.compromised.oldRootId;
    const posted = await requestAction(h, ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: rootId }));
    h.sf.resetRequests();
    h.sf.faults.errorAfterEffect({ match: DELETES, status: 503, errorCode: 'SERVER_UNAVAILABLE', count: 10 });
    const approved = await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    const settled = await waitForState(h, posted, /Approved and done|Failed/, 30_000);
    await requesterNotice(h, posted);
    whatEachSaw(h, posted, await ephemeralTo(h, approved), 'DELETE performed, every answer 503 SERVER_UNAVAILABLE');
    const text = replyText(settled);
    expect(text).toContain('Verified in Salesforce: the action took effect.');
    expect(text).toContain('Approved and done');
    expect(text).not.toMatch(/Failed/);
    expect(stepLine(h, posted, 'Remove sessions')).toContain('(ok)');
    const notice = await requesterNotice(h, posted);
    expect(notice).toContain('and done');
    expect(notice).not.toContain('failed');
    expect(h.sf.org.get(rootId)).toBeUndefined();
    const calls = h.sf.apiCalls().map((c) => `${c.method} ${c.path.replace(/^\/services\/data\/v[\d.]+/, '')} ${c.status}`);
    console.info(`DELETE done but answered 503: ${calls.length} API calls: ${calls.join(', ')}`);
  }, 40_000);
});

describe('tokens that keep expiring (a short session timeout on the integration user)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ org: everything({ now }).org });
  });
  afterAll(() => h.close());

  it('five rounds of concurrent commands, each meeting a fresh expiry: every command answers, one token request per round', async () => {
    const rounds = 5;
    for (let round = 0; round < rounds; round += 1) {
      h.sf.faults.expireTokensAfter(0);
      const answers = await Promise.all(Array.from({ length: 10 }, () => h.command('bob@acme.com')));
      const texts = answers.map((a) => replyText(a.reply));
      expect(texts.filter((t) => t.includes('check the connected app'))).toEqual([]);
      expect(texts.filter((t) => t.includes('Bob Baker'))).toHaveLength(10);
    }
    // The first login at start, then one re-login per expiry.
    expect(h.sf.tokenRequests().filter((r) => r.status === 200)).toHaveLength(rounds + 1);
  }, 60_000);
});

describe('clicks Slack did not send for this workspace', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now });
    h = await startHarness({ org: ids.org });
  });
  afterAll(() => h.close());

  it.each([
    ['another workspace', { team_id: 'T0FOREIGN' }],
    ['an Enterprise Grid org the bot is not installed in', { enterprise_id: 'E0FOREIGN' }],
  ])('an Approve from %s is refused, changes nothing, and the request still waits', async (_what, origin) => {
    const posted = await requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    h.sf.resetRequests();
    const res = await h.driver.blockAction({
      user_id: PEOPLE.approver.id,
      message: { channel: SECURITY_CHANNEL, ts: posted.ts },
      actions: [{ action_id: ACTIONS.approve }],
      ...origin,
    });
    expect(await ephemeralTo(h, res)).toContain('outside this workspace cannot decide on requests');
    await sleep(300);
    expect((await h.warden.requests.store.get(posted.requestId))?.state).toBe('pending');
    expect(h.sf.apiCalls().filter((c) => c.method !== 'GET' && !c.path.endsWith('/composite'))).toEqual([]);
    expect(replyText(current(h, posted))).toContain(ACTIONS.approve);
    const deny = await h.driver.blockAction({
      user_id: PEOPLE.approver.id,
      message: { channel: SECURITY_CHANNEL, ts: posted.ts },
      actions: [{ action_id: ACTIONS.deny }],
      ...origin,
    });
    expect(await ephemeralTo(h, deny)).toContain('outside this workspace cannot decide on requests');
    expect((await h.warden.requests.store.get(posted.requestId))?.state).toBe('pending');
    // The same click from this workspace goes through.
    await click(h, PEOPLE.approver.id, posted, ACTIONS.deny);
    await waitForState(h, posted, /Denied/);
  });

  it.each([
    ['days = 2^53-1', { u: 'USERID', d: Number.MAX_SAFE_INTEGER }],
    ['days = 181', { u: 'USERID', d: 181 }],
  ])('a tampered Login history button (%s) answers "out of date", never an internal error', async (_what, value) => {
    const tampered = JSON.stringify({ ...value, u: ids.compromised.userId });
    const action = 'd' in value ? ACTIONS.history : ACTIONS.page;
    const res = await h.driver.blockAction({
      user_id: PEOPLE.admin.id,
      channel_id: COMMAND_CHANNEL,
      ephemeral: true,
      actions: [{ action_id: action, value: tampered }],
    });
    const text = await ephemeralTo(h, res);
    expect(text).toContain('That button is out of date');
    expect(text).not.toMatch(/internal error|RangeError|Invalid time value/i);
  });
});

describe('a request interrupted while executing, and the Salesforce login down at the restart', () => {
  const OUTAGE_MS = 1_500;
  const QUICK_LOGIN_RETRY: BackoffPolicy = { initialMs: 100, maxMs: 200, factor: 2, jitter: 0 };
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  let dir: string;
  let requestId: string;

  beforeAll(async () => {
    ids = everything({ now });
    dir = mkdtempSync(path.join(tmpdir(), 'warden-reconcile-'));
    const url = `sqlite:${path.join(dir, 'warden.db')}`;
    // What a crash leaves: approved, moved to executing, no step started, then the process died.
    const db = await openDatabase(url);
    try {
      const store = new RequestsStore(db);
      const created = await store.create(
        {
          kind: 'remove_session',
          params: { familyIds: [ids.compromised.moscowRootId], sessionIds: [ids.compromised.moscowRootId] },
          target: { userId: ids.compromised.userId, username: 'bob@acme.com', name: 'Bob Baker', email: 'bob@acme.com' },
          reason: 'Session from Moscow while Bob is in San Francisco',
          requestedBy: PEOPLE.admin.id,
          requiredApprovals: 1,
          evidence: null,
          expiresAt: new Date(Date.now() + 3_600_000),
        },
        new Date(),
      );
      requestId = created.id;
      const { request } = await store.addApproval(requestId, PEOPLE.approver.id, new Date());
      expect(request.state).toBe('approved');
      expect(await store.transition(requestId, 'approved', 'executing', { result: { steps: [], started: [] } }, new Date())).not.toBeNull();
    } finally {
      await db.close();
    }
    h = await startHarness({
      org: ids.org,
      env: { DATABASE_URL: url },
      warden: { salesforceLoginBackoff: QUICK_LOGIN_RETRY },
      beforeStart: ({ sf }) => sf.faults.refuseLogins({ status: 503 }, { forMs: OUTAGE_MS }),
    });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is not closed as Failed: it waits, and runs the approved removal once Salesforce is back', async () => {
    const msg = await h.slack.waitFor(
      () => h.slack.messages.find((m) => m.channel === SECURITY_CHANNEL && !m.thread_ts && JSON.stringify(m.blocks).includes(requestId)),
      10_000,
      'the request message, posted at the restart',
    );
    const posted = { ts: msg.ts, requestId };
    // While the login is down the request stays executing; the thread says why nothing ran yet.
    const waiting = await h.slack.waitFor(
      () => thread(h, posted).find((m) => /could not be read after the restart/.test(m.text ?? '')),
      10_000,
      'the thread line saying the bot waits for Salesforce',
    );
    expect(replyText(waiting)).toContain('finishes this request as soon as Salesforce answers again');
    expect(replyText(waiting)).not.toMatch(/check by hand/);

    const settled = await waitForState(h, posted, /Approved and done|Failed/, 15_000);
    expect(replyText(settled)).toContain('Approved and done');
    expect(replyText(settled)).toContain('Verified in Salesforce: the action took effect.');
    expect(stepLine(h, posted, 'Remove sessions')).toContain('(ok)');
    expect(h.sf.org.get(ids.compromised.moscowRootId)).toBeUndefined();
    expect((await h.warden.requests.store.get(requestId))?.state).toBe('done');
    expect(h.sf.apiCalls().filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect((await healthOf(h.port)).report.ok).toBe(true);
    const trail = (await h.warden.requests.audit.listForRequest(requestId)).map((e) => e.event);
    expect(trail).toContain('reconcile-deferred');
    await requesterNotice(h, posted);
    whatEachSaw(h, posted, '(approved before the crash)', `interrupted while executing, token endpoint 503 for ${OUTAGE_MS} ms at restart`);
    console.info(`interrupted request with the login down ${OUTAGE_MS} ms at restart: events ${trail.join(' → ')}`);
  }, 30_000);
});

describe('the SQLite file deleted between two runs', () => {
  let ids: ReturnType<typeof everything>;
  let dir: string;
  let file: string;
  beforeAll(() => {
    ids = everything({ now });
    dir = mkdtempSync(path.join(tmpdir(), 'warden-chain-'));
    file = path.join(dir, 'warden.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('the restart on an empty database says the audit chain is gone: /healthz, the log and /sessions audit verify', async () => {
    const first = await startHarness({ org: ids.org, env: { DATABASE_URL: `sqlite:${file}` } });
    let written: number;
    try {
      const posted = await requestAction(first, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
      await click(first, PEOPLE.approver.id, posted, ACTIONS.approve);
      await waitForState(first, posted, /Approved and done/);
      written = (await first.warden.requests.audit.head()).seq;
      expect(written).toBeGreaterThan(3);
    } finally {
      await first.close();
    }
    for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });

    const second = await startHarness({ org: ids.org, env: { DATABASE_URL: `sqlite:${file}` } });
    try {
      const health = await healthOf(second.port);
      expect(health.report.ok).toBe(false);
      expect(JSON.stringify(health.report.database)).toContain(`audit chain is gone: ${written} entries were written`);
      expect(second.logs.some((l) => l.includes('"level":50') && l.includes('audit chain is gone'))).toBe(true);
      const { reply } = await second.command('audit verify');
      const text = replyText(reply);
      expect(text).not.toMatch(/intact/);
      expect(text).toContain('Audit trail broken');
      expect(text).toContain(`entry ${written}`);
      expect(text).toContain('the database was emptied or replaced');
    } finally {
      await second.close();
    }
  }, 60_000);
});

describe('request forms Slack sent, but the bot did not offer', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now });
    h = await startHarness({ org: ids.org });
  });
  afterAll(() => h.close());

  const reasonValues = { reason: { reason_input: { type: 'plain_text_input', value: 'Tampered form, should never reach approvers' } } };

  /** Opens the request modal from a /sessions button with `value` and waits for its blast radius. */
  async function openModal(actionId: string, value: string, user: string = PEOPLE.admin.id) {
    const viewsBefore = new Set(h.slack.views.keys());
    await h.driver.blockAction({ user_id: user, channel_id: COMMAND_CHANNEL, ephemeral: true, actions: [{ action_id: actionId, value }] });
    return h.slack.waitFor(
      () => [...h.slack.views.values()].find((v) => !viewsBefore.has(v.id) && h.slack.callsTo('views.update').some((c) => c.args.view_id === v.id)),
      15_000,
      'the request modal with its blast radius',
    );
  }

  async function expectNothingRequested(rootsBefore: number): Promise<void> {
    await sleep(300);
    expect(h.slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && !m.thread_ts)).toHaveLength(rootsBefore);
    expect(await h.warden.requests.store.listByState(['pending', 'approved', 'executing', 'done', 'failed'])).toEqual([]);
  }

  const securityRoots = (): number => h.slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && !m.thread_ts).length;

  it("a form the bot never opened (private_metadata written by hand, naming another user's session) is refused in the form", async () => {
    const before = securityRoots();
    const res = await h.driver.viewSubmission({
      user_id: PEOPLE.admin.id,
      view: {
        callback_id: 'action_request',
        private_metadata: JSON.stringify({ k: 'remove_session', u: ids.compromised.userId, s: [ids.quiet.rootId] }),
        state: { values: reasonValues },
      },
    });
    expect(JSON.stringify(res.body)).toContain('This form was not opened by Session Warden; nothing was requested.');
    await expectNothingRequested(before);
    expect(h.sf.org.get(ids.quiet.rootId)).toBeDefined();
  });

  it('a form opened for one admin and submitted by another is refused', async () => {
    const view = await openModal(ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    const before = securityRoots();
    const res = await h.driver.viewSubmission({
      user_id: PEOPLE.groupMember.id,
      view: { id: view.id, callback_id: 'action_request', state: { values: reasonValues } },
    });
    expect(JSON.stringify(res.body)).toContain('This form was opened for someone else; nothing was requested.');
    await expectNothingRequested(before);
  });

  it.each([
    ["another user's session", () => ids.quiet.rootId],
    ["the bot's own session", () => String([...h.sf.org.all('AuthSession')].find((s) => s.UsersId === ids.botUserId)?.Id)],
  ])('a Remove button edited to name %s: the form offers no Request approval, and a submission anyway is refused', async (_what, sessionId) => {
    const id = sessionId();
    expect(id).toMatch(/^0Ak/);
    const view = await openModal(ACTIONS.removeSession, encodeValue({ u: ids.compromised.userId, s: id }));
    const shown = h.slack.views.get(view.id)?.view as { submit?: unknown; blocks?: unknown };
    expect(shown.submit).toBeUndefined();
    expect(JSON.stringify(shown.blocks)).toContain('would change nothing');
    const before = securityRoots();
    const responsesBefore = h.slack.responses.length;
    await h.driver.viewSubmission({ user_id: PEOPLE.admin.id, view: { id: view.id, callback_id: 'action_request', state: { values: reasonValues } } });
    const told = await h.slack.waitFor(
      () => h.slack.responses.slice(responsesBefore).find((r) => /Nothing was requested/.test(replyText(r.body as object))),
      10_000,
      'the refusal to the requester',
    );
    expect(replyText(told.body as object)).toContain('not open sessions of this user');
    await expectNothingRequested(before);
    expect(h.sf.org.get(id)).toBeDefined();
  });

  it('a Freeze of a user who is already frozen: no Request approval in the form, and a submission anyway is refused', async () => {
    const frozen = ids.inactiveAndFrozen.erinUserLoginId;
    expect(h.sf.org.get(frozen)?.IsFrozen).toBe(true);
    const view = await openModal(ACTIONS.freeze, encodeValue({ u: ids.inactiveAndFrozen.erinId }));
    expect((h.slack.views.get(view.id)?.view as { submit?: unknown }).submit).toBeUndefined();
    const before = securityRoots();
    const responsesBefore = h.slack.responses.length;
    await h.driver.viewSubmission({ user_id: PEOPLE.admin.id, view: { id: view.id, callback_id: 'action_request', state: { values: reasonValues } } });
    const told = await h.slack.waitFor(
      () => h.slack.responses.slice(responsesBefore).find((r) => /Nothing was requested/.test(replyText(r.body as object))),
      10_000,
      'the refusal to the requester',
    );
    expect(replyText(told.body as object)).toContain('would change nothing');
    await expectNothingRequested(before);
  });
});

describe('a message Slack refuses for good (dead letter)', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  let dir: string;
  let env: Record<string, string>;
  beforeAll(async () => {
    ids = everything({ now });
    dir = mkdtempSync(path.join(tmpdir(), 'warden-dead-'));
    env = { DATABASE_URL: `sqlite:${path.join(dir, 'warden.db')}` };
    h = await startHarness({ org: ids.org, env });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await outboxCli(argv, env, { stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('posts one notice in the security channel; the operator lists it and replays it, audited, and it arrives', async () => {
    const posted = await requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    // The step reply in the thread is the next post: Slack refuses it with an error that will not change on a retry.
    h.slack.faults.failNext('chat.postMessage', 'msg_too_long');
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    const notice = await h.slack.waitFor(
      () => h.slack.messages.find((m) => m.channel === SECURITY_CHANNEL && !m.thread_ts && /refused .* for good/.test(m.text ?? '')),
      10_000,
      'the dead-letter notice',
    );
    expect(notice.text).toContain(`Slack refused a reply in a request's thread about request \`${posted.requestId}\` for good (msg_too_long)`);
    expect(notice.text).toContain('npm run outbox -- replay');
    expect(thread(h, posted).some((m) => (m.text ?? '').startsWith('Freeze user:'))).toBe(false);

    const listed = await cli('list');
    expect(listed.code).toBe(0);
    const row = /#(\d+)\s+reply request (\S+)/.exec(listed.out);
    expect(row?.[2]).toBe(posted.requestId);
    expect(listed.out).toContain('msg_too_long');
    expect(listed.out).not.toContain('hooks.slack.com');

    const replay = await cli('replay', String(row?.[1]), '--by', 'ada');
    expect(replay).toMatchObject({ code: 0 });
    expect(replay.out).toContain('queued again');
    await h.slack.waitFor(() => thread(h, posted).find((m) => (m.text ?? '').startsWith('Freeze user:')), 10_000, 'the replayed step reply');
    const trail = await h.warden.requests.audit.listForRequest(posted.requestId);
    expect(trail.find((e) => e.event === 'outbox-replayed')).toMatchObject({ actor: 'cli:ada', detail: { row: Number(row?.[1]), kind: 'reply' } });
    expect((await cli('replay', String(row?.[1]))).code).toBe(4);
    expect((await cli('list')).out).toContain('No dead-lettered Slack messages.');
    // One notice, not one per attempt.
    expect(h.slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && /refused .* for good/.test(m.text ?? ''))).toHaveLength(1);
  }, 40_000);

  it('an admin lists it with /sessions outbox and replays it with /sessions outbox replay <row>, audited under their name', async () => {
    const posted = await requestAction(h, ACTIONS.freeze, encodeValue({ u: ids.compromised.userId }));
    h.slack.faults.failNext('chat.postMessage', 'invalid_blocks');
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    await h.slack.waitFor(
      () =>
        h.slack.messages.find(
          (m) => m.channel === SECURITY_CHANNEL && (m.text ?? '').includes(`about request \`${posted.requestId}\` for good (invalid_blocks)`),
        ),
      10_000,
      'the dead-letter notice',
    );
    const listed = replyText((await h.command('outbox')).reply);
    const row = new RegExp(`#(\\d+)\\* a reply in a request's thread · request \`${posted.requestId}\``).exec(listed)?.[1];
    expect(row).toBeDefined();
    expect(listed).toContain('invalid_blocks');
    expect(replyText((await h.command('outbox replay x')).reply)).toContain('usage: /sessions outbox');
    expect(replyText((await h.command(`outbox replay ${row}`)).reply)).toContain(`Outbox row ${row} is queued again`);
    await h.slack.waitFor(() => thread(h, posted).find((m) => (m.text ?? '').startsWith('Freeze user:')), 10_000, 'the replayed step reply');
    const trail = await h.warden.requests.audit.listForRequest(posted.requestId);
    expect(trail.find((e) => e.event === 'outbox-replayed')).toMatchObject({ actor: PEOPLE.admin.id, detail: { row: Number(row) } });
    expect(replyText((await h.command(`outbox replay ${row}`)).reply)).toContain('is not dead-lettered');
    // Someone who may not use the bot cannot list or replay anything.
    expect(replyText((await h.command('outbox', PEOPLE.outsider.id)).reply)).not.toContain('Dead-lettered');
  }, 40_000);
});
