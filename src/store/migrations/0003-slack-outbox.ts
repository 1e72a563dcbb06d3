import { PostgresAdapter, type Kysely, type Migration } from 'kysely';

/**
 * The Slack outbox: every message the bot owes Slack (request messages, monitor alerts, channel
 * notices), written in the same database as the requests and alerts so deciding, executing and
 * alerting never wait on Slack, and a restart loses nothing.
 */
export const slackOutbox: Migration = {
  // Kysely<any>: a migration must keep working after the Tables type moves on (Kysely's documented convention).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async up(db: Kysely<any>): Promise<void> {
    // The id orders rows within a key. SQLite numbers an INTEGER PRIMARY KEY by itself; PostgreSQL needs a sequence.
    const idType = db.getExecutor().adapter instanceof PostgresAdapter ? 'serial' : 'integer';
    await db.schema
      .createTable('slack_outbox')
      .addColumn('id', idType, (c) => c.primaryKey())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      // Request rows name their request; alert rows name the alert (its finding key); notice rows carry their message.
      .addColumn('request_id', 'text')
      .addColumn('alert_key', 'text')
      // Which due keys go first when Slack's pace makes them wait: requests and alerts (0) before channel notices (1).
      .addColumn('priority', 'integer', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('available_at', 'text', (c) => c.notNull())
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('done_at', 'text')
      .execute();
    // The dispatcher looks for the oldest pending row of each key, and for the next due time.
    await db.schema.createIndex('slack_outbox_state_key_idx').on('slack_outbox').columns(['state', 'key', 'id']).execute();
    await db.schema.createIndex('slack_outbox_state_available_idx').on('slack_outbox').columns(['state', 'available_at']).execute();
    await db.schema.createIndex('slack_outbox_request_idx').on('slack_outbox').columns(['request_id', 'id']).execute();
  },
};
