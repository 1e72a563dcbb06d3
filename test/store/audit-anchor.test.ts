// The audit chain anchored outside the database: HMACs under AUDIT_HMAC_KEY, and a head stated
// elsewhere (a request's final Slack message). A database writer can recompute SHA-256 hashes
// and empty tables; neither anchor can be forged that way.
import { sql, type Kysely } from 'kysely';
import { ConfigError, loadConfig } from '../../src/config';
import { AuditAnchor } from '../../src/store/audit-anchor';
import { auditHash, AuditStore, GENESIS_HASH, type ChainHead, type ChainReport } from '../../src/store/audit-store';
import { findStoreError } from '../../src/store/errors';
import type { Tables } from '../../src/store/schema';
import { DIALECTS, useDatabase } from '../support/databases';

const KEY = 'k'.repeat(16) + '0123456789abcdef'; // 32 characters
const OTHER_KEY = 'x'.repeat(40);
const T0 = new Date('2026-03-01T10:00:00.000Z');
const seconds = (n: number) => new Date(T0.getTime() + n * 1000);

function reasonOf(report: ChainReport): string {
  return report.ok ? '' : report.reason;
}

/**
 * What someone with database write access but without the key can do: change entry `from`,
 * then recompute every SHA-256 hash after it and move the head, so the plain chain verifies.
 */
async function rewriteFrom(db: Kysely<Tables>, from: number, macs: 'keep' | 'clear'): Promise<void> {
  const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', from).orderBy('seq').execute();
  const before = await db
    .selectFrom('audit_log')
    .select('hash')
    .where('seq', '=', from - 1)
    .executeTakeFirst();
  let prevHash = before?.hash ?? GENESIS_HASH;
  for (const row of rows) {
    const actor = row.seq === from ? 'U0MALLORY' : row.actor;
    const hash = auditHash({
      seq: row.seq,
      at: row.at,
      requestId: row.request_id,
      targetUserId: row.target_user_id,
      actor,
      event: row.event,
      detail: JSON.parse(row.detail) as unknown,
      prevHash,
    });
    await db
      .updateTable('audit_log')
      .set({ actor, prev_hash: prevHash, hash, ...(macs === 'clear' ? { mac: null } : {}) })
      .where('seq', '=', row.seq)
      .execute();
    prevHash = hash;
  }
  await db
    .updateTable('audit_head')
    .set({ hash: prevHash, ...(macs === 'clear' ? { mac: null } : {}) })
    .where('id', '=', 1)
    .execute();
}

describe('AuditAnchor', () => {
  it('refuses keys shorter than 32 characters, without echoing the key', () => {
    expect(() => new AuditAnchor('short-secret')).toThrow(/^AUDIT_HMAC_KEY must be at least 32 characters/);
    expect(() => new AuditAnchor('short-secret')).not.toThrow(/short-secret/);
    expect(() => new AuditStore({} as never, { hmacKey: 'short-secret' })).toThrow(/at least 32/);
  });

  it('gives entry and head different MACs for the same hash, so one cannot stand in for the other', () => {
    const anchor = new AuditAnchor(KEY);
    const hash = 'a'.repeat(64);
    expect(anchor.entryMac(hash)).toMatch(/^[0-9a-f]{64}$/);
    expect(anchor.entryMac(hash)).not.toBe(anchor.headMac(1, hash));
    expect(anchor.headMac(1, hash)).not.toBe(anchor.headMac(2, hash));
    expect(anchor.entryMacMatches(hash, anchor.entryMac(hash))).toBe(true);
    expect(new AuditAnchor(OTHER_KEY).entryMacMatches(hash, anchor.entryMac(hash))).toBe(false);
  });
});

