import { createHash } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Logger } from '../logger';
import { AuditAnchor } from './audit-anchor';
import type { AuditWitness } from './audit-witness';
import { canonicalJson } from './canonical-json';
import { fromIso, toIso } from './codec';
import type { Database } from './database';
import { StoreError } from './errors';
import { GENESIS_HASH } from './migrations/0001-initial';
import type { AuditLogTable, Tables } from './schema';

export { canonicalJson } from './canonical-json';
export { GENESIS_HASH } from './migrations/0001-initial';

/** Known events; others are allowed so new features need no store change. */
export type AuditEvent = 'requested' | 'approved' | 'denied' | 'expired' | 'executing' | 'step' | 'done' | 'failed' | 'verified' | (string & {});

export interface AuditInput {
  requestId?: string | null;
  targetUserId?: string | null;
  /** Slack user id, or 'system' for the bot's own timers. */
  actor: string;
  event: AuditEvent;
  detail?: unknown;
}

export interface AuditEntry {
  seq: number;
  at: Date;
  requestId: string | null;
  targetUserId: string | null;
  actor: string;
  event: string;
  detail: unknown;
  prevHash: string;
  hash: string;
}

export type ChainVerification = { ok: true; checked: number } | { ok: false; checked: number; brokenAt: number; reason: string };

/** The newest entry: what a request's final Slack message states, so the chain can be checked against it later. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export interface ChainAnchoring {
  /**
   * True only when verified with AUDIT_HMAC_KEY and the chain head's HMAC matched: a database
   * writer without the key could not have rewritten, cut or emptied what was checked since the
   * key was first used. False for every failed verification.
   */
  anchored: boolean;
  /** The first entry that carries an HMAC (those before it predate the key), or null when none does. */
  keyedFrom: number | null;
}

/** What verifyChain() reports: the verdict plus whether it is anchored by the key. */
export type ChainReport = ChainVerification & ChainAnchoring;

export interface VerifyOptions {
  /** A head stated outside the database (e.g. in Slack): the chain must still contain this entry with this hash. */
  expect?: ChainHead;
}

export interface AuditStoreOptions {
  logger?: Logger;
  /** Rows read per query while verifying; bounds memory on long chains. */
  verifyPageSize?: number;
  /**
   * AUDIT_HMAC_KEY (at least 32 characters). Set: every entry and the chain head carry an HMAC,
   * and verification checks them. Unset: the chain is as before, and verification says so.
   */
  hmacKey?: string | null;
  /** The chain head remembered outside the database (a file beside the SQLite file); see AuditWitness. */
  witness?: AuditWitness | null;
}

/** What the hash covers: the entry without its own hash, with the time as stored (ISO text). */
type HashedFields = Omit<AuditEntry, 'hash' | 'at'> & { at: string };

