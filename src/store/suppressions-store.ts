import type { Selectable } from 'kysely';
import { fromIso, fromIsoOrNull, toIso } from './codec';
import type { Database } from './database';
import { newRequestId } from './ids';
import type { SuppressionsTable } from './schema';

/**
 * What a suppression covers besides its rule and user: every finding ('user'), only findings whose
 * addresses all lie in one CIDR range ('network'), or only findings about one connected app or
 * integration session type ('app').
 */
export type SuppressionScope = { kind: 'user' } | { kind: 'network'; cidr: string } | { kind: 'app'; app: string };

export interface Suppression {
  /** 'S' + 10 base32 characters; travels in the Remove button's value. */
  id: string;
  rule: string;
  /** The Salesforce user it is about. */
  userId: string;
  scope: SuppressionScope;
  reason: string;
  /** Slack user id of the person who marked it expected. */
  createdBy: string;
  createdAt: Date;
  expiresAt: Date;
  removedAt: Date | null;
  removedBy: string | null;
  /** The alert (finding key) it was made from, when there was one. */
  alertKey: string | null;
  /** Findings the monitor kept out of Slack because of it. */
  suppressedCount: number;
}

export type NewSuppression = Omit<Suppression, 'id' | 'removedAt' | 'removedBy' | 'suppressedCount'>;

/** Same generator as request ids (unguessable: ids travel in button values), with its own letter. */
export function newSuppressionId(): string {
  return `S${newRequestId().slice(1)}`;
}

/**
 * Suppressions ("mark expected"). A suppression applies while it is not removed and its expiry is
 * after the instant asked about: expiry needs no job, every reader passes the bot's clock.
 */
export class SuppressionsStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async create(input: NewSuppression): Promise<Suppression> {
    const id = newSuppressionId();
    await this.db
      .insertInto('suppressions')
      .values({
        id,
        rule: input.rule,
        user_id: input.userId,
        scope_kind: input.scope.kind,
        scope_value: scopeValue(input.scope),
        reason: input.reason,
        created_by: input.createdBy,
        created_at: toIso(input.createdAt),
        expires_at: toIso(input.expiresAt),
        removed_at: null,
        removed_by: null,
        alert_key: input.alertKey,
      })
      .execute();
    return { ...input, id, removedAt: null, removedBy: null, suppressedCount: 0 };
  }

  async get(id: string): Promise<Suppression | null> {
    const row = await this.db.selectFrom('suppressions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSuppression(row) : null;
  }

  /** The suppressions that apply at `now` to any of these users. */
  async activeForUsers(userIds: readonly string[], now: Date): Promise<Suppression[]> {
    const unique = [...new Set(userIds)];
    const out: Suppression[] = [];
    for (let i = 0; i < unique.length; i += 5_000) {
      const rows = await this.db
        .selectFrom('suppressions')
        .selectAll()
        .where('user_id', 'in', unique.slice(i, i + 5_000))
        .where('removed_at', 'is', null)
        .where('expires_at', '>', toIso(now))
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      out.push(...rows.map(toSuppression));
    }
    return out;
  }

  /** Every suppression that applies at `now`, soonest to expire first, at most `limit`. */
  async listActive(now: Date, limit: number): Promise<Suppression[]> {
    const rows = await this.db
      .selectFrom('suppressions')
      .selectAll()
      .where('removed_at', 'is', null)
      .where('expires_at', '>', toIso(now))
      .orderBy('expires_at')
      .orderBy('id')
      .limit(Math.max(1, Math.floor(limit)))
      .execute();
    return rows.map(toSuppression);
  }

  /** Compare-and-set: true only for the caller that removed it (two clicks on Remove record one removal). */
  async remove(id: string, by: string, now: Date): Promise<boolean> {
    const res = await this.db
      .updateTable('suppressions')
      .set({ removed_at: toIso(now), removed_by: by })
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** One more finding kept out of Slack (an atomic increment: replicas never lose a count). */
  async countSuppressed(id: string): Promise<void> {
    await this.db
      .updateTable('suppressions')
      .set((eb) => ({ suppressed_count: eb('suppressed_count', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }
}

function scopeValue(scope: SuppressionScope): string {
  return scope.kind === 'network' ? scope.cidr : scope.kind === 'app' ? scope.app : '';
}

function scopeOf(row: Selectable<SuppressionsTable>): SuppressionScope {
  switch (row.scope_kind) {
    case 'user':
      return { kind: 'user' };
    case 'network':
      return { kind: 'network', cidr: row.scope_value };
    case 'app':
      return { kind: 'app', app: row.scope_value };
    default:
      throw new Error(`the database: suppression ${row.id} has an unknown scope "${row.scope_kind}"`);
  }
}

function toSuppression(row: Selectable<SuppressionsTable>): Suppression {
  return {
    id: row.id,
    rule: row.rule,
    userId: row.user_id,
    scope: scopeOf(row),
    reason: row.reason,
    createdBy: row.created_by,
    createdAt: fromIso(row.created_at),
    expiresAt: fromIso(row.expires_at),
    removedAt: fromIsoOrNull(row.removed_at),
    removedBy: row.removed_by,
    alertKey: row.alert_key,
    // PostgreSQL may hand integers back as strings through some drivers; Number() takes both.
    suppressedCount: Number(row.suppressed_count),
  };
}
