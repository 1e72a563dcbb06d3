import { fromIso, toIso } from './codec';
import type { Database } from './database';

export interface AlertRecord {
  key: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  channelId: string | null;
  messageTs: string | null;
}

/** De-duplicates monitor alerts across restarts and replicas: one Slack message per alert key. */
export class AlertsStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  /**
   * True only for the caller whose insert created the row (INSERT … ON CONFLICT DO NOTHING is
   * atomic on both databases). Later claimers get false and just refresh last_seen_at.
   */
  async claim(key: string, now: Date): Promise<boolean> {
    const at = toIso(now);
    const inserted = await this.db
      .insertInto('alerts')
      .values({ key, first_seen_at: at, last_seen_at: at, channel_id: null, message_ts: null })
      .onConflict((oc) => oc.column('key').doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) return true;
    await this.db.updateTable('alerts').set({ last_seen_at: at }).where('key', '=', key).where('last_seen_at', '<', at).execute();
    return false;
  }

  async setMessage(key: string, channelId: string, ts: string): Promise<boolean> {
    const res = await this.db.updateTable('alerts').set({ channel_id: channelId, message_ts: ts }).where('key', '=', key).executeTakeFirst();
    return res.numUpdatedRows > 0n;
  }

  async get(key: string): Promise<AlertRecord | null> {
    const row = await this.db.selectFrom('alerts').selectAll().where('key', '=', key).executeTakeFirst();
    if (!row) return null;
    return {
      key: row.key,
      firstSeenAt: fromIso(row.first_seen_at),
      lastSeenAt: fromIso(row.last_seen_at),
      channelId: row.channel_id,
      messageTs: row.message_ts,
    };
  }
}
