import { Executor, type RemoveDetail, type RevokeDetail, type StepResult } from '../../src/requests/executor';
import { addOauthToken, addUserWithSessions } from '../standins/salesforce/generator';
import { compromisedUser, quietUser } from '../standins/salesforce/scenarios';
import { liveSessionIds, makeRequest, sfFixture, type SfFixture } from '../support/sf-fixture';

/**
 * Changes whose answer is lost — Salesforce makes the change but answers after the bot's timeout,
 * or the connection drops after (or before) the change — are settled by reading Salesforce back,
 * never reported failed on a guess. Real jsforce against the stand-in; the bot waits TIMEOUT_MS.
 */
const NOW = new Date();
const TIMEOUT_MS = 250;
const LATE_MS = 700;
const COLLECTION_DELETE = /^DELETE .*\/composite\/sobjects$/;
const QUERY = /^GET .*\/query$/;
let fx: SfFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i += 1) await sleep(5);
  if (!condition()) throw new Error('condition not met within a second');
}

/** "METHOD /path" of the API calls since the last reset, version prefix dropped. */
function callLine(f: SfFixture): string[] {
  return f.calls().map((c) => `${c.method} ${c.path.replace(/^\/services\/data\/v[\d.]+/, '')}`);
}

async function runOne(f: SfFixture, request: ReturnType<typeof makeRequest>): Promise<StepResult> {
  const [result] = await new Executor({ actions: f.actions, logger: f.logger }).run(request);
  return result as StepResult;
}

