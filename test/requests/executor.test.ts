import { Executor, type RemoveDetail, type RevokeDetail, type StepResult } from '../../src/requests/executor';
import { ParamsError as PlanError } from '../../src/domain/action-kinds';
import { planFor } from '../../src/requests/plan';
import { addOauthToken, addSessionFamily, addUserWithSessions } from '../standins/salesforce/generator';
import { compromisedUser, quietUser } from '../standins/salesforce/scenarios';
import { blockDeactivation } from '../standins/salesforce/deactivation';
import { liveSessionIds, makeRequest, sfFixture, type SfFixture } from '../support/sf-fixture';

const NOW = new Date();
let fx: SfFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

describe('planFor', () => {
  const plan = (kind: Parameters<typeof makeRequest>[0], params: Record<string, unknown> = {}) =>
    planFor(makeRequest(kind, { userId: '005000000000001AAA' }, params));

  it('maps every kind to its steps; containment freezes first', () => {
    expect(plan('remove_session', { sessionIds: ['a', 'b'] })).toEqual([{ kind: 'remove', ids: ['a', 'b'] }]);
    expect(plan('remove_all')).toEqual([{ kind: 'remove-all' }]);
    expect(plan('freeze')).toEqual([{ kind: 'freeze' }]);
    expect(plan('unfreeze')).toEqual([{ kind: 'unfreeze' }]);
    expect(plan('reset_password')).toEqual([{ kind: 'reset-password' }]);
    expect(plan('revoke_tokens', { appNames: ['Data Loader'] })).toEqual([{ kind: 'revoke', appNames: ['Data Loader'] }]);
    expect(plan('revoke_tokens')).toEqual([{ kind: 'revoke-all' }]);
    expect(plan('deactivate')).toEqual([{ kind: 'deactivate' }]);
    expect(plan('contain')).toEqual([{ kind: 'freeze' }, { kind: 'remove-all' }, { kind: 'revoke-all' }]);
    expect(plan('contain', { resetPassword: true })).toEqual([{ kind: 'freeze' }, { kind: 'remove-all' }, { kind: 'revoke-all' }, { kind: 'reset-password' }]);
  });

  it('rejects requests whose parameters do not fit', () => {
    expect(() => plan('remove_session')).toThrow(PlanError);
    expect(() => plan('remove_session', { sessionIds: [] })).toThrow(PlanError);
    expect(() => plan('remove_session', { sessionIds: 'abc' })).toThrow(PlanError);
    expect(() => plan('revoke_tokens', { appNames: [1] })).toThrow(PlanError);
  });
});