describe.each(DIALECTS)('anchored audit chain on %s', (dialect) => {
  const database = useDatabase(dialect);
  const db = () => database().db;
  let keyed: AuditStore;
  let unkeyed: AuditStore;
  beforeEach(async () => {
    // The shared helper resets seq and hash; the head MAC is ours to clear.
    await sql`update audit_head set mac = null where id = 1`.execute(db());
    keyed = new AuditStore(database(), { hmacKey: KEY });
    unkeyed = new AuditStore(database());
  });
  const appendN = async (store: AuditStore, n: number) => {
    for (let i = 0; i < n; i++) await store.append({ requestId: 'RABCDEFGHIJ', actor: 'U0ACTOR', event: 'step', detail: { i } }, seconds(i));
  };

  it('keyed appends carry MACs and verify as anchored; the same chain without the key is not anchored', async () => {
    await appendN(keyed, 5);
    expect(keyed.keyed).toBe(true);
    expect(unkeyed.keyed).toBe(false);
    const rows = await db().selectFrom('audit_log').select(['hash', 'mac']).orderBy('seq').execute();
    const anchor = new AuditAnchor(KEY);
    for (const row of rows) expect(row.mac).toBe(anchor.entryMac(row.hash));
    expect(await keyed.verifyChain()).toEqual({ ok: true, checked: 5, anchored: true, keyedFrom: 1 });
    // The SHA-256 chain stays publicly checkable; without the key nothing vouches for who wrote it.
    expect(await unkeyed.verifyChain()).toEqual({ ok: true, checked: 5, anchored: false, keyedFrom: 1 });
  });

  it('a rewrite from a point on with recomputed hashes passes the plain chain but fails with the key', async () => {
    await appendN(keyed, 6);
    await rewriteFrom(db(), 3, 'keep');
    expect(await unkeyed.verifyChain()).toMatchObject({ ok: true, checked: 6, anchored: false });
    const verdict = await keyed.verifyChain();
    expect(verdict).toMatchObject({ ok: false, checked: 2, brokenAt: 3, anchored: false });
    expect(reasonOf(verdict)).toBe('entry 3 has an HMAC that does not match: it was written or rewritten without the audit key');
  });

  it('clearing the MACs from the rewritten part does not help', async () => {
    await appendN(keyed, 6);
    await rewriteFrom(db(), 4, 'clear');
    const verdict = await keyed.verifyChain();
    expect(verdict).toMatchObject({ ok: false, checked: 3, brokenAt: 4 });
    expect(reasonOf(verdict)).toBe('entry 4 carries no HMAC although entries from 1 on do: it was written or rewritten without the audit key');
  });

  it('a key-less rewrite from entry 1 only looks like an unkeyed chain, and the stated head still catches it', async () => {
    await appendN(keyed, 4);
    const stated = await keyed.head();
    await rewriteFrom(db(), 1, 'clear');
    expect(await keyed.verifyChain()).toEqual({ ok: true, checked: 4, anchored: false, keyedFrom: null });
    const verdict = await keyed.verifyChain({ expect: stated });
    expect(verdict).toMatchObject({ ok: false, brokenAt: 4, checked: 3 });
    expect(reasonOf(verdict)).toBe(`entry 4 is not the one stated (hash ${stated.hash.slice(0, 12)}…): the chain was rewritten`);
  });

  it('cutting the newest entries and moving the head back fails on the head MAC, and keyed appends refuse to build on it', async () => {
    await appendN(keyed, 6);
    const row4 = await db().selectFrom('audit_log').select(['hash', 'mac']).where('seq', '=', 4).executeTakeFirstOrThrow();
    await db().deleteFrom('audit_log').where('seq', '>', 4).execute();
    // The best a key-less writer can do: point the head at entry 4, borrowing that entry's MAC.
    await db().updateTable('audit_head').set({ seq: 4, hash: row4.hash, mac: row4.mac }).where('id', '=', 1).execute();
    expect(await unkeyed.verifyChain()).toMatchObject({ ok: true, checked: 4 });
    const verdict = await keyed.verifyChain();
    expect(verdict).toMatchObject({ ok: false, checked: 4, brokenAt: 5 });
    expect(reasonOf(verdict)).toBe(
      'the chain head (entry 4) has an HMAC that does not match: it was moved without the audit key, newer entries may have been removed',
    );

    let refused: unknown;
    await keyed.append({ actor: 'system', event: 'step' }, T0).catch((err: unknown) => (refused = err));
    expect(findStoreError(refused)?.kind).toBe('audit-chain');
    expect((refused as Error).message).toBe(
      'the audit chain head (entry 4) has an HMAC that does not match: it was moved by someone without AUDIT_HMAC_KEY, so nothing was appended; run npm run audit:verify',
    );
    expect((await keyed.head()).seq).toBe(4); // rolled back

    // Same cut with the head MAC removed instead.
    await db().updateTable('audit_head').set({ mac: null }).where('id', '=', 1).execute();
    expect(reasonOf(await keyed.verifyChain())).toBe(
      'the chain head (entry 4) carries no HMAC although entries from 1 on do: it was moved without the audit key',
    );
    await expect(keyed.append({ actor: 'system', event: 'step' }, T0)).rejects.toThrow(/carries no HMAC although its entry does/);
  });

  it('a chain written before the key was set is extended, then anchored from the first keyed entry', async () => {
    await appendN(unkeyed, 3);
    expect(await keyed.verifyChain()).toEqual({ ok: true, checked: 3, anchored: false, keyedFrom: null });
    await appendN(keyed, 2);
    expect(await keyed.verifyChain()).toEqual({ ok: true, checked: 5, anchored: true, keyedFrom: 4 });
    // A bot without the key writing after that breaks the keyed chain: replicas must share the key.
    await appendN(unkeyed, 1);
    expect(reasonOf(await keyed.verifyChain())).toMatch(/^entry 6 carries no HMAC although entries from 4 on do/);
  });

  it('a different key does not verify', async () => {
    await appendN(keyed, 2);
    const verdict = await new AuditStore(database(), { hmacKey: OTHER_KEY }).verifyChain();
    expect(verdict).toMatchObject({ ok: false, brokenAt: 1, checked: 0 });
  });
});