describe('a change Salesforce made but answered too late for the bot', () => {
  it('remove session: ok after one read-back query, the delete sent once', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: TIMEOUT_MS });
    const family = liveSessionIds(s.org, s.userId).filter((id) => id === s.moscowRootId || s.org.get(id)?.ParentId === s.moscowRootId);
    fx.sf.faults.slowAfterEffect({ match: COLLECTION_DELETE, delayMs: LATE_MS });

    const r = await runOne(fx, makeRequest('remove_session', s, { familyIds: [s.moscowRootId], sessionIds: family }));

    expect(r.status).toBe('ok');
    const d = r.detail as RemoveDetail;
    expect(d).toMatchObject({ ended: 5, alreadyEnded: 0, failed: [], unknown: [], readBack: { lostAnswer: 'TIMEOUT', ended: 5 } });
    // The removed family's origin is kept for the delayed re-check, as after a prompt answer.
    expect(d.origins).toEqual([{ ip: '198.51.100.23', city: 'Moscow', country: 'Russia' }]);
    expect(r.summary).toBe(
      'ended 5 sessions (5 of them: Salesforce answered late (TIMEOUT); read back: done). ' +
        'Some Salesforce services may accept an ended session’s token for up to 30 minutes; the bot checks again then.',
    );
    // Ownership query, the delete, one read-back query.
    expect(callLine(fx)).toEqual(['GET /query', 'DELETE /composite/sobjects', 'GET /query']);
    expect(r.apiCalls).toBe(3);
    await sleep(LATE_MS);
    expect(fx.calls().filter((c) => c.method === 'DELETE')).toHaveLength(1);
    expect(liveSessionIds(s.org, s.userId)).toHaveLength(s.sessionIds.length - 5);
  });

  it('remove all of 450 sessions: the Composite delete dropped after the effect, settled with one Composite read-back', async () => {
    const s = quietUser({ now: NOW });
    const big = addUserWithSessions(s.org, { username: 'big@acme.com', count: 450, seed: 31, now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: 2000 });
    fx.sf.faults.dropAfterEffect({ match: /^POST .*\/composite$/ });

    const r = await runOne(fx, makeRequest('remove_all', big));

    expect(r.status).toBe('ok');
    expect(r.detail).toMatchObject({ ended: 450, failed: [], unknown: [], readBack: { lostAnswer: 'ECONNRESET', ended: 450 } });
    expect(r.summary).toContain('the connection dropped before Salesforce answered (ECONNRESET); read back: done');
    // Fresh session list, the dropped delete, one read-back (three 200-id queries in one Composite call).
    expect(callLine(fx)).toEqual(['GET /query', 'POST /composite', 'POST /composite']);
    const readBack = JSON.parse(fx.calls()[2]?.body ?? '{}') as { compositeRequest: { method: string }[] };
    expect(readBack.compositeRequest.map((q) => q.method)).toEqual(['GET', 'GET', 'GET']);
    expect(r.apiCalls).toBe(3);
    expect(liveSessionIds(s.org, big.userId)).toEqual([]);
  });

  it('freeze: the PATCH answered late is ok after reading IsFrozen back (one query)', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: TIMEOUT_MS });
    fx.sf.faults.slowAfterEffect({ match: /^PATCH .*\/sobjects\/UserLogin\//, delayMs: LATE_MS });

    const r = await runOne(fx, makeRequest('freeze', s, { userLoginId: s.userLoginId }));

    expect(r).toMatchObject({ step: 'freeze', status: 'ok', apiCalls: 2, detail: { frozen: true, changed: true, lostAnswer: 'TIMEOUT' } });
    expect(r.summary).toBe('User frozen (Salesforce answered late (TIMEOUT); read back: done).');
    expect(callLine(fx)).toEqual([`PATCH /sobjects/UserLogin/${s.userLoginId}`, 'GET /query']);
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(true);
  });

  it('deactivate: the PATCH dropped after the effect is ok after reading IsActive back', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: 2000 });
    fx.sf.faults.dropAfterEffect({ match: /^PATCH .*\/sobjects\/User\// });

    const r = await runOne(fx, makeRequest('deactivate', s));

    expect(r).toMatchObject({ step: 'deactivate', status: 'ok', apiCalls: 2, detail: { deactivated: true, lostAnswer: 'ECONNRESET' } });
    expect(r.summary).toContain('read back: done');
    expect(callLine(fx)).toEqual([`PATCH /sobjects/User/${s.userId}`, 'GET /query']);
    expect(s.org.get(s.userId)?.IsActive).toBe(false);
  });

  it('revoke: a revocation answered late is settled with one grants query for all lost answers', async () => {
    const s = quietUser({ now: NOW });
    for (const appName of ['Data Loader', 'Salesforce for iOS'])
      addOauthToken(s.org, { userId: s.userId, appName, createdAt: NOW, lastUsedAt: NOW, useCount: 2 });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: TIMEOUT_MS });
    fx.sf.faults.slowAfterEffect({ match: /^POST \/services\/oauth2\/revoke$/, delayMs: LATE_MS });

    const r = await runOne(fx, makeRequest('revoke_tokens', s, {}));

    expect(r).toMatchObject({ step: 'revoke-all', status: 'ok', oauthCalls: 2 });
    const d = r.detail as RevokeDetail;
    expect(d.revoked.sort()).toEqual(['Data Loader', 'Salesforce for iOS']);
    expect(d).toMatchObject({ failed: [], unknown: [], readBack: { lostAnswer: 'TIMEOUT', revoked: ['Data Loader'] } });
    expect(r.summary).toContain('Data Loader: Salesforce answered late (TIMEOUT); read back: done');
    // Grants with their delete tokens, then one read-back.
    expect(r.apiCalls).toBe(2);
    expect(s.org.byReference('OauthToken', 'UserId', s.userId)).toEqual([]);
    expect(JSON.stringify(r)).not.toMatch(/token=/);
  });

  it('password reset: probably done, status unknown, never repeated (exactly one reset at the stand-in)', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: TIMEOUT_MS });
    fx.sf.faults.slowAfterEffect({ match: /^DELETE .*\/password$/, delayMs: LATE_MS });

    const r = await runOne(fx, makeRequest('reset_password', s));

    expect(r).toMatchObject({ step: 'reset-password', status: 'unknown', apiCalls: 1, detail: { error: { code: 'TIMEOUT' }, readBack: 'impossible' } });
    expect(r.summary).toMatch(/^Password reset probably done/);
    expect(r.summary).toContain('check with the user whether the reset e-mail arrived');
    // Long after the late answer came, still one request and one reset: neither the bot nor jsforce repeated it.
    await sleep(LATE_MS + 200);
    expect(fx.calls().filter((c) => c.path.endsWith('/password'))).toHaveLength(1);
    expect(fx.sf.passwordResets.map((p) => p.userId)).toEqual([s.userId]);
  });

  it('password reset whose connection drops after the effect: the same, and jsforce does not resend it', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: 2000 });
    fx.sf.faults.dropAfterEffect({ match: /^DELETE .*\/password$/ });
    const r = await runOne(fx, makeRequest('reset_password', s));
    expect(r).toMatchObject({ status: 'unknown', detail: { error: { code: 'ECONNRESET' } } });
    await sleep(800); // jsforce's first retry would come 500 ms after the reset
    expect(fx.calls().filter((c) => c.path.endsWith('/password'))).toHaveLength(1);
    expect(fx.sf.passwordResets).toHaveLength(1);
  });
});

