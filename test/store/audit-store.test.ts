import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { AuditStore, canonicalJson, GENESIS_HASH, type ChainVerification } from '../../src/store/audit-store';
import { DIALECTS, useDatabase } from '../support/databases';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

describe('canonicalJson', () => {
  it('sorts keys at every level and keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('follows JSON.stringify for undefined, Dates and non-finite numbers', () => {
    expect(canonicalJson({ u: undefined, d: new Date('2026-01-02T03:04:05.000Z'), n: NaN, arr: [undefined, 1] })).toBe(
      '{"arr":[null,1],"d":"2026-01-02T03:04:05.000Z","n":null}',
    );
    expect(canonicalJson(undefined)).toBe('null');
    expect(canonicalJson('a"b')).toBe('"a\\"b"');
  });

  it('gives the same text for equal objects built in a different order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
  });
});

function expectBroken(v: ChainVerification, expected: { ok: false; checked: number; brokenAt: number }, reason: RegExp): void {
  expect(v).toMatchObject(expected);
  expect(v.ok ? '' : v.reason).toMatch(reason);
}

describe.each(DIALECTS)('AuditStore on %s', (dialect) => {
  const database = useDatabase(dialect);
  let audit: AuditStore;
  beforeEach(() => {
    audit = new AuditStore(database());
  });

  const appendN = async (n: number) => {
    for (let i = 1; i <= n; i++) {
      await audit.append({ requestId: `R${i % 2}`, targetUserId: '005A', actor: 'U0ACTOR', event: 'step', detail: { i } }, seconds(i));
    }
  };

  it('starts the chain at seq 1 from 64 zeros, with the documented hash', async () => {
    const e = await audit.append({ requestId: 'RABCDEFGHIJ', targetUserId: '005A', actor: 'U0REQ', event: 'requested', detail: { z: 1, a: [true, null] } }, T0);
    expect(e).toMatchObject({ seq: 1, at: T0, requestId: 'RABCDEFGHIJ', targetUserId: '005A', actor: 'U0REQ', event: 'requested', prevHash: GENESIS_HASH });
    const expectedInput =
      '{"actor":"U0REQ","at":"2026-03-01T10:00:00.000Z","detail":{"a":[true,null],"z":1},"event":"requested",' +
      `"prevHash":"${GENESIS_HASH}","requestId":"RABCDEFGHIJ","seq":1,"targetUserId":"005A"}`;
    expect(e.hash).toBe(createHash('sha256').update(expectedInput).digest('hex'));
    expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('links each entry to the previous hash and verifies', async () => {
    const a = await audit.append({ actor: 'system', event: 'expired' }, T0);
    const b = await audit.append({ actor: 'system', event: 'expired', detail: { why: 'timeout' } }, seconds(1));
    expect(a).toMatchObject({ seq: 1, requestId: null, targetUserId: null, detail: null });
    expect(b.seq).toBe(2);
    expect(b.prevHash).toBe(a.hash);
    expect(await audit.verifyChain()).toEqual({ ok: true, checked: 2, anchored: false, keyedFrom: null });
  });

  it('verifies an empty chain', async () => {
    expect(await audit.verifyChain()).toEqual({ ok: true, checked: 0, anchored: false, keyedFrom: null });
  });

  it('lists by request in order and by target newest first', async () => {
    await audit.append({ requestId: 'R1', targetUserId: '005A', actor: 'U1', event: 'requested', detail: { k: 'remove_all' } }, seconds(1));
    await audit.append({ requestId: 'R2', targetUserId: '005B', actor: 'U2', event: 'requested' }, seconds(2));
    await audit.append({ requestId: 'R1', targetUserId: '005A', actor: 'U3', event: 'approved' }, seconds(3));
    await audit.append({ targetUserId: '005A', actor: 'system', event: 'alert' }, seconds(4));
    const forR1 = await audit.listForRequest('R1');
    expect(forR1.map((e) => [e.seq, e.event, e.actor])).toEqual([
      [1, 'requested', 'U1'],
      [3, 'approved', 'U3'],
    ]);
    expect(forR1[0]?.detail).toEqual({ k: 'remove_all' });
    expect(forR1[0]?.at).toEqual(seconds(1));
    expect((await audit.listForTarget('005A', 2)).map((e) => e.seq)).toEqual([4, 3]);
    expect((await audit.listForTarget('005B', 10)).map((e) => e.seq)).toEqual([2]);
  });

  it('keeps one unforked chain under 50 concurrent appends', async () => {
    const entries = await Promise.all(
      Array.from({ length: 50 }, (_, i) => audit.append({ requestId: `R${i}`, actor: `U${i}`, event: 'step', detail: { i } }, seconds(i))),
    );
    expect(entries.map((e) => e.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(new Set(entries.map((e) => e.prevHash)).size).toBe(50);
    expect(await audit.verifyChain()).toEqual({ ok: true, checked: 50, anchored: false, keyedFrom: null });
  });

  describe('tamper detection', () => {
    it('detects a changed detail', async () => {
      await appendN(6);
      await sql`update audit_log set detail = ${'{"i":999}'} where seq = ${4}`.execute(database().db);
      expectBroken(await audit.verifyChain(), { ok: false, checked: 3, brokenAt: 4 }, /hash/);
    });

    it('detects a changed actor even when the row hash is recomputed by the tamperer', async () => {
      await appendN(6);
      const { db } = database();
      const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', 3).executeTakeFirstOrThrow();
      const forged = createHash('sha256')
        .update(
          canonicalJson({
            seq: 3,
            at: row.at,
            requestId: row.request_id,
            targetUserId: row.target_user_id,
            actor: 'U0EVIL',
            event: row.event,
            detail: JSON.parse(row.detail) as unknown,
            prevHash: row.prev_hash,
          }),
        )
        .digest('hex');
      await sql`update audit_log set actor = 'U0EVIL', hash = ${forged} where seq = 3`.execute(db);
      // Row 3 is self-consistent now, but row 4 still points at the old hash.
      expectBroken(await audit.verifyChain(), { ok: false, checked: 3, brokenAt: 4 }, /link/);
    });

    it('detects a deleted middle row', async () => {
      await appendN(6);
      await sql`delete from audit_log where seq = 3`.execute(database().db);
      expectBroken(await audit.verifyChain(), { ok: false, checked: 2, brokenAt: 3 }, /missing/);
    });

    it('detects reordered rows', async () => {
      await appendN(6);
      const { db } = database();
      // Swap the sequence numbers of entries 2 and 5 (via a free number, the primary key is unique).
      await sql`update audit_log set seq = 1000 where seq = 2`.execute(db);
      await sql`update audit_log set seq = 2 where seq = 5`.execute(db);
      await sql`update audit_log set seq = 5 where seq = 1000`.execute(db);
      expect(await audit.verifyChain()).toMatchObject({ ok: false, checked: 1, brokenAt: 2 });
    });

    it('detects removal of the newest rows', async () => {
      await appendN(6);
      await sql`delete from audit_log where seq >= 5`.execute(database().db);
      expect(await audit.verifyChain()).toMatchObject({ ok: false, checked: 4, brokenAt: 5 });
    });

    it('stays valid after tampering is absent and more entries follow', async () => {
      await appendN(3);
      expect(await audit.verifyChain()).toEqual({ ok: true, checked: 3, anchored: false, keyedFrom: null });
      await appendN(2);
      expect(await audit.verifyChain()).toEqual({ ok: true, checked: 5, anchored: false, keyedFrom: null });
    });
  });

  it('verifies across page boundaries', async () => {
    const paged = new AuditStore(database(), { verifyPageSize: 4 });
    await appendN(11);
    expect(await paged.verifyChain()).toEqual({ ok: true, checked: 11, anchored: false, keyedFrom: null });
    await sql`update audit_log set event = 'denied' where seq = 9`.execute(database().db);
    expect(await paged.verifyChain()).toMatchObject({ ok: false, checked: 8, brokenAt: 9 });
    await sql`delete from audit_log where seq = 5`.execute(database().db);
    expect(await paged.verifyChain()).toMatchObject({ ok: false, checked: 4, brokenAt: 5 });
  });
});
