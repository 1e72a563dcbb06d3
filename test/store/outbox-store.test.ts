import { sql } from 'kysely';
import { LEASE_EXPIRED, OutboxStore, type RequestOutboxKind } from '../../src/store/outbox-store';
import { DIALECTS, useDatabase } from '../support/databases';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe.each(DIALECTS)('OutboxStore on %s', (dialect) => {
  const database = useDatabase(dialect);
  let store: OutboxStore;
  beforeEach(async () => {
    await sql`delete from slack_outbox`.execute(database().db);
    store = new OutboxStore(database());
  });

  const add = (key: string, kind: RequestOutboxKind, payload: unknown = {}, now = T0) =>
    store.enqueue({ key, kind, requestId: key.replace('request:', ''), payload }, now);

  it('stores a row pending, due at once, with its payload as JSON', async () => {
    const row = await add('request:R1', 'reply', { text: 'step done', blocks: [{ type: 'section' }] });
    expect(row).toMatchObject({
      key: 'request:R1',
      kind: 'reply',
      requestId: 'R1',
      state: 'pending',
      attempts: 0,
      leaseOwner: null,
      lastError: null,
      doneAt: null,
    });
    expect(row.availableAt).toEqual(T0);
    expect((await store.listForRequest('R1'))[0]?.payload).toEqual({ text: 'step done', blocks: [{ type: 'section' }] });
    expect(await store.countPending()).toBe(1);
  });

  it('offers only the oldest pending row of each key, so a key is delivered in order', async () => {
    const a1 = await add('request:A', 'post');
    await add('request:A', 'reply');
    const b1 = await add('request:B', 'post');
    expect((await store.listClaimable(T0, 10)).map((r) => r.id)).toEqual([a1.id, b1.id]);

    const claimed = await store.claim(a1.id, 'one', at(60_000), T0);
    expect(claimed).not.toBeNull();
    // While A's head is being delivered, nothing behind it is offered.
    expect((await store.listClaimable(T0, 10)).map((r) => r.id)).toEqual([b1.id]);
    expect(await store.markSent(a1.id, 'one', T0)).toBe(true);
    const next = await store.listClaimable(T0, 10);
    expect(next.map((r) => [r.key, r.kind])).toEqual([
      ['request:A', 'reply'],
      ['request:B', 'post'],
    ]);
  });

  it('lets exactly one of many concurrent claimers take a row', async () => {
    const row = await add('request:C', 'post');
    const owners = Array.from({ length: 20 }, (_, i) => `replica-${i}`);
    const results = await Promise.all(owners.map((o) => store.claim(row.id, o, at(60_000), T0)));
    const winners = results.filter((r) => r !== null);
    expect(winners).toHaveLength(1);
    // Only the winner may finish it.
    const loser = owners.find((o) => o !== winners[0]?.leaseOwner) ?? '';
    expect(await store.markSent(row.id, loser, T0)).toBe(false);
    expect(await store.markSent(row.id, winners[0]?.leaseOwner ?? '', T0)).toBe(true);
  });

  it('hands a row whose lease ran out (its replica crashed) to another replica', async () => {
    const row = await add('request:D', 'update');
    expect(await store.claim(row.id, 'crashed', at(30_000), T0)).not.toBeNull();
    expect(await store.listClaimable(at(10_000), 10)).toEqual([]);
    expect(await store.claim(row.id, 'survivor', at(90_000), at(10_000))).toBeNull();
    expect((await store.listClaimable(at(31_000), 10)).map((r) => r.id)).toEqual([row.id]);
    // Taken over: the crashed replica may have been mid-call, which the row now says.
    expect(await store.claim(row.id, 'survivor', at(91_000), at(31_000))).toMatchObject({
      leaseOwner: 'survivor',
      lastError: LEASE_EXPIRED,
      maybePerformed: true,
    });
    // The crashed replica's late write is refused.
    expect(await store.markSent(row.id, 'crashed', at(32_000))).toBe(false);
  });

  it("says an attempt may have been cut short when a dead owner's leases are released, and not on a first claim", async () => {
    const row = await add('request:D2', 'post');
    expect(await store.claim(row.id, 'dead', at(30_000), T0)).toMatchObject({ lastError: null, maybePerformed: false });
    expect(await store.releaseLeases('dead', at(1_000))).toBe(1);
    expect(await store.claim(row.id, 'heir', at(60_000), at(2_000))).toMatchObject({ leaseOwner: 'heir', lastError: LEASE_EXPIRED, maybePerformed: true });
  });

  it('reschedules a failed attempt: lease released, attempts counted, not offered before it is due', async () => {
    const row = await add('request:E', 'post');
    await store.claim(row.id, 'one', at(60_000), T0);
    expect(await store.reschedule(row.id, 'one', at(5_000), 'HTTP 500', at(100))).toBe(true);
    expect(await store.listClaimable(at(4_999), 10)).toEqual([]);
    const [due] = await store.listClaimable(at(5_000), 10);
    expect(due).toMatchObject({ id: row.id, attempts: 1, lastError: 'HTTP 500', leaseOwner: null, maybePerformed: false });
    expect(await store.nextWakeAt()).toEqual(at(5_000));
    // An attempt that got no answer is remembered as possibly performed, until an attempt that did get one.
    await store.claim(row.id, 'one', at(60_000), at(5_000));
    await store.reschedule(row.id, 'one', at(6_000), 'no answer from Slack: timeout', at(5_100), true);
    expect((await store.listClaimable(at(6_000), 10))[0]).toMatchObject({ attempts: 2, maybePerformed: true });
  });

  it('wakes at a live lease end rather than at an old due time', async () => {
    const row = await add('request:F', 'post');
    await store.claim(row.id, 'other', at(60_000), T0);
    expect(await store.nextWakeAt()).toEqual(at(60_000));
    await store.markDead(row.id, 'other', 'channel_not_found', at(1));
    expect(await store.nextWakeAt()).toBeNull();
    expect((await store.listForRequest('F'))[0]).toMatchObject({ state: 'dead', lastError: 'channel_not_found', attempts: 1 });
  });

  it('merges the updates queued behind a claimed update, across replies, but not the ones queued after', async () => {
    const u1 = await add('request:G', 'update');
    const u2 = await add('request:G', 'update');
    const reply = await add('request:G', 'reply');
    const u3 = await add('request:G', 'update');
    const other = await add('request:H', 'update');
    const claimed = await store.claim(u1.id, 'one', at(60_000), T0);
    if (!claimed) throw new Error('claim failed');
    expect(await store.mergeFollowingUpdates(claimed, T0)).toBe(2);
    const later = await add('request:G', 'update');
    const states = new Map((await store.listForRequest('G')).map((r) => [r.id, r.state]));
    expect([states.get(u2.id), states.get(reply.id), states.get(u3.id), states.get(later.id)]).toEqual(['merged', 'pending', 'merged', 'pending']);
    expect((await store.listForRequest('H'))[0]).toMatchObject({ id: other.id, state: 'pending' });
  });

  it('merges every trailing update when nothing else follows', async () => {
    const u1 = await add('request:I', 'update');
    await add('request:I', 'update');
    await add('request:I', 'update');
    const claimed = await store.claim(u1.id, 'one', at(60_000), T0);
    if (!claimed) throw new Error('claim failed');
    expect(await store.mergeFollowingUpdates(claimed, T0)).toBe(2);
    expect(await store.mergeFollowingUpdates(claimed, T0)).toBe(0);
  });

  it('knows whether a post is still waiting for a key', async () => {
    const post = await add('request:J', 'post');
    expect(await store.hasPending('request:J', 'post')).toBe(true);
    expect(await store.hasPending('request:J', 'update')).toBe(false);
    await store.claim(post.id, 'one', at(60_000), T0);
    expect(await store.hasPending('request:J', 'post')).toBe(true);
    await store.markSent(post.id, 'one', T0);
    expect(await store.hasPending('request:J', 'post')).toBe(false);
  });
  it('stores alert rows under their alert key and notice rows with their message, neither with a request', async () => {
    const alert = await store.enqueue({ key: 'alert:distant-places:005A', kind: 'alert_post', alertKey: 'distant-places:005A:0Ak1', payload: {} }, T0);
    const notice = await store.enqueue({ key: 'notice:api-budget', kind: 'notice', payload: { text: 'Polling paused', blocks: [] } }, T0);
    expect(alert).toMatchObject({ kind: 'alert_post', alertKey: 'distant-places:005A:0Ak1', priority: 0, state: 'pending' });
    expect(alert).not.toHaveProperty('requestId');
    expect(notice).toMatchObject({ kind: 'notice', priority: 1, payload: { text: 'Polling paused', blocks: [] } });
    expect(notice).not.toHaveProperty('alertKey');
    expect((await store.listForKey('alert:distant-places:005A')).map((r) => r.id)).toEqual([alert.id]);
    expect(await store.listForRequest('distant-places:005A:0Ak1')).toEqual([]);
  });

  it('offers notices after request and alert rows that are due, even older notices; requests and alerts by age', async () => {
    const n1 = await store.enqueue({ key: 'notice:budget', kind: 'notice', payload: {} }, T0);
    const r1 = await add('request:K', 'post');
    const a1 = await store.enqueue({ key: 'alert:g1', kind: 'alert_post', alertKey: 'g1:x', payload: {} }, T0);
    const n2 = await store.enqueue({ key: 'notice:other', kind: 'notice', payload: {} }, T0);
    const r2 = await add('request:L', 'update');
    expect((await store.listClaimable(T0, 10)).map((r) => r.id)).toEqual([r1.id, a1.id, r2.id, n1.id, n2.id]);
    expect((await store.listClaimable(T0, 2)).map((r) => r.id)).toEqual([r1.id, a1.id]);
  });

  it('offers only heads of the kinds asked for, never a row behind a head of another kind', async () => {
    const post = await add('request:M', 'post');
    await add('request:M', 'update');
    const update = await add('request:N', 'update');
    const alertUpdate = await store.enqueue({ key: 'alert:g2', kind: 'alert_update', alertKey: 'g2:x', payload: {} }, T0);
    expect((await store.listClaimable(T0, 10, ['update', 'alert_update', 'respond'])).map((r) => r.id)).toEqual([update.id, alertUpdate.id]);
    expect((await store.listClaimable(T0, 10, ['post', 'reply', 'alert_post', 'notice'])).map((r) => r.id)).toEqual([post.id]);
    expect(await store.listClaimable(T0, 10, [])).toEqual([]);
  });

  it('merges queued alert updates of the same alert only, and nothing behind a post', async () => {
    const alertUpdate = (alertKey: string) => store.enqueue({ key: 'alert:g3', kind: 'alert_update', alertKey, payload: {} }, T0);
    const u1 = await alertUpdate('g3:a');
    const u2 = await alertUpdate('g3:a');
    const other = await alertUpdate('g3:b');
    const u3 = await alertUpdate('g3:a');
    const claimed = await store.claim(u1.id, 'one', at(60_000), T0);
    if (!claimed) throw new Error('claim failed');
    expect(await store.mergeFollowingUpdates(claimed, T0)).toBe(2);
    const states = new Map((await store.listForKey('alert:g3')).map((r) => [r.id, r.state]));
    expect([states.get(u2.id), states.get(other.id), states.get(u3.id)]).toEqual(['merged', 'pending', 'merged']);

    const post = await store.enqueue({ key: 'alert:g4', kind: 'alert_post', alertKey: 'g4:a', payload: {} }, T0);
    await store.enqueue({ key: 'alert:g4', kind: 'alert_update', alertKey: 'g4:a', payload: {} }, T0);
    const claimedPost = await store.claim(post.id, 'one', at(60_000), T0);
    if (!claimedPost) throw new Error('claim failed');
    expect(await store.mergeFollowingUpdates(claimedPost, T0)).toBe(0);
  });
});