describe('a change whose request was lost before Salesforce made it', () => {
  it('remove session: the read-back shows them listed, so the ids are deleted once more (idempotent)', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: 2000 });
    fx.sf.faults.dropBeforeEffect({ match: COLLECTION_DELETE });

    const r = await runOne(fx, makeRequest('remove_session', s, { familyIds: [s.oldRootId], sessionIds: [s.oldRootId] }));

    expect(r.status).toBe('ok');
    expect(r.detail).toMatchObject({ ended: 1, failed: [], unknown: [] });
    expect((r.detail as RemoveDetail).readBack).toBeUndefined();
    expect(callLine(fx)).toEqual(['GET /query', 'DELETE /composite/sobjects', 'GET /query', 'DELETE /composite/sobjects']);
    expect(r.apiCalls).toBe(4);
    expect(s.org.get(s.oldRootId)).toBeUndefined();
  });

  it('remove session: lost twice → unknown for those ids, no third delete', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: 2000 });
    fx.sf.faults.dropBeforeEffect({ match: COLLECTION_DELETE, count: 2 });

    const r = await runOne(fx, makeRequest('remove_session', s, { familyIds: [s.oldRootId], sessionIds: [s.oldRootId] }));

    expect(r.status).toBe('unknown');
    const [unknown] = (r.detail as RemoveDetail).unknown;
    expect((r.detail as RemoveDetail).unknown).toHaveLength(1);
    expect(unknown).toMatchObject({ id: s.oldRootId, code: 'ECONNRESET' });
    expect(unknown?.message).toContain('twice');
    expect(r.summary).toContain('the delayed re-check will look again');
    expect(fx.calls().filter((c) => c.method === 'DELETE')).toHaveLength(2);
  });

  it('freeze: read back not frozen → sent once more (safe to repeat), and the step says so', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: 2000 });
    fx.sf.faults.dropBeforeEffect({ match: /^PATCH .*\/sobjects\/UserLogin\// });

    const r = await runOne(fx, makeRequest('freeze', s, { userLoginId: s.userLoginId }));

    expect(r).toMatchObject({ status: 'ok', apiCalls: 3, detail: { changed: true, retried: { count: 1, code: 'ECONNRESET' } } });
    expect(r.summary).toBe('User frozen after 1 retry (ECONNRESET).');
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(true);
    expect(callLine(fx)).toEqual(['PATCH /sobjects/UserLogin/' + s.userLoginId, 'GET /query', 'PATCH /sobjects/UserLogin/' + s.userLoginId]);
  });

  it('freeze: lost twice and read back not frozen twice → failed, proven, no third PATCH', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: 2000 });
    fx.sf.faults.dropBeforeEffect({ match: /^PATCH .*\/sobjects\/UserLogin\//, count: 2 });

    const r = await runOne(fx, makeRequest('freeze', s, { userLoginId: s.userLoginId }));

    expect(r).toMatchObject({ status: 'failed', apiCalls: 4, detail: { error: { code: 'ECONNRESET' }, readBack: 'not_done' } });
    expect(r.summary).toBe('freeze failed: the connection dropped before Salesforce answered (ECONNRESET) after 1 retry (ECONNRESET); read back: not done.');
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(false);
    expect(fx.calls().filter((c) => c.method === 'PATCH')).toHaveLength(2);
  });

  it('revoke: the grant read back is still there → failed for that app, the others revoked', async () => {
    const s = quietUser({ now: NOW });
    for (const appName of ['Data Loader', 'Salesforce for iOS'])
      addOauthToken(s.org, { userId: s.userId, appName, createdAt: NOW, lastUsedAt: NOW, useCount: 2 });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: 2000 });
    fx.sf.faults.dropBeforeEffect({ match: /^POST \/services\/oauth2\/revoke$/ });

    const r = await runOne(fx, makeRequest('revoke_tokens', s, {}));

    expect(r).toMatchObject({ status: 'partial', apiCalls: 2, oauthCalls: 2 });
    const d = r.detail as RevokeDetail;
    expect(d.revoked).toEqual(['Salesforce for iOS']);
    expect(d.failed).toEqual([
      {
        appName: 'Data Loader',
        code: 'ECONNRESET',
        message: 'the connection dropped before Salesforce answered (ECONNRESET); read back: the grant is still there',
      },
    ]);
    expect(s.org.byReference('OauthToken', 'UserId', s.userId).map((g) => g.AppName)).toEqual(['Data Loader']);
  });
});

