import { ApiMeter } from '../../src/salesforce/metered-rest';
import { addOauthToken, addUserWithSessions } from '../standins/salesforce/generator';
import { compromisedUser, quietUser } from '../standins/salesforce/scenarios';
import type { Org } from '../standins/salesforce/org';
import { liveSessionIds, sfFixture, type SfFixture } from '../support/sf-fixture';

const NOW = new Date();
let fx: SfFixture;

afterEach(async () => {
  await fx?.close();
});

function addGrants(org: Org, userId: string, apps: string[]): string[] {
  return apps.map(
    (appName, i) =>
      addOauthToken(org, { userId, appName, createdAt: new Date(NOW.getTime() - (i + 3) * 86_400_000), lastUsedAt: NOW, useCount: 10 + i }).deleteToken,
  );
}

describe('removeSessions', () => {
  it('ends a family with one sObject Collections delete', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const meter = new ApiMeter();
    const results = await fx.actions.metered(meter).removeSessions(s.sessionIds, () => false);
    expect(results).toEqual(s.sessionIds.map((id) => ({ id, result: 'ended' })));
    expect(liveSessionIds(s.org, s.userId)).toEqual([]);
    const calls = fx.calls();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['DELETE /services/data/v62.0/composite/sobjects']);
    expect(calls[0]?.query).toContain('allOrNone=false');
    expect(meter.rest).toBe(1);
  });

  it('reports sessions that are already gone as already ended, and never sends a malformed id', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const [first, second, third] = s.sessionIds as [string, string, string];
    await fx.actions.removeSessions([first], () => false); // deleted through the API → ENTITY_IS_DELETED
    s.org.delete('AuthSession', second); // expired on its own → INVALID_CROSS_REFERENCE_KEY
    const neverExisted = '0Ak999999999999AAA';
    fx.sf.resetRequests();
    const results = await fx.actions.removeSessions([first, second, third, neverExisted, "x' OR Id != '"], () => false);
    expect(results).toEqual([
      { id: first, result: 'already_ended', code: 'ENTITY_IS_DELETED' },
      { id: second, result: 'already_ended', code: 'INVALID_CROSS_REFERENCE_KEY' },
      { id: third, result: 'ended' },
      { id: neverExisted, result: 'already_ended', code: 'INVALID_CROSS_REFERENCE_KEY' },
      { id: "x' OR Id != '", result: 'failed', code: 'MALFORMED_ID', message: 'not a Salesforce session id' },
    ]);
    expect(fx.calls()).toHaveLength(1);
    expect(decodeURIComponent(fx.calls()[0]?.query ?? '')).not.toContain('OR');
  });

  it('packs 450 ids into one Composite call of three 200-id collection deletes', async () => {
    const s = quietUser({ now: NOW });
    const big = addUserWithSessions(s.org, { username: 'big@acme.com', count: 450, seed: 7, now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const meter = new ApiMeter();
    const results = await fx.actions.metered(meter).removeSessions(big.sessionIds, () => false);
    expect(results.filter((r) => r.result === 'ended')).toHaveLength(450);
    expect(liveSessionIds(s.org, big.userId)).toEqual([]);
    const calls = fx.calls();
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite']);
    const sent = JSON.parse(calls[0]?.body ?? '{}') as { compositeRequest: { method: string; url: string }[] };
    expect(sent.compositeRequest.map((r) => r.method)).toEqual(['DELETE', 'DELETE', 'DELETE']);
    expect(sent.compositeRequest.map((r) => new URL(r.url, 'http://x').searchParams.get('ids')?.split(',').length)).toEqual([200, 200, 50]);
    expect(meter.rest).toBe(1);
    expect(fx.sf.apiUsage()).toBe(1);
  });

  it('needs a second call only past five chunks (1,100 ids → 2 calls)', async () => {
    const s = quietUser({ now: NOW });
    const big = addUserWithSessions(s.org, { username: 'huge@acme.com', count: 1100, seed: 9, now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const results = await fx.actions.removeSessions(big.sessionIds, () => false);
    expect(results.every((r) => r.result === 'ended')).toBe(true);
    expect(fx.calls().map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite', 'DELETE /services/data/v62.0/composite/sobjects']);
  });

  it("refuses the bot's own session in code, whatever the caller passes", async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const own = fx.botSessionId;
    const results = await fx.actions.removeSessions([own, ...s.sessionIds], (id) => id === own);
    expect(results[0]).toEqual({ id: own, result: 'failed', code: 'PROTECTED_SESSION', message: "the bot's own session is never ended" });
    expect(results.slice(1).every((r) => r.result === 'ended')).toBe(true);
    expect(s.org.get(own)).toBeDefined();
    expect(fx.calls()[0]?.query).not.toContain(own);
    expect(fx.logs.join('')).toContain("refused to end one of the bot's own sessions");
    // The bot's token still works.
    expect(await fx.actions.remainingSessions(s.userId)).toEqual([]);
  });

  it('reports per-item failures and a whole failed call per id', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    // A User id is well formed but not deletable.
    const mixed = await fx.actions.removeSessions([s.userId, s.rootId], () => false);
    expect(mixed[0]).toMatchObject({ id: s.userId, result: 'failed', code: 'INVALID_TYPE_FOR_OPERATION' });
    expect(mixed[1]).toEqual({ id: s.rootId, result: 'ended' });

    const big = addUserWithSessions(s.org, { username: 'big@acme.com', count: 450, seed: 3, now: NOW });
    // A refusal of the whole call is a failure for every id in it.
    fx.sf.faults.failNext({ status: 400, errorCode: 'INVALID_FIELD', message: 'refused', match: /^POST .*\/composite$/ });
    const refused = await fx.actions.removeSessions(big.sessionIds, () => false);
    expect(refused).toHaveLength(450);
    expect(refused.every((r) => r.result === 'failed' && r.code === 'INVALID_FIELD')).toBe(true);
    expect(liveSessionIds(s.org, big.userId)).toHaveLength(450);
  });

  it('a busy answer (503 SERVER_UNAVAILABLE) to the Composite of deletes is sent again after a backoff; the ids say they needed a retry', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const big = addUserWithSessions(s.org, { username: 'big@acme.com', count: 450, seed: 3, now: NOW });
    fx.sf.faults.failNext({ status: 503, errorCode: 'SERVER_UNAVAILABLE', message: 'maintenance', match: /^POST .*\/composite$/ });
    const ended = await fx.actions.removeSessions(big.sessionIds, () => false);
    expect(ended).toHaveLength(450);
    expect(ended.every((r) => r.result === 'ended' && r.retried?.count === 1 && r.retried.code === 'SERVER_UNAVAILABLE')).toBe(true);
    expect(liveSessionIds(s.org, big.userId)).toEqual([]);
    const posts = fx.sf.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/composite'));
    expect(posts.map((p) => p.status)).toEqual([503, 200]);
    expect((posts[1]?.started ?? 0) - (posts[0]?.ended ?? 0)).toBeGreaterThanOrEqual(300);
  });
});

