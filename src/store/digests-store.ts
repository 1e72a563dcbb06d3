import { randomBytes } from 'node:crypto';
import type { Severity } from '../domain/types';
import { fromIso, toIso } from './codec';
import type { Database } from './database';

const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

/** The part of an alert a digest keeps: enough to count per rule and to page worst first. */
export interface DigestMemberInput {
  alertKey: string;
  rule: string;
  severity: Severity;
}

export interface DigestRecord {
  id: string;
  createdAt: Date;
  /** How many alerts the digest stands for. */
  total: number;
  channelId: string | null;
  messageTs: string | null;
}

export interface RuleCount {
  rule: string;
  /** The worst severity among the rule's alerts in the digest. */
  severity: Severity;
  count: number;
}

/** Rows per INSERT: far below SQLite's and PostgreSQL's bound-parameter limits at five columns a row. */
const INSERT_CHUNK = 500;

/**
 * 'G' + 16 hex characters from the CSPRNG. The id travels in the "Show the rest" button value, so
 * it must not be guessable: knowing one digest must not let anyone page through another.
 */
export function newDigestId(): string {
  return `G${randomBytes(8).toString('hex')}`;
}

/**
 * Alert digests in the database (tables of migration 0007). A digest is written in one
 * transaction with all its members, so a digest is never seen half-filled; members keep the
 * order they were given (the caller orders them worst first).
 */
export class DigestsStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async create(members: readonly DigestMemberInput[], now: Date): Promise<DigestRecord> {
    const id = newDigestId();
    const at = toIso(now);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('alert_digests').values({ id, created_at: at, total: members.length, channel_id: null, message_ts: null }).execute();
      for (let i = 0; i < members.length; i += INSERT_CHUNK) {
        const rows = members
          .slice(i, i + INSERT_CHUNK)
          .map((m, j) => ({ alert_key: m.alertKey, digest_id: id, position: i + j, rule: m.rule, severity: m.severity }));
        await trx.insertInto('alert_digest_members').values(rows).execute();
      }
    });
    return { id, createdAt: now, total: members.length, channelId: null, messageTs: null };
  }

  async get(id: string): Promise<DigestRecord | null> {
    const row = await this.db.selectFrom('alert_digests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { id: row.id, createdAt: fromIso(row.created_at), total: Number(row.total), channelId: row.channel_id, messageTs: row.message_ts } : null;
  }

  /** Records the digest's Slack message once Slack answered the post (a retried post is then skipped). */
  async setMessage(id: string, channelId: string, ts: string): Promise<boolean> {
    const res = await this.db.updateTable('alert_digests').set({ channel_id: channelId, message_ts: ts }).where('id', '=', id).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  /** True when the alert reached Slack inside a digest (it then has no message of its own). */
  async isDigested(alertKey: string): Promise<boolean> {
    const row = await this.db.selectFrom('alert_digest_members').select('digest_id').where('alert_key', '=', alertKey).executeTakeFirst();
    return row !== undefined;
  }

  /** Alerts per rule in the digest, most first (then by rule id, stable). */
  async countsByRule(id: string): Promise<RuleCount[]> {
    const rows = await this.db
      .selectFrom('alert_digest_members')
      .select(['rule', 'severity'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('digest_id', '=', id)
      .groupBy(['rule', 'severity'])
      .execute();
    const byRule = new Map<string, RuleCount>();
    for (const row of rows) {
      const severity = severityOf(row.severity);
      const held = byRule.get(row.rule);
      const count = Number(row.n);
      if (!held) byRule.set(row.rule, { rule: row.rule, severity, count });
      else byRule.set(row.rule, { rule: row.rule, severity: worse(held.severity, severity), count: held.count + count });
    }
    return [...byRule.values()].sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0));
  }

  /** The alert keys at positions [offset, offset + limit), worst first. */
  async keys(id: string, offset: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('alert_digest_members')
      .select('alert_key')
      .where('digest_id', '=', id)
      .orderBy('position')
      .limit(Math.max(1, Math.floor(limit)))
      .offset(Math.max(0, Math.floor(offset)))
      .execute();
    return rows.map((r) => r.alert_key);
  }
}

function severityOf(value: string): Severity {
  if ((SEVERITIES as readonly string[]).includes(value)) return value as Severity;
  throw new Error(`the database: an alert digest member has an unknown severity "${value}"`);
}

function worse(a: Severity, b: Severity): Severity {
  return SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;
}
