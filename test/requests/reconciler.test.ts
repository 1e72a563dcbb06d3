import { Executor, type RemoveDetail, type StepResult } from '../../src/requests/executor';
import { Reconciler } from '../../src/requests/reconciler';
import { addUserWithSessions } from '../standins/salesforce/generator';
import { compromisedUser, quietUser } from '../standins/salesforce/scenarios';
import { liveSessionIds, makeRequest, sfFixture, type SfFixture } from '../support/sf-fixture';

const NOW = new Date();
let fx: SfFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

function reconciler(f: SfFixture): Reconciler {
  return new Reconciler({ actions: f.actions, executor: new Executor({ actions: f.actions }) });
}

/** Ids named in the collection deletes sent since the last reset (plain or inside a Composite call). */
function deletedIds(f: SfFixture): string[] {
  const out: string[] = [];
  for (const c of f.calls()) {
    if (c.method === 'DELETE' && c.path.endsWith('/composite/sobjects')) out.push(...(new URLSearchParams(c.query).get('ids')?.split(',') ?? []));
    if (c.method === 'POST' && c.path.endsWith('/composite')) {
      const body = JSON.parse(c.body) as { compositeRequest: { method: string; url: string }[] };
      for (const sub of body.compositeRequest) {
        if (sub.method === 'DELETE') out.push(...(new URL(sub.url, 'http://x').searchParams.get('ids')?.split(',') ?? []));
      }
    }
  }
  return out;
}