describe('freeze', () => {
  it('freezes with a query and a PATCH, and skips the PATCH when already frozen', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    expect(await fx.actions.freeze(s.userId, true)).toEqual({ result: 'changed', frozen: true });
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(true);
    expect(fx.calls().map((c) => c.method)).toEqual(['GET', 'PATCH']);
    expect(JSON.parse(fx.calls()[1]?.body ?? '{}')).toEqual({ IsFrozen: true });

    fx.sf.resetRequests();
    expect(await fx.actions.freeze(s.userId, true)).toEqual({ result: 'already', frozen: true });
    expect(fx.calls().map((c) => c.method)).toEqual(['GET']);

    expect(await fx.actions.freeze(s.userId, false)).toEqual({ result: 'changed', frozen: false });
    expect(s.org.get(s.userLoginId)?.IsFrozen).toBe(false);
  });

  it('fails clearly for a user without a UserLogin row', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    s.org.delete('UserLogin', s.userLoginId);
    await expect(fx.actions.freeze(s.userId, true)).rejects.toMatchObject({ errorCode: 'NOT_FOUND' });
  });
});

describe('resetPassword', () => {
  it('resets once and lets the temporary password reach nothing the bot keeps', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId, proxy: true });
    const result = await fx.actions.resetPassword(s.userId);
    expect(result).toEqual({ result: 'reset' });
    expect(fx.sf.passwordResets.map((r) => r.userId)).toEqual([s.userId]);
    // The proxy saw what Salesforce answered; the bot must have dropped it.
    const answer = fx.proxy?.responses.find((r) => r.method === 'DELETE' && r.path.endsWith('/password'));
    const password = (JSON.parse(answer?.body ?? '{}') as { NewPassword?: string }).NewPassword ?? '';
    expect(password.length).toBeGreaterThan(8);
    expect(JSON.stringify(result)).not.toContain(password);
    expect(fx.logs.join('')).not.toContain(password);
  });

  it('is not retried by jsforce when Salesforce answers 503', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    fx.sf.faults.failNext({ status: 503, errorCode: 'SERVER_UNAVAILABLE', message: 'maintenance', match: /password$/ });
    await expect(fx.actions.resetPassword(s.userId)).rejects.toMatchObject({ errorCode: 'SERVER_UNAVAILABLE' });
    expect(fx.calls().filter((c) => c.path.endsWith('/password'))).toHaveLength(1);
    expect(fx.sf.passwordResets).toEqual([]);
  });
});