export function auditHash(fields: HashedFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

const shortHash = (hash: string): string => `${hash.slice(0, 12)}…`;

/**
 * Append-only, hash-chained audit trail. Each entry's hash covers its content and the previous
 * entry's hash, so editing, deleting or reordering a stored row breaks verification from that
 * point on. Appends are serialized through the single audit_head row, so the chain never forks.
 *
 * A hash chain alone does not stop someone who can write to the database from recomputing every
 * hash after a change, or from emptying the tables. Two anchors outside the database close that:
 * the optional AUDIT_HMAC_KEY (HMACs only the key holder can compute), and a head stated
 * elsewhere (`head()`, checked with `verifyChain({ expect })`).
 */
export class AuditStore {
  private readonly logger: Logger | undefined;
  private readonly verifyPageSize: number;
  private readonly anchor: AuditAnchor | null;
  private readonly witness: AuditWitness | null;

  constructor(
    private readonly database: Database,
    options: AuditStoreOptions = {},
  ) {
    this.logger = options.logger;
    this.verifyPageSize = Math.max(1, options.verifyPageSize ?? 500);
    this.anchor = options.hmacKey ? new AuditAnchor(options.hmacKey) : null;
    this.witness = options.witness ?? null;
  }

  /**
   * Compares the chain with the head remembered outside the database (once, at start); the
   * sentence when the chain that was written is not there any more (the file was deleted or
   * replaced), else null.
   */
  async checkWitness(): Promise<string | null> {
    if (!this.witness) return null;
    return this.witness.check(await this.head(), async (seq) => {
      const row = await this.db.selectFrom('audit_log').select('hash').where('seq', '=', seq).executeTakeFirst();
      return row?.hash ?? null;
    });
  }

  /** Set when checkWitness() found the written chain gone: for /healthz. */
  get lostChain(): string | null {
    return this.witness?.problem ?? null;
  }

  /** Whether appends carry, and verification checks, HMACs under AUDIT_HMAC_KEY. */
  get keyed(): boolean {
    return this.anchor !== null;
  }

  private get db() {
    return this.database.db;
  }

  async append(input: AuditInput, now: Date): Promise<AuditEntry> {
    // Stored detail is the canonical text and the hash is taken over its parsed form, so
    // verification (which can only see the stored text) recomputes exactly the same bytes.
    const detailText = canonicalJson(input.detail ?? null);
    const detail = JSON.parse(detailText) as unknown;
    const at = toIso(now);
    const entry = await this.db.transaction().execute(async (trx) => {
      // Writing the head row first takes its row lock (PostgreSQL) or the database write lock
      // (SQLite) before anything is read, so a concurrent append waits here until we commit
      // and then reads our seq and hash: one head, no fork, no gaps.
      const head = await trx
        .updateTable('audit_head')
        .set((eb) => ({ seq: eb('seq', '+', 1) }))
        .where('id', '=', 1)
        .returning(['seq', 'hash', 'mac'])
        .executeTakeFirstOrThrow();
      if (this.anchor) await this.refuseMovedHead(trx, this.anchor, { seq: head.seq - 1, hash: head.hash, mac: head.mac });
      const fields: HashedFields = {
        seq: head.seq,
        at,
        requestId: input.requestId ?? null,
        targetUserId: input.targetUserId ?? null,
        actor: input.actor,
        event: input.event,
        detail,
        prevHash: head.hash,
      };
      const hash = auditHash(fields);
      await trx
        .insertInto('audit_log')
        .values({
          seq: fields.seq,
          at,
          request_id: fields.requestId,
          target_user_id: fields.targetUserId,
          actor: fields.actor,
          event: fields.event,
          detail: detailText,
          prev_hash: fields.prevHash,
          hash,
          mac: this.anchor ? this.anchor.entryMac(hash) : null,
        })
        .execute();
      await trx
        .updateTable('audit_head')
        .set({ hash, mac: this.anchor ? this.anchor.headMac(fields.seq, hash) : null })
        .where('id', '=', 1)
        .execute();
      return { ...fields, hash };
    });
    this.logger?.debug({ seq: entry.seq, event: entry.event, requestId: entry.requestId }, 'audit entry appended');
    this.witness?.record({ seq: entry.seq, hash: entry.hash });
    return { ...entry, at: fromIso(entry.at) };
  }

  /**
   * Appending on top of a head someone moved without the key would re-sign their change (the new
   * head's HMAC covers it), so a keyed store refuses instead. A head without an HMAC is accepted
   * only when its entry has none either: a chain written before the key was set.
   */
  private async refuseMovedHead(trx: Transaction<Tables>, anchor: AuditAnchor, head: ChainHead & { mac: string | null }): Promise<void> {
    const refuse = (why: string): never => {
      this.logger?.error({ seq: head.seq, why }, 'audit chain head was moved without the audit key; refusing to append');
      throw new StoreError(
        `the audit chain head (entry ${head.seq}) ${why}: it was moved by someone without AUDIT_HMAC_KEY, so nothing was appended; run npm run audit:verify`,
        { kind: 'audit-chain' },
      );
    };
    if (head.mac !== null) {
      if (!anchor.headMacMatches(head.seq, head.hash, head.mac)) refuse('has an HMAC that does not match');
      return;
    }
    if (head.seq === 0) return;
    const last = await trx.selectFrom('audit_log').select('mac').where('seq', '=', head.seq).executeTakeFirst();
    if (last?.mac) refuse('carries no HMAC although its entry does');
  }

  /** The newest entry's number and hash (seq 0 and 64 zeros before the first entry). */
  async head(): Promise<ChainHead> {
    return readHead(this.db);
  }

  async listForRequest(requestId: string): Promise<AuditEntry[]> {
    const rows = await this.db.selectFrom('audit_log').selectAll().where('request_id', '=', requestId).orderBy('seq').execute();
    return rows.map(toEntry);
  }

  /** Newest first. */
  async listForTarget(userId: string, limit: number): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_user_id', '=', userId)
      .orderBy('seq', 'desc')
      .limit(Math.max(0, Math.floor(limit)))
      .execute();
    return rows.map(toEntry);
  }

  /**
   * Walks the whole chain. `brokenAt` is the first sequence number that cannot be trusted (for a
   * deleted row, the missing number); `checked` counts the entries verified before it. With a key,
   * HMACs are checked too; with `expect`, the chain must contain that stated entry unchanged (the
   * chain may have grown since), which is what catches an emptied or replaced database.
   */
  async verifyChain(options: VerifyOptions = {}): Promise<ChainReport> {
    // Without a head stated by the caller, the one remembered beside the database file is the anchor.
    const expect = options.expect ?? this.witness?.atStart ?? undefined;
    const anchor = this.anchor;
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    let keyedFrom: number | null = null;
    const fail = (brokenAt: number, reason: string): ChainReport => {
      this.logger?.warn({ brokenAt, checked, reason }, 'audit chain verification failed');
      return { ok: false, checked, brokenAt, reason, anchored: false, keyedFrom };
    };
    // The head first, then the rows up to it: an append committed while the chain is read (a
    // request's finishing hooks, another replica) adds entries past it, and must not read as a
    // chain that "ends before its head". Rows and head are written in one transaction, so every
    // entry up to the head read here is already there.
    const head = await this.db.selectFrom('audit_head').select(['seq', 'hash', 'mac']).where('id', '=', 1).executeTakeFirst();
    if (!head) return fail(expectedSeq, 'audit chain head row is missing');
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', expectedSeq)
        .where('seq', '<=', head.seq)
        .orderBy('seq')
        .limit(this.verifyPageSize)
        .execute();
      for (const row of rows) {
        if (row.seq !== expectedSeq) return fail(expectedSeq, `entry ${expectedSeq} is missing (next stored entry is ${row.seq})`);
        if (row.prev_hash !== prevHash) return fail(row.seq, `entry ${row.seq} does not link to the previous entry's hash`);
        let detail: unknown;
        try {
          detail = JSON.parse(row.detail) as unknown;
        } catch {
          return fail(row.seq, `entry ${row.seq} detail is not valid JSON`);
        }
        const recomputed = auditHash({
          seq: row.seq,
          at: row.at,
          requestId: row.request_id,
          targetUserId: row.target_user_id,
          actor: row.actor,
          event: row.event,
          detail,
          prevHash: row.prev_hash,
        });
        if (recomputed !== row.hash) return fail(row.seq, `entry ${row.seq} content does not match its hash`);
        if (row.mac !== null) {
          keyedFrom ??= row.seq;
          if (anchor && !anchor.entryMacMatches(row.hash, row.mac)) {
            return fail(row.seq, `entry ${row.seq} has an HMAC that does not match: it was written or rewritten without the audit key`);
          }
        } else if (anchor && keyedFrom !== null) {
          return fail(row.seq, `entry ${row.seq} carries no HMAC although entries from ${keyedFrom} on do: it was written or rewritten without the audit key`);
        }
        if (expect && row.seq === expect.seq && row.hash !== expect.hash) {
          return fail(row.seq, `entry ${row.seq} is not the one stated (hash ${shortHash(expect.hash)}): the chain was rewritten`);
        }
        prevHash = row.hash;
        expectedSeq++;
        checked++;
      }
      if (rows.length < this.verifyPageSize) break;
    }
    // Removing the newest rows leaves a valid-looking prefix; the head row still remembers the end.
    if (head.seq !== checked) return fail(checked + 1, `chain ends at entry ${checked} but ${head.seq} entries were written`);
    if (head.hash !== prevHash) return fail(checked, `last entry ${checked} does not match the recorded chain head`);
    // An emptied or replaced database is a valid chain of its own; only a head stated elsewhere tells.
    if (expect && checked < expect.seq) {
      return fail(
        checked + 1,
        `the chain has ${checked} entries but entry ${expect.seq} (hash ${shortHash(expect.hash)}) was stated: entries were removed or the database was emptied or replaced`,
      );
    }
    let anchored = false;
    if (anchor && head.seq > 0) {
      if (head.mac !== null) {
        if (!anchor.headMacMatches(head.seq, head.hash, head.mac)) {
          return fail(
            checked + 1,
            `the chain head (entry ${head.seq}) has an HMAC that does not match: it was moved without the audit key, newer entries may have been removed`,
          );
        }
        anchored = true;
      } else if (keyedFrom !== null) {
        return fail(
          checked + 1,
          `the chain head (entry ${head.seq}) carries no HMAC although entries from ${keyedFrom} on do: it was moved without the audit key`,
        );
      }
    }
    return { ok: true, checked, anchored, keyedFrom };
  }
}

async function readHead(db: Kysely<Tables>): Promise<ChainHead> {
  const head = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
  if (!head) throw new StoreError('the database: the audit chain head row is missing', { kind: 'audit-chain' });
  return { seq: head.seq, hash: head.hash };
}

function toEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: row.seq,
    at: fromIso(row.at),
    requestId: row.request_id,
    targetUserId: row.target_user_id,
    actor: row.actor,
    event: row.event,
    detail: JSON.parse(row.detail) as unknown,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
