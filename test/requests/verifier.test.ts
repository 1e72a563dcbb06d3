import { Executor } from '../../src/requests/executor';
import { Verifier } from '../../src/requests/verifier';
import type { ActionRequest } from '../../src/domain/requests';
import { addOauthToken, addSessionFamily } from '../standins/salesforce/generator';
import { place } from '../standins/salesforce/places';
import { compromisedUser, IPS } from '../standins/salesforce/scenarios';
import { liveSessionIds, makeRequest, sfFixture, type SfFixture } from '../support/sf-fixture';

const NOW = new Date();
let fx: SfFixture | undefined;

afterEach(async () => {
  await fx?.close();
  fx = undefined;
});

/** Executes like the request service does and stores the step results the way it does (JSON). */
async function execute(request: ActionRequest): Promise<{ request: ActionRequest; executedAt: Date }> {
  if (!fx) throw new Error('no fixture');
  const steps = await new Executor({ actions: fx.actions }).run(request);
  const executedAt = new Date();
  return { request: { ...request, state: 'done', result: JSON.parse(JSON.stringify({ steps, executedAt })) as unknown }, executedAt };
}

describe('Verifier', () => {
  it('confirms a remove-all right away in one API call', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const { request } = await execute(makeRequest('remove_all', s));
    fx.sf.resetRequests();
    const v = await new Verifier({ actions: fx.actions }).verify(request);
    expect(v).toMatchObject({ ok: true, stillOpen: [], grantsLeft: [], newSessions: [], alerts: [], apiCalls: 1 });
    expect(fx.calls()).toHaveLength(1);
    expect(v.summary).toMatch(/took effect/);
  });

  it('reports what is still open when the action did not take effect', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const request = makeRequest('contain', s);
    const v = await new Verifier({ actions: fx.actions }).verify(request);
    expect(v.ok).toBe(false);
    expect(v.stillOpen.sort()).toEqual([...s.sessionIds].sort());
    expect(v.grantsLeft).toEqual(['Salesforce for iOS']);
    expect(v.frozen).toBe(false);
    expect(v.summary).toMatch(/still open.*grants remain for Salesforce for iOS.*not frozen/);
    expect(v.stillOpen).not.toContain(fx.botSessionId);
  });

  it('checks only the chosen sessions for remove_session', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const { request } = await execute(makeRequest('remove_session', s, { sessionIds: [s.moscowRootId] }));
    const v = await new Verifier({ actions: fx.actions }).verify(request);
    expect(v).toMatchObject({ ok: true, stillOpen: [] });
    expect(liveSessionIds(s.org, s.userId).length).toBeGreaterThan(0);
  });

  it('delayed re-check: a session created after execution from the same IP is reported, one from elsewhere is not', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const { request, executedAt } = await execute(makeRequest('remove_session', s, { sessionIds: [s.moscowRootId] }));
    const later = new Date(executedAt.getTime() + 10 * 60_000);
    const back = addSessionFamily(s.org, { userId: s.userId, createdAt: later, sourceIp: IPS.moscow, place: place('Moscow'), children: [] });
    const samePlace = addSessionFamily(s.org, { userId: s.userId, createdAt: later, sourceIp: '198.51.100.99', place: place('Moscow'), children: [] });
    addSessionFamily(s.org, { userId: s.userId, createdAt: later, sourceIp: IPS.sanFrancisco, place: place('San Francisco'), children: [] });
    const v = await new Verifier({ actions: fx.actions }).verify(request, { executedAt });
    expect(v.ok).toBe(false);
    expect(v.stillOpen).toEqual([]);
    expect(v.newSessions.map((n) => [n.id, n.sourceIp, n.why])).toEqual(
      expect.arrayContaining([
        [back.rootId, IPS.moscow, 'same_ip'],
        [samePlace.rootId, '198.51.100.99', 'same_place'],
      ]),
    );
    expect(v.newSessions).toHaveLength(2);
    expect(v.newSessions[0]?.place).toMatch(/Moscow/);
    expect(v.alerts).toHaveLength(2);
    expect(v.alerts.join('\n')).toContain(back.rootId);
    expect(v.alerts.join('\n')).toContain('the same IP as a removed session');
    // The same data, JSON-safe, for the audit trail.
    const stored = JSON.parse(JSON.stringify(v.detail)) as { newSessions: { id: string; createdAt: string }[] };
    expect(stored.newSessions.map((n) => n.id).sort()).toEqual([back.rootId, samePlace.rootId].sort());
    expect(stored.newSessions[0]?.createdAt).toBe(later.toISOString());
  });

  it('delayed re-check without step results falls back to the IPs in the evidence', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const executedAt = new Date(NOW.getTime() - 60_000);
    const request: ActionRequest = {
      ...makeRequest('remove_all', s),
      evidence: { snapshot: [{ id: s.moscowRootId, ip: IPS.moscow }] },
    };
    for (const id of liveSessionIds(s.org, s.userId)) s.org.delete('AuthSession', id);
    const back = addSessionFamily(s.org, { userId: s.userId, createdAt: NOW, sourceIp: IPS.moscow, children: [] });
    const v = await new Verifier({ actions: fx.actions }).verify(request, { executedAt });
    expect(v.newSessions.map((n) => [n.id, n.why])).toEqual([[back.rootId, 'same_ip']]);
  });

  it('after containment, any new session of the frozen user is reported; grants and freeze are checked', async () => {
    const s = compromisedUser({ now: NOW });
    addOauthToken(s.org, { userId: s.userId, appName: 'Data Loader', createdAt: NOW, lastUsedAt: NOW, useCount: 1 });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const { request, executedAt } = await execute(makeRequest('contain', s));
    const immediate = await new Verifier({ actions: fx.actions }).verify(request);
    expect(immediate).toMatchObject({ ok: true, frozen: true, grantsLeft: [], stillOpen: [] });

    const sneaky = addSessionFamily(s.org, { userId: s.userId, createdAt: new Date(executedAt.getTime() + 1000), sourceIp: '192.0.2.200', children: [] });
    const delayed = await new Verifier({ actions: fx.actions }).verify(request, { executedAt });
    expect(delayed.newSessions.map((n) => [n.id, n.why])).toEqual([[sneaky.rootId, 'while_frozen']]);
    expect(delayed.ok).toBe(false);
  });

  it('checks deactivation and freeze state for those actions', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const verifier = new Verifier({ actions: fx.actions });
    expect(await verifier.verify(makeRequest('deactivate', s))).toMatchObject({ ok: false, active: true });
    const { request } = await execute(makeRequest('deactivate', s));
    expect(await verifier.verify(request)).toMatchObject({ ok: true, active: false });
    const unfreeze = await verifier.verify(makeRequest('unfreeze', s));
    expect(unfreeze).toMatchObject({ ok: true, frozen: false, stillOpen: [] });
    expect(await verifier.verify(makeRequest('revoke_tokens', s, { appNames: ['Workbench'] }))).toMatchObject({ ok: true, grantsLeft: [] });
    expect(await verifier.verify(makeRequest('revoke_tokens', s))).toMatchObject({ ok: false, grantsLeft: ['Salesforce for iOS'] });
  });

  it('says so when the grants cannot be read', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    fx.sf.faults.denyObject('OauthToken', 'INSUFFICIENT_ACCESS');
    const v = await new Verifier({ actions: fx.actions }).verify(makeRequest('revoke_tokens', s));
    expect(v.ok).toBe(false);
    expect(v.summary).toMatch(/could not be read/);
  });
});
