import { RequestsStore } from '../../src/store/requests-store';
import type { NewRequest } from '../../src/domain/requests';
import { DIALECTS, useDatabase } from '../support/databases';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

function newRequest(overrides: Partial<Omit<NewRequest, 'kind' | 'params'>> & { kind?: 'remove_session' | 'deactivate' } = {}): NewRequest {
  const { kind = 'remove_session', ...rest } = overrides;
  const base = {
    kind: 'remove_session' as const,
    target: { userId: '005000000000001AAA', username: 'alice@example.com', name: 'Alice Doe', email: 'alice@example.com' },
    params: { familyIds: ['0Ak000000000001AAA'], sessionIds: ['0Ak000000000001AAA', '0Ak000000000002AAA'] },
    reason: 'login from an unexpected country',
    requestedBy: 'U0REQUESTER',
    requiredApprovals: 1,
    evidence: { sessions: [{ id: '0Ak000000000001AAA', ip: '203.0.113.9' }], nested: { n: 1.5, ok: true } },
    expiresAt: minutes(15),
    ...rest,
  };
  return kind === 'deactivate' ? { ...base, kind, params: {} } : base;
}

describe.each(DIALECTS)('RequestsStore on %s', (dialect) => {
  const database = useDatabase(dialect);
  let store: RequestsStore;
  beforeEach(() => {
    store = new RequestsStore(database());
  });

  describe('create and get', () => {
    it('stores a pending request at version 1 and reads back every field', async () => {
      const input = newRequest();
      const created = await store.create(input, T0);
      expect(created.id).toMatch(/^R[A-Z2-7]{10}$/);
      const read = await store.get(created.id);
      expect(read).toEqual(created);
      expect(read).toEqual({
        id: created.id,
        kind: 'remove_session',
        state: 'pending',
        target: input.target,
        params: input.params,
        reason: input.reason,
        requestedBy: 'U0REQUESTER',
        requiredApprovals: 1,
        approvals: [],
        decidedBy: null,
        channelId: null,
        messageTs: null,
        evidence: input.evidence,
        result: null,
        createdAt: T0,
        updatedAt: T0,
        expiresAt: minutes(15),
        verifyDueAt: null,
        verifiedAt: null,
        version: 1,
      });
      expect(read?.createdAt).toBeInstanceOf(Date);
    });

    it('gives each request a distinct id', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add((await store.create(newRequest(), T0)).id);
      expect(ids.size).toBe(20);
    });

    it('returns null for an unknown id', async () => {
      expect(await store.get('RNOSUCHID00')).toBeNull();
    });

    it('rejects a non-positive approval count', async () => {
      await expect(store.create(newRequest({ requiredApprovals: 0 }), T0)).rejects.toThrow(/requiredApprovals/);
    });
  });

  describe('transition', () => {
    it('moves state, applies the patch and bumps the version', async () => {
      const r = await store.create(newRequest(), T0);
      const approved = await store.transition(r.id, 'pending', 'approved', { decidedBy: 'U0BOSS' }, minutes(1));
      expect(approved).toMatchObject({ state: 'approved', decidedBy: 'U0BOSS', version: 2, updatedAt: minutes(1), createdAt: T0 });
      const done = await store.transition(
        r.id,
        ['approved', 'executing'],
        'done',
        { result: { steps: [{ step: 'delete', ok: true }] }, verifyDueAt: minutes(31) },
        minutes(2),
      );
      expect(done).toMatchObject({ state: 'done', version: 3, result: { steps: [{ step: 'delete', ok: true }] }, verifyDueAt: minutes(31) });
      expect(done?.decidedBy).toBe('U0BOSS'); // untouched fields keep their values
      expect(await store.get(r.id)).toEqual(done);
    });

    it('returns null and writes nothing when the state is not one of from', async () => {
      const r = await store.create(newRequest(), T0);
      await store.transition(r.id, 'pending', 'denied', { decidedBy: 'U0NO' }, minutes(1));
      expect(await store.transition(r.id, ['pending', 'approved'], 'executing', {}, minutes(2))).toBeNull();
      expect(await store.transition(r.id, [], 'executing', {}, minutes(2))).toBeNull();
      expect(await store.get(r.id)).toMatchObject({ state: 'denied', version: 2, decidedBy: 'U0NO' });
    });

    it('returns null for an unknown id', async () => {
      expect(await store.transition('RNOSUCHID00', 'pending', 'approved', {}, T0)).toBeNull();
    });

    it('lets exactly one of 100 simultaneous callers win', async () => {
      const r = await store.create(newRequest(), T0);
      await store.transition(r.id, 'pending', 'approved', {}, T0);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => store.transition(r.id, 'approved', 'executing', { decidedBy: `U${i}` }, minutes(1))),
      );
      const winners = results.filter((x) => x !== null);
      expect(winners).toHaveLength(1);
      expect(await store.get(r.id)).toMatchObject({ state: 'executing', version: 3, decidedBy: winners[0]?.decidedBy });
    });
  });

  describe('addApproval', () => {
    it('never counts the requester as an approver (separation of duties in the compare-and-set)', async () => {
      const r = await store.create(newRequest(), T0);
      const { request, outcome } = await store.addApproval(r.id, 'U0REQUESTER', minutes(1));
      expect(outcome).toBe('requester');
      expect(request).toMatchObject({ state: 'pending', approvals: [], version: 1 });
      expect((await store.get(r.id))?.approvals).toEqual([]);
    });

    it('approves a one-approval request on the first approval', async () => {
      const r = await store.create(newRequest(), T0);
      const { request, outcome } = await store.addApproval(r.id, 'U0APPROVER', minutes(1));
      expect(outcome).toBe('added');
      expect(request).toMatchObject({ state: 'approved', decidedBy: 'U0APPROVER', approvals: [{ userId: 'U0APPROVER', at: minutes(1) }], version: 2 });
      const again = await store.addApproval(r.id, 'U0OTHER', minutes(2));
      expect(again.outcome).toBe('not_pending');
      expect(again.request.approvals).toHaveLength(1);
    });

    it('needs two distinct approvers for a two-approval request', async () => {
      const r = await store.create(newRequest({ kind: 'deactivate', requiredApprovals: 2 }), T0);
      const first = await store.addApproval(r.id, 'U0A', minutes(1));
      expect(first.outcome).toBe('added');
      expect(first.request).toMatchObject({ state: 'pending', decidedBy: null });
      const dup = await store.addApproval(r.id, 'U0A', minutes(2));
      expect(dup.outcome).toBe('duplicate');
      expect(dup.request.version).toBe(2);
      const second = await store.addApproval(r.id, 'U0B', minutes(3));
      expect(second.outcome).toBe('added');
      expect(second.request).toMatchObject({ state: 'approved', decidedBy: 'U0B', version: 3 });
      expect(second.request.approvals.map((a) => a.userId)).toEqual(['U0A', 'U0B']);
    });

    it('with 100 concurrent distinct approvers, records exactly two and approves once', async () => {
      const r = await store.create(newRequest({ kind: 'deactivate', requiredApprovals: 2 }), T0);
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => store.addApproval(r.id, `U${String(i).padStart(3, '0')}`, minutes(1))));
      const added = results.filter((x) => x.outcome === 'added');
      expect(added).toHaveLength(2);
      expect(results.filter((x) => x.outcome === 'not_pending')).toHaveLength(98);
      expect(added.filter((x) => x.request.state === 'approved')).toHaveLength(1);
      const final = await store.get(r.id);
      expect(final?.state).toBe('approved');
      expect(final?.approvals).toHaveLength(2);
      expect(new Set(final?.approvals.map((a) => a.userId)).size).toBe(2);
      expect(final?.approvals.map((a) => a.userId)).toContain(final?.decidedBy);
    });

    it('expires instead of approving once expiresAt has passed', async () => {
      const r = await store.create(newRequest(), T0);
      const late = await store.addApproval(r.id, 'U0LATE', minutes(15));
      expect(late.outcome).toBe('not_pending');
      expect(late.request).toMatchObject({ state: 'expired', approvals: [] });
    });

    it('throws for an unknown request', async () => {
      await expect(store.addApproval('RNOSUCHID00', 'U0A', T0)).rejects.toThrow(/does not exist/);
    });
  });

  describe('update and setMessage', () => {
    it('update writes only when the version matches', async () => {
      const r = await store.create(newRequest(), T0);
      const updated = await store.update(r.id, 1, { result: { verification: 'clean' }, verifiedAt: minutes(30) }, minutes(30));
      expect(updated).toMatchObject({ version: 2, result: { verification: 'clean' }, verifiedAt: minutes(30), state: 'pending' });
      expect(await store.update(r.id, 1, { result: 'stale' }, minutes(31))).toBeNull();
      expect((await store.get(r.id))?.result).toEqual({ verification: 'clean' });
    });

    it('setMessage records where the approval message is', async () => {
      const r = await store.create(newRequest(), T0);
      const withMsg = await store.setMessage(r.id, 'C0SEC', '1700000000.000100', minutes(1));
      expect(withMsg).toMatchObject({ channelId: 'C0SEC', messageTs: '1700000000.000100', version: 2 });
      expect(await store.get(r.id)).toMatchObject({ channelId: 'C0SEC', messageTs: '1700000000.000100' });
      expect(await store.setMessage('RNOSUCHID00', 'C0SEC', '1.2')).toBeNull();
    });
  });

  describe('lists', () => {
    it('listByState returns only the asked states, oldest first', async () => {
      const a = await store.create(newRequest(), minutes(0));
      const b = await store.create(newRequest(), minutes(1));
      const c = await store.create(newRequest(), minutes(2));
      await store.transition(b.id, 'pending', 'approved', {}, minutes(3));
      await store.transition(c.id, 'pending', 'denied', {}, minutes(3));
      expect((await store.listByState(['pending'])).map((r) => r.id)).toEqual([a.id]);
      expect((await store.listByState(['pending', 'approved'])).map((r) => r.id)).toEqual([a.id, b.id]);
      expect(await store.listByState([])).toEqual([]);
    });

    it('listExpiredPending returns pending requests at or past expiry only', async () => {
      const due = await store.create(newRequest({ expiresAt: minutes(10) }), T0);
      const exact = await store.create(newRequest({ expiresAt: minutes(12) }), T0);
      await store.create(newRequest({ expiresAt: minutes(13) }), T0); // not yet
      const decided = await store.create(newRequest({ expiresAt: minutes(5) }), T0);
      await store.transition(decided.id, 'pending', 'denied', {}, minutes(1));
      expect((await store.listExpiredPending(minutes(12))).map((r) => r.id)).toEqual([due.id, exact.id]);
    });

    it('listDueVerification returns done, unverified requests whose check is due', async () => {
      const mk = async (verifyDueAt: Date | null, finalState: 'done' | 'failed' = 'done') => {
        const r = await store.create(newRequest(), T0);
        return store.transition(r.id, 'pending', finalState, { verifyDueAt }, T0);
      };
      const due = await mk(minutes(30));
      await mk(minutes(31)); // not yet due
      await mk(null); // nothing to verify
      await mk(minutes(20), 'failed');
      const verified = await mk(minutes(10));
      await store.update(verified!.id, verified!.version, { verifiedAt: minutes(10) });
      expect((await store.listDueVerification(minutes(30))).map((r) => r.id)).toEqual([due!.id]);
    });
  });
});