describe.each(DIALECTS)('verifying against a stated head on %s', (dialect) => {
  const database = useDatabase(dialect);
  let audit: AuditStore;
  beforeEach(async () => {
    await sql`update audit_head set mac = null where id = 1`.execute(database().db);
    audit = new AuditStore(database());
  });
  const appendN = async (n: number) => {
    for (let i = 0; i < n; i++) await audit.append({ actor: 'system', event: 'step', detail: { i } }, seconds(i));
  };

  it('head() states the newest entry; the chain verifies against it, and against it after growing', async () => {
    expect(await audit.head()).toEqual({ seq: 0, hash: GENESIS_HASH });
    await appendN(3);
    const stated: ChainHead = await audit.head();
    expect(stated.seq).toBe(3);
    expect(stated.hash).toBe((await database().db.selectFrom('audit_log').select('hash').where('seq', '=', 3).executeTakeFirstOrThrow()).hash);
    expect(await audit.verifyChain({ expect: stated })).toEqual({ ok: true, checked: 3, anchored: false, keyedFrom: null });
    await appendN(2);
    expect(await audit.verifyChain({ expect: stated })).toMatchObject({ ok: true, checked: 5 });
  });

  it('a chain truncated with its head moved back verifies on its own but not against the stated head', async () => {
    await appendN(5);
    const stated = await audit.head();
    const { db } = database();
    const row3 = await db.selectFrom('audit_log').select('hash').where('seq', '=', 3).executeTakeFirstOrThrow();
    await db.deleteFrom('audit_log').where('seq', '>', 3).execute();
    await db.updateTable('audit_head').set({ seq: 3, hash: row3.hash }).where('id', '=', 1).execute();
    expect(await audit.verifyChain()).toMatchObject({ ok: true, checked: 3 });
    const verdict = await audit.verifyChain({ expect: stated });
    expect(verdict).toMatchObject({ ok: false, checked: 3, brokenAt: 4 });
    expect(reasonOf(verdict)).toBe(
      `the chain has 3 entries but entry 5 (hash ${stated.hash.slice(0, 12)}…) was stated: entries were removed or the database was emptied or replaced`,
    );
  });

  it('an emptied chain (rows deleted, head reset) fails against the stated head', async () => {
    await appendN(2);
    const stated = await audit.head();
    await sql`delete from audit_log`.execute(database().db);
    await sql`update audit_head set seq = 0, hash = ${GENESIS_HASH} where id = 1`.execute(database().db);
    expect(await audit.verifyChain()).toMatchObject({ ok: true, checked: 0 });
    expect(await audit.verifyChain({ expect: stated })).toMatchObject({ ok: false, checked: 0, brokenAt: 1 });
  });

  it('rows emptied while the head row still remembers them fail even without a stated head', async () => {
    await appendN(2);
    await sql`delete from audit_log`.execute(database().db);
    const verdict = await audit.verifyChain();
    expect(verdict).toMatchObject({ ok: false, checked: 0, brokenAt: 1 });
    expect(reasonOf(verdict)).toBe('chain ends at entry 0 but 2 entries were written');
  });
});

describe('AUDIT_HMAC_KEY in the configuration', () => {
  const env = {
    SLACK_BOT_TOKEN: 'xoxb-1-test',
    SLACK_SIGNING_SECRET: 'secret',
    SF_INSTANCE_URL: 'https://acme.my.salesforce.com',
    SF_ACCESS_TOKEN: 'token',
    SECURITY_CHANNEL: 'C0SECURITY',
    ADMINS: 'U0ADMIN1',
  };

  it('is optional, read when set, and refused when shorter than 32 characters without echoing it', () => {
    expect(loadConfig(env).auditHmacKey).toBeNull();
    expect(loadConfig({ ...env, AUDIT_HMAC_KEY: ` ${KEY} ` }).auditHmacKey).toBe(KEY);
    let problems: string[] = [];
    try {
      loadConfig({ ...env, AUDIT_HMAC_KEY: 'too-short-secret' });
    } catch (err) {
      if (err instanceof ConfigError) problems = err.problems;
    }
    expect(problems).toEqual(['AUDIT_HMAC_KEY must be at least 32 characters (got 16); make one with: openssl rand -hex 32']);
  });
});