describe('revokeGrants', () => {
  it('revokes every grant at the OAuth endpoint with its DeleteToken, results by app', async () => {
    const s = quietUser({ now: NOW });
    const tokens = addGrants(s.org, s.userId, ['Salesforce for iOS', 'Data Loader']);
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const meter = new ApiMeter();
    const results = await fx.actions.metered(meter).revokeGrants(s.userId);
    expect(results).toEqual([
      { appName: 'Data Loader', result: 'revoked' },
      { appName: 'Salesforce for iOS', result: 'revoked' },
    ]);
    expect(s.org.byReference('OauthToken', 'UserId', s.userId)).toEqual([]);
    const revokes = fx.sf.requests.filter((r) => r.path === '/services/oauth2/revoke');
    expect(revokes).toHaveLength(2);
    expect(revokes.every((r) => r.method === 'POST' && r.headers['content-type']?.startsWith('application/x-www-form-urlencoded'))).toBe(true);
    expect(revokes.map((r) => new URLSearchParams(r.body).get('token')).sort()).toEqual([...tokens].sort());
    expect(meter).toMatchObject({ rest: 1, oauth: 2 });
    for (const t of tokens) expect(JSON.stringify(results) + fx.logs.join('')).not.toContain(t);
  });

  it('revokes only the named apps and says which had no grant', async () => {
    const s = quietUser({ now: NOW });
    addGrants(s.org, s.userId, ['Salesforce for iOS', 'Data Loader']);
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    const results = await fx.actions.revokeGrants(s.userId, ['Data Loader', 'Workbench']);
    expect(results).toEqual([
      { appName: 'Data Loader', result: 'revoked' },
      { appName: 'Workbench', result: 'not_found' },
    ]);
    expect(s.org.byReference('OauthToken', 'UserId', s.userId).map((r) => r.AppName)).toEqual(['Salesforce for iOS']);
  });

  it('reports a refused revocation without the token in the message', async () => {
    const s = quietUser({ now: NOW });
    const [token] = addGrants(s.org, s.userId, ['Data Loader']);
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    fx.sf.faults.failNext({ status: 400, errorCode: 'invalid_token', message: `bad token ${token}`, match: /oauth2\/revoke/ });
    const [result] = await fx.actions.revokeGrants(s.userId);
    expect(result).toMatchObject({ appName: 'Data Loader', result: 'failed', code: 'invalid_token' });
    expect(JSON.stringify(result)).not.toContain(token);
  });
});

describe('deactivate, remaining state and snapshot', () => {
  it('deactivates with one PATCH and reads the state back in one Composite call', async () => {
    const s = compromisedUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    expect(await fx.actions.deactivate(s.userId)).toEqual({ result: 'deactivated' });
    expect(s.org.get(s.userId)?.IsActive).toBe(false);
    expect(fx.calls().map((c) => c.method)).toEqual(['PATCH']);

    fx.sf.resetRequests();
    const snap = await fx.actions.snapshot(s.userId, { sessions: true, grants: true, frozen: true, active: true });
    expect(fx.calls()).toHaveLength(1);
    expect(snap.sessions?.map((x) => x.id).sort()).toEqual([...s.sessionIds].sort());
    expect(snap).toMatchObject({ grants: ['Salesforce for iOS'], isFrozen: false, isActive: false });
    expect(await fx.actions.remainingGrants(s.userId)).toEqual(['Salesforce for iOS']);
  });

  it('rejects a malformed user id before calling Salesforce', async () => {
    const s = quietUser({ now: NOW });
    fx = await sfFixture(s.org, { botUserId: s.botUserId });
    await expect(fx.actions.deactivate("005' OR 1=1")).rejects.toMatchObject({ errorCode: 'MALFORMED_ID' });
    expect(fx.calls()).toEqual([]);
  });
});