describe('Reconciler', () => {
  it('finishes a half-done remove-all without deleting anything twice', async () => {
    const s = quietUser({ now: NOW });
    const big = addUserWithSessions(s.org, { username: 'big@acme.com', count: 450, seed: 21, now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    // The crash came after the first 200 were deleted.
    const firstChunk = big.sessionIds.slice(0, 200);
    await fx.actions.removeSessions(firstChunk, () => false);
    fx.sf.resetRequests();

    const seen: StepResult[] = [];
    const { outcome, steps } = await reconciler(fx).reconcile(makeRequest('remove_all', big), (r) => {
      seen.push(r);
    });
    expect(outcome).toBe('completed');
    expect(seen).toEqual(steps);
    expect(steps).toHaveLength(1);
    const d = steps[0]?.detail as RemoveDetail;
    expect(d).toMatchObject({ ended: 250, alreadyEnded: 0, failed: [] });
    const sent = deletedIds(fx);
    expect(sent).toHaveLength(250);
    expect(sent.filter((id) => firstChunk.includes(id))).toEqual([]);
    expect(liveSessionIds(s.org, big.userId)).toEqual([]);
    // Snapshot + fresh query + one delete.
    expect(fx.calls()).toHaveLength(3);
    expect(steps[0]?.apiCalls).toBe(3);
  });

  it('does nothing but look when everything is already done', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    await new Executor({ actions: fx.actions }).run(makeRequest('contain', s));
    fx.sf.resetRequests();
    const { outcome, steps } = await reconciler(fx).reconcile(makeRequest('contain', s));
    expect(outcome).toBe('completed');
    expect(steps.map((r) => [r.step, r.status, (r.detail as { reconciled?: string }).reconciled])).toEqual([
      ['freeze', 'ok', 'already_done'],
      ['remove-all', 'ok', 'already_done'],
      ['revoke-all', 'ok', 'already_done'],
    ]);
    expect(fx.calls()).toHaveLength(1);
    expect(fx.sf.requests.filter((r) => r.path.includes('oauth2/revoke'))).toEqual([]);
  });

  it('finishes the missing containment steps and flags the password reset instead of repeating it', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    // Before the crash: frozen and the Moscow family ended; grants and reset unknown.
    await fx.actions.freeze(s.userId, true);
    await fx.actions.removeSessions([s.moscowRootId], () => false);
    fx.sf.resetRequests();

    const { outcome, steps } = await reconciler(fx).reconcile(makeRequest('contain', s, { resetPassword: true }));
    expect(outcome).toBe('needs_review');
    expect(steps.map((r) => [r.step, r.status])).toEqual([
      ['freeze', 'ok'],
      ['remove-all', 'ok'],
      ['revoke-all', 'ok'],
      ['reset-password', 'skipped'],
    ]);
    expect(steps[0]?.detail).toMatchObject({ reconciled: 'already_done' });
    expect(steps[3]?.detail).toMatchObject({ reconciled: 'needs_review' });
    expect(steps[3]?.summary).toMatch(/not repeated/);
    expect(fx.sf.passwordResets).toEqual([]);
    expect(fx.calls().filter((c) => c.method === 'PATCH')).toEqual([]);
    expect(deletedIds(fx)).not.toContain(s.moscowRootId);
    expect(liveSessionIds(s.org, s.userId)).toEqual([]);
    expect(s.org.byReference('OauthToken', 'UserId', s.userId)).toEqual([]);
  });

  it('removes only the chosen sessions still listed', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    await fx.actions.removeSessions([s.moscowRootId], () => false);
    fx.sf.resetRequests();
    const { outcome, steps } = await reconciler(fx).reconcile(makeRequest('remove_session', s, { sessionIds: [s.moscowRootId, s.oldRootId] }));
    expect(outcome).toBe('completed');
    expect(deletedIds(fx)).toEqual([s.oldRootId]);
    expect(steps[0]?.detail).toMatchObject({ ended: 1 });
  });

  it('accepts a deactivation Salesforce shows done, and flags one it does not', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const still = await reconciler(fx).reconcile(makeRequest('deactivate', s));
    expect(still.outcome).toBe('needs_review');
    expect(still.steps[0]).toMatchObject({ step: 'deactivate', status: 'skipped' });
    expect(s.org.get(s.userId)?.IsActive).toBe(true);
    expect(fx.calls().filter((c) => c.method === 'PATCH')).toEqual([]);

    s.org.update(s.userId, { IsActive: false });
    const done = await reconciler(fx).reconcile(makeRequest('deactivate', s));
    expect(done.outcome).toBe('completed');
    expect(done.steps[0]).toMatchObject({ status: 'ok', detail: { reconciled: 'already_done' } });
  });

  it('reconciles requests one after another, each with its own steps; Salesforce down means wait, a refused read means review', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const freeze = makeRequest('freeze', s);
    const revoke = makeRequest('revoke_tokens', s, { appNames: ['Salesforce for iOS'] });
    const recorded: string[] = [];
    const results = [];
    for (const r of [freeze, revoke]) {
      const { outcome } = await reconciler(fx).reconcile(r, { onStep: (step) => void recorded.push(`${r.id}:${step.step}`) });
      results.push({ id: r.id, outcome });
    }
    expect(results.map((r) => [r.id, r.outcome])).toEqual([
      [freeze.id, 'completed'],
      [revoke.id, 'completed'],
    ]);
    expect(recorded).toEqual([`${freeze.id}:freeze`, `${revoke.id}:revoke`]);
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(true);
    expect(s.org.byReference('OauthToken', 'UserId', s.userId)).toEqual([]);

    // Busy: it answers again by itself, so nothing is judged and nothing runs; the request waits.
    fx.sf.faults.failNext({ status: 503, errorCode: 'SERVER_UNAVAILABLE', message: 'down', match: /composite$/ });
    const down = await reconciler(fx).reconcile(makeRequest('unfreeze', s));
    expect(down).toEqual({ outcome: 'deferred', steps: [], reason: 'SERVER_UNAVAILABLE' });
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(true);

    // A refusal needs a person: review, step by step.
    fx.sf.faults.failNext({ status: 403, errorCode: 'INSUFFICIENT_ACCESS', message: 'no access', match: /composite$/ });
    const refused = await reconciler(fx).reconcile(makeRequest('unfreeze', s));
    expect(refused.outcome).toBe('needs_review');
    expect(refused.steps[0]).toMatchObject({ status: 'skipped', detail: { reconciled: 'needs_review' } });
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(true);
  });

  describe('a crash inside Contain, told apart by the progress the service records', () => {
    const done = (step: string, status = 'ok') => ({ step, status, summary: '', detail: null, apiCalls: 1 });

    it('runs the reset when the crash came before the reset step started (one reset, the e-mail goes out once)', async () => {
      const s = compromisedUser({ now: NOW });
      fx = await sfFixture(s.org, { botUserId: s.botUserId });
      await new Executor({ actions: fx.actions }).run(makeRequest('contain', s, { resetPassword: false }));
      fx.sf.resetRequests();
      const request = {
        ...makeRequest('contain', s, { resetPassword: true }),
        // Freeze, remove-all and revoke-all finished; the bot stopped before marking the reset started.
        result: { steps: [done('freeze'), done('remove-all'), done('revoke-all')], started: ['freeze', 'remove-all', 'revoke-all'] },
      };
      const startedHere: string[] = [];
      const { outcome, steps } = await reconciler(fx).reconcile(request, { onStepStart: (step) => void startedHere.push(step.kind) });
      expect(outcome).toBe('completed');
      expect(steps.map((r) => [r.step, r.status])).toEqual([
        ['freeze', 'ok'],
        ['remove-all', 'ok'],
        ['revoke-all', 'ok'],
        ['reset-password', 'ok'],
      ]);
      expect(steps[3]?.summary).toMatch(/^Password reset/);
      expect(startedHere).toEqual(['reset-password']);
      expect(fx.sf.passwordResets.map((r) => r.userId)).toEqual([s.userId]);
    });

    it('says "probably done — check" and does not repeat a reset that had started', async () => {
      const s = compromisedUser({ now: NOW });
      fx = await sfFixture(s.org, { botUserId: s.botUserId });
      await new Executor({ actions: fx.actions }).run(makeRequest('contain', s, { resetPassword: false }));
      fx.sf.resetRequests();
      const request = {
        ...makeRequest('contain', s, { resetPassword: true }),
        result: { steps: [done('freeze'), done('remove-all'), done('revoke-all')], started: ['freeze', 'remove-all', 'revoke-all', 'reset-password'] },
      };
      const { outcome, steps } = await reconciler(fx).reconcile(request);
      expect(outcome).toBe('needs_review');
      expect(steps[3]).toMatchObject({ step: 'reset-password', status: 'skipped', detail: { reconciled: 'needs_review' } });
      expect(steps[3]?.summary).toContain('probably done');
      expect(steps[3]?.summary).toContain('It was not repeated');
      expect(steps[3]?.summary).toContain('whether the reset e-mail arrived');
      expect(fx.sf.passwordResets).toEqual([]);
    });

    it('neither repeats a reset recorded unknown, nor redoes one recorded ok; runs one Salesforce refused', async () => {
      const s = quietUser({ now: NOW });
      fx = await sfFixture(s.org, { botUserId: s.botUserId });
      const withReset = (status: string) => ({
        ...makeRequest('reset_password', s),
        result: { steps: [done('reset-password', status)], started: ['reset-password'] },
      });
      const unknown = await reconciler(fx).reconcile(withReset('unknown'));
      expect(unknown).toMatchObject({ outcome: 'needs_review', steps: [{ status: 'skipped' }] });
      expect(unknown.steps[0]?.summary).toContain('probably done');
      const ok = await reconciler(fx).reconcile(withReset('ok'));
      expect(ok).toMatchObject({ outcome: 'completed', steps: [{ status: 'ok', detail: { reconciled: 'already_done' } }] });
      expect(fx.sf.passwordResets).toEqual([]);
      const refused = await reconciler(fx).reconcile(withReset('failed'));
      expect(refused).toMatchObject({ outcome: 'completed', steps: [{ status: 'ok' }] });
      expect(fx.sf.passwordResets).toHaveLength(1);
      expect(fx.calls()).toHaveLength(1);
    });

    it('deactivates a user whose deactivation never started, and still flags one that had', async () => {
      const s = compromisedUser({ now: NOW });
      fx = await sfFixture(s.org, { botUserId: s.botUserId });
      const started = await reconciler(fx).reconcile({ ...makeRequest('deactivate', s), result: { steps: [], started: ['deactivate'] } });
      expect(started.steps[0]).toMatchObject({ status: 'skipped', detail: { reconciled: 'needs_review' } });
      expect(s.org.get(s.userId)?.IsActive).toBe(true);
      const never = await reconciler(fx).reconcile({ ...makeRequest('deactivate', s), result: { steps: [], started: [] } });
      expect(never).toMatchObject({ outcome: 'completed', steps: [{ step: 'deactivate', status: 'ok' }] });
      expect(s.org.get(s.userId)?.IsActive).toBe(false);
    });
  });
});
