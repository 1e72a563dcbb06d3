import type { Kysely, Migration } from 'kysely';

/**
 * Room for the audit anchor (AUDIT_HMAC_KEY): an HMAC per entry and one over the chain head.
 * Nullable: entries written before the key was set, or by a bot without it, carry none.
 */
export const auditAnchor: Migration = {
  // Kysely<any>: migrations stay independent of the evolving Tables type (see 0001-initial).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    await db.schema.alterTable('audit_log').addColumn('mac', 'text').execute();
    await db.schema.alterTable('audit_head').addColumn('mac', 'text').execute();
  },
};
