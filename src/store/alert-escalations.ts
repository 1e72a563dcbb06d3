import { fromIsoOrNull, toIso } from './codec';
import type { Database } from './database';

export interface AlertEscalation {
  at: Date;
  /** A sentence; may name Slack users as <@U…>. */
  reason: string;
}

/**
 * An alert's escalation, kept on its row (migration 0005) apart from the finding: a later poll
 * that edits the finding must not undo it. Set once: the first reason (a "not me" or a timeout)
 * stays, a second escalation of the same alert changes nothing.
 */
export class AlertEscalations {
  constructor(private readonly database: Database) {}

  /** True when this call escalated it; false when it already was (or the alert is unknown). */
  async escalate(alertKey: string, reason: string, at: Date): Promise<boolean> {
    const res = await this.database.db
      .updateTable('alerts')
      .set({ escalated_at: toIso(at), escalation: reason })
      .where('key', '=', alertKey)
      .where('escalated_at', 'is', null)
      .executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  async get(alertKey: string): Promise<AlertEscalation | null> {
    const row = await this.database.db.selectFrom('alerts').select(['escalated_at', 'escalation']).where('key', '=', alertKey).executeTakeFirst();
    const at = fromIsoOrNull(row?.escalated_at ?? null);
    return at && row?.escalation ? { at, reason: row.escalation } : null;
  }
}