describe('when the read-back fails too', () => {
  it('freeze: unknown, "could not confirm", left to the delayed re-check', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: TIMEOUT_MS });
    fx.sf.faults.slowAfterEffect({ match: /^PATCH /, delayMs: LATE_MS });
    fx.sf.faults.failNext({ status: 403, errorCode: 'REQUEST_LIMIT_EXCEEDED', message: 'TotalRequests Limit exceeded.', match: QUERY });

    const r = await runOne(fx, makeRequest('freeze', s, { userLoginId: s.userLoginId }));

    expect(r).toMatchObject({ status: 'unknown', apiCalls: 2, detail: { error: { code: 'TIMEOUT' }, readBack: 'failed' } });
    expect(r.summary).toBe(
      'freeze: Salesforce answered late (TIMEOUT) and reading it back failed (REQUEST_LIMIT_EXCEEDED); could not confirm — the delayed re-check will look again.',
    );
  });

  it('remove all: unknown for the sessions whose delete could not be confirmed', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, timeoutMs: TIMEOUT_MS });
    fx.sf.faults.slowAfterEffect({ match: COLLECTION_DELETE, delayMs: LATE_MS });
    const run = new Executor({ actions: fx.actions }).run(makeRequest('remove_all', s));
    // Once the (slow) delete has arrived, the next query — the read-back — is refused.
    await until(() => fx?.calls().some((c) => c.method === 'DELETE') === true);
    fx.sf.faults.failNext({ status: 400, errorCode: 'INVALID_FIELD', message: 'read-back refused', match: QUERY });
    const [r] = (await run) as [StepResult];

    expect(r.status).toBe('unknown');
    const d = r.detail as RemoveDetail;
    expect(d.ended).toBe(0);
    expect(d.unknown.length).toBe(s.sessionIds.length);
    expect(d.unknown.every((u) => u.code === 'TIMEOUT' && u.message.includes('INVALID_FIELD'))).toBe(true);
    expect(r.summary).toContain(`${s.sessionIds.length} could not be confirmed`);
    expect(liveSessionIds(s.org, s.userId)).toEqual([]);
  });
});

describe('a proven failure', () => {
  it('stays failed without a read-back: 4xx with a Salesforce error body on the deactivate PATCH', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    fx.sf.faults.failNext({ status: 400, errorCode: 'FIELD_INTEGRITY_EXCEPTION', message: 'cannot deactivate', match: /^PATCH / });
    const r = await runOne(fx, makeRequest('deactivate', s));
    expect(r).toMatchObject({ status: 'failed', apiCalls: 1, detail: { error: { code: 'FIELD_INTEGRITY_EXCEPTION' } } });
    expect((r.detail as { readBack?: string }).readBack).toBeUndefined();
    expect(s.org.get(s.userId)?.IsActive).toBe(true);
  });
});