describe('Executor against the stand-in', () => {
  it('removes one family: ownership query + one delete, origins kept for the re-check', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const family = liveSessionIds(s.org, s.userId).filter((id) => id === s.moscowRootId || s.org.get(id)?.ParentId === s.moscowRootId);
    expect(family).toHaveLength(5);
    const seen: StepResult[] = [];
    const results = await new Executor({ actions: fx.actions }).run(makeRequest('remove_session', s, { sessionIds: family }), {
      onStep: (r) => void seen.push(r),
    });
    expect(results).toHaveLength(1);
    const [r] = results as [StepResult];
    expect(seen).toEqual(results);
    expect(r).toMatchObject({ step: 'remove', status: 'ok', apiCalls: 2, oauthCalls: 0 });
    expect(r.detail).toMatchObject({ ended: 5, alreadyEnded: 0, failed: [], origins: [{ ip: '198.51.100.23', city: 'Moscow', country: 'Russia' }] });
    expect(r.at).toBeInstanceOf(Date);
    expect(fx.calls()).toHaveLength(2);
    expect(liveSessionIds(s.org, s.userId)).toHaveLength(s.sessionIds.length - 5);
  });

  it("refuses the bot's sessions named in a request; gone ids cost no delete", async () => {
    const s = compromisedUser({ now: NOW });
    // A UI login of the bot's user besides its API session.
    const otherFamily = addSessionFamily(s.org, { userId: s.botUserId, createdAt: NOW, sourceIp: '192.0.2.1' });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const gone = '0Ak999999999998AAA';
    const request = makeRequest('remove_session', s, { sessionIds: [fx.botSessionId, otherFamily.rootId, s.moscowRootId, gone] });
    const [r] = (await new Executor({ actions: fx.actions }).run(request)) as [StepResult];
    const d = r.detail as RemoveDetail;
    expect(r.status).toBe('partial');
    expect(d.ended).toBe(1);
    expect(d.alreadyEnded).toBe(1);
    expect(d.failed.map((f) => [f.id, f.code])).toEqual([
      [fx.botSessionId, 'PROTECTED_SESSION'],
      [otherFamily.rootId, 'PROTECTED_SESSION'],
    ]);
    expect(s.org.get(fx.botSessionId)).toBeDefined();
    expect(s.org.get(otherFamily.rootId)).toBeDefined();
    expect(fx.calls().map((c) => c.method)).toEqual(['GET', 'DELETE']);
    expect(fx.calls()[1]?.query).not.toContain(gone);
  });

  it('refuses a session that belongs to someone other than the target', async () => {
    const s = compromisedUser({ now: NOW });
    const bystander = addUserWithSessions(s.org, { username: 'carol@acme.com', count: 2, seed: 5, now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const request = makeRequest('remove_session', s, { sessionIds: [bystander.sessionIds[0], s.oldRootId] });
    const [r] = (await new Executor({ actions: fx.actions }).run(request)) as [StepResult];
    expect((r.detail as RemoveDetail).failed).toEqual([
      { id: bystander.sessionIds[0], code: 'NOT_TARGET_SESSION', message: 'the session belongs to another user than the request names' },
    ]);
    expect(liveSessionIds(s.org, bystander.userId)).toHaveLength(2);
    expect(s.org.get(s.oldRootId)).toBeUndefined();
  });

  it('remove-all of 450 sessions: a fresh query (newer sessions included) and one Composite delete', async () => {
    const s = quietUser({ now: NOW });
    const big = addUserWithSessions(s.org, { username: 'big@acme.com', count: 450, seed: 11, now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const request = makeRequest('remove_all', big);
    // Logged in again after the request was made: still ended.
    const late = addSessionFamily(s.org, { userId: big.userId, createdAt: NOW, sourceIp: '192.0.2.77', children: [] });
    const [r] = (await new Executor({ actions: fx.actions }).run(request)) as [StepResult];
    expect(r).toMatchObject({ step: 'remove-all', status: 'ok', apiCalls: 2 });
    expect((r.detail as RemoveDetail).ended).toBe(451);
    expect(s.org.get(late.rootId)).toBeUndefined();
    expect(liveSessionIds(s.org, big.userId)).toEqual([]);
    expect(fx.calls().map((c) => `${c.method} ${c.path.replace(/^\/services\/data\/v[\d.]+/, '')}`)).toEqual(['GET /query', 'POST /composite']);
  });

  it("refuses every step when the target is the bot's own user", async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const [r] = (await new Executor({ actions: fx.actions }).run(makeRequest('remove_all', { userId: s.botUserId }))) as [StepResult];
    expect(r.status).toBe('failed');
    expect(r.detail).toMatchObject({ error: { code: 'REFUSED_BOT_USER' } });
    expect(s.org.get(fx.botSessionId)).toBeDefined();
    expect(fx.calls().filter((c) => c.method !== 'GET')).toEqual([]);
  });

  it('freezes with one PATCH when the request carries the UserLogin id read at request time', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const [r] = (await new Executor({ actions: fx.actions }).run(makeRequest('freeze', s, { userLoginId: s.userLoginId }))) as [StepResult];
    expect(r).toMatchObject({ step: 'freeze', status: 'ok', apiCalls: 1 });
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(true);
    expect(fx.calls().map((c) => c.method)).toEqual(['PATCH']);
  });

  it('finds the bot user through IsCurrent when the login flow did not say (one query, cached)', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: null });
    const executor = new Executor({ actions: fx.actions });
    const [refused] = await executor.run(makeRequest('freeze', { userId: s.botUserId }));
    expect(refused?.detail).toMatchObject({ error: { code: 'REFUSED_BOT_USER' } });
    expect(refused?.apiCalls).toBe(1);
    const [frozen] = await executor.run(makeRequest('freeze', s));
    expect(frozen).toMatchObject({ status: 'ok', apiCalls: 2 });
  });

  it('contain for a user with 450 sessions and 2 grants, with a reset: steps in order and their API calls', async () => {
    const s = quietUser({ now: NOW });
    const big = addUserWithSessions(s.org, { username: 'big@acme.com', count: 450, seed: 13, now: NOW });
    for (const appName of ['Salesforce for iOS', 'Data Loader'])
      addOauthToken(s.org, { userId: big.userId, appName, createdAt: NOW, lastUsedAt: NOW, useCount: 3 });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const results = await new Executor({ actions: fx.actions, logger: fx.logger }).run(makeRequest('contain', big, { resetPassword: true }));
    expect(results.map((r) => [r.step, r.status, r.apiCalls, r.oauthCalls])).toEqual([
      ['freeze', 'ok', 2, 0],
      ['remove-all', 'ok', 2, 0],
      ['revoke-all', 'ok', 1, 2],
      ['reset-password', 'ok', 1, 0],
    ]);
    expect((results[2]?.detail as RevokeDetail).revoked.sort()).toEqual(['Data Loader', 'Salesforce for iOS']);
    expect(fx.sf.apiUsage()).toBe(6);
    expect(fx.sf.passwordResets).toHaveLength(1);
    expect(liveSessionIds(s.org, big.userId)).toEqual([]);
  });

  it('keeps going after a failed step (the freeze PATCH refused) and awaits onStep before the next step', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    // A refusal, not a busy answer (a 503 is retried: see the next test).
    fx.sf.faults.failNext({
      status: 403,
      errorCode: 'INSUFFICIENT_ACCESS_OR_READONLY',
      message: 'insufficient access',
      match: /^PATCH .*\/sobjects\/UserLogin\//,
    });
    const log: string[] = [];
    const results = await new Executor({ actions: fx.actions }).run(makeRequest('contain', s), {
      onStep: async (r) => {
        log.push(`start ${r.step} after ${fx?.calls().length} calls`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        log.push(`end ${r.step} after ${fx?.calls().length} calls`);
      },
    });
    expect(results.map((r) => [r.step, r.status])).toEqual([
      ['freeze', 'failed'],
      ['remove-all', 'ok'],
      ['revoke-all', 'ok'],
    ]);
    expect(results[0]?.detail).toEqual({ kind: 'freeze', error: { code: 'INSUFFICIENT_ACCESS_OR_READONLY', message: 'insufficient access' } });
    expect(results[0]?.summary).toContain('INSUFFICIENT_ACCESS_OR_READONLY');
    expect(results[0]?.apiCalls).toBe(2);
    // No Salesforce call happened while a step's hook was running.
    expect(log).toEqual([
      'start freeze after 2 calls',
      'end freeze after 2 calls',
      'start remove-all after 4 calls',
      'end remove-all after 4 calls',
      'start revoke-all after 5 calls',
      'end revoke-all after 5 calls',
    ]);
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(false);
    expect(liveSessionIds(s.org, s.userId)).toEqual([]);
    expect(s.org.byReference('OauthToken', 'UserId', s.userId)).toEqual([]);
  });

  it('awaits onStepStart before each step sends anything, and stops before the step when it fails', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const log: string[] = [];
    await new Executor({ actions: fx.actions }).run(makeRequest('contain', s, { resetPassword: true }), {
      onStepStart: async (step) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        log.push(`start ${step.kind} after ${fx?.calls().length} calls`);
      },
      onStep: (r) => void log.push(`done ${r.step} after ${fx?.calls().length} calls`),
    });
    expect(log).toEqual([
      'start freeze after 0 calls',
      'done freeze after 2 calls',
      'start remove-all after 2 calls',
      'done remove-all after 4 calls',
      'start revoke-all after 4 calls',
      'done revoke-all after 5 calls',
      'start reset-password after 5 calls',
      'done reset-password after 6 calls',
    ]);

    fx.sf.resetRequests();
    const refused = new Executor({ actions: fx.actions }).run(makeRequest('reset_password', s), {
      onStepStart: () => Promise.reject(new Error('database down')),
    });
    await expect(refused).rejects.toThrow('database down');
    expect(fx.calls()).toEqual([]);
    expect(fx.sf.passwordResets).toHaveLength(1);
  });

  it('stops when recording a step fails, so nothing runs unrecorded', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const run = new Executor({ actions: fx.actions }).run(makeRequest('contain', s), () => Promise.reject(new Error('audit store down')));
    await expect(run).rejects.toThrow('audit store down');
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(true);
    expect(liveSessionIds(s.org, s.userId)).toHaveLength(s.sessionIds.length);
  });

  it('turns an invalid request into one failed step without calling Salesforce', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const results = await new Executor({ actions: fx.actions }).run(makeRequest('remove_session', s, {}));
    expect(results).toMatchObject([{ step: 'plan', status: 'failed', apiCalls: 0 }]);
    expect(fx.calls()).toEqual([]);
  });

  it.each([
    ['default-case-owner', /default owner of cases/],
    ['hierarchy', /custom hierarchy field/],
  ] as const)('a deactivation Salesforce refuses (%s) says why and what to do: reassign in Setup, or freeze', async (why, said) => {
    const s = compromisedUser({ now: NOW });
    blockDeactivation(s.org, s.userId, why);
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const [r] = (await new Executor({ actions: fx.actions }).run(makeRequest('deactivate', s))) as [StepResult];
    expect(r).toMatchObject({ step: 'deactivate', status: 'failed', apiCalls: 1 });
    expect(r.summary).toMatch(/^Salesforce refused to deactivate the user \(FIELD_INTEGRITY_EXCEPTION: /);
    expect(r.summary).toMatch(said);
    expect(r.summary).toMatch(/reassign .* in Setup/);
    expect(r.summary).toMatch(/freeze the user instead/);
    expect(s.org.get(s.userId)?.IsActive).toBe(true);
  });

  it("the removed sessions' step result says some services may accept their token for up to 30 minutes", async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const [r] = (await new Executor({ actions: fx.actions }).run(makeRequest('remove_all', s))) as [StepResult];
    expect(r.status).toBe('ok');
    expect(r.summary).toMatch(/may accept an ended session’s token for up to 30 minutes/);
  });

  it('deactivates, and reports revocation of named apps with what was not found', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const executor = new Executor({ actions: fx.actions });
    const [revoke] = await executor.run(makeRequest('revoke_tokens', s, { appNames: ['Salesforce for iOS', 'Workbench'] }));
    expect(revoke).toMatchObject({ step: 'revoke', status: 'ok', detail: { revoked: ['Salesforce for iOS'], notFound: ['Workbench'], failed: [] } });
    const [deactivate] = await executor.run(makeRequest('deactivate', s));
    expect(deactivate).toMatchObject({ step: 'deactivate', status: 'ok', apiCalls: 1 });
    expect(s.org.get(s.userId)?.IsActive).toBe(false);
  });
});
