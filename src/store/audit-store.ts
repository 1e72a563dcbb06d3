import { createHash } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Logger } from '../logger';
import { canonicalJson } from './canonical-json';
import { fromIso, toIso } from './codec';
import type { Database } from './database';
import { GENESIS_HASH } from './migrations/0001-initial';
import type { AuditLogTable } from './schema';

export { canonicalJson } from './canonical-json';
export { GENESIS_HASH } from './migrations/0001-initial';

/** Known events; others are allowed so new features need no store change. */
export type AuditEvent =
  | 'requested' | 'approved' | 'denied' | 'expired' | 'executing' | 'step' | 'done' | 'failed' | 'verified'
  | (string & {});

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

export type ChainVerification =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAt: number; reason: string };

export interface AuditStoreOptions {
  logger?: Logger;
  /** Rows read per query while verifying; bounds memory on long chains. */
  verifyPageSize?: number;
}

/** What the hash covers: the entry without its own hash, with the time as stored (ISO text). */
type HashedFields = Omit<AuditEntry, 'hash' | 'at'> & { at: string };

export function auditHash(fields: HashedFields): string {
  return createHash('sha256').update(canonicalJson(fields)).digest('hex');
}

/**
 * Append-only, hash-chained audit trail. Each entry's hash covers its content and the previous
 * entry's hash, so editing, deleting or reordering a stored row breaks verification from that
 * point on. Appends are serialized through the single audit_head row, so the chain never forks.
 */
export class AuditStore {
  private readonly logger: Logger | undefined;
  private readonly verifyPageSize: number;

  constructor(
    private readonly database: Database,
    options: AuditStoreOptions = {},
  ) {
    this.logger = options.logger;
    this.verifyPageSize = Math.max(1, options.verifyPageSize ?? 500);
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
        .returning(['seq', 'hash'])
        .executeTakeFirstOrThrow();
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
        })
        .execute();
      await trx.updateTable('audit_head').set({ hash }).where('id', '=', 1).execute();
      return { ...fields, hash };
    });
    this.logger?.debug({ seq: entry.seq, event: entry.event, requestId: entry.requestId }, 'audit entry appended');
    return { ...entry, at: fromIso(entry.at) };
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
   * deleted row, the missing number); `checked` counts the entries verified before it.
   */
  async verifyChain(): Promise<ChainVerification> {
    let expectedSeq = 1;
    let prevHash = GENESIS_HASH;
    let checked = 0;
    const fail = (brokenAt: number, reason: string): ChainVerification => {
      this.logger?.warn({ brokenAt, checked, reason }, 'audit chain verification failed');
      return { ok: false, checked, brokenAt, reason };
    };
    for (;;) {
      const rows = await this.db
        .selectFrom('audit_log')
        .selectAll()
        .where('seq', '>=', expectedSeq)
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
        prevHash = row.hash;
        expectedSeq++;
        checked++;
      }
      if (rows.length < this.verifyPageSize) break;
    }
    // Removing the newest rows leaves a valid-looking prefix; the head row still remembers the end.
    const head = await this.db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
    if (!head) return fail(expectedSeq, 'audit chain head row is missing');
    if (head.seq !== checked) return fail(checked + 1, `chain ends at entry ${checked} but ${head.seq} entries were written`);
    if (head.hash !== prevHash) return fail(checked, `last entry ${checked} does not match the recorded chain head`);
    return { ok: true, checked };
  }
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
