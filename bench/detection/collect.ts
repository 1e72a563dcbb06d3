import type { Database } from '../../src/store';
import type { AskRecord, ChannelAlert, PhaseRows } from './score';

/**
 * Reads, from the bot's database, what one phase queued for Slack: the outbox rows that put a new
 * message in the security channel (an alert's post, a digest and its members, notices, and any
 * kind this bench does not know yet, counted as a message of its own), and the "was this you?"
 * asks. Counted from what the bot stored, not from what Slack received: the benchmark's outbox
 * dispatcher is stopped, so every figure is what the bot decided to say.
 */

/** Kinds that edit or follow up a message already counted, or go to someone other than the channel. */
const NOT_NEW_CHANNEL_MESSAGES = new Set(['alert_update', 'alert_image', 'ask_post', 'ask_update', 'post', 'update', 'reply', 'respond']);
const USER_ID = /\b005[0-9A-Za-z]{15}\b/g;

export interface PhaseWindow {
  /** Outbox rows with a larger id belong to the phase. */
  afterOutboxId: number;
  /** Asks made at or after this (the bot's clock). */
  asksSince: Date;
}

export async function maxOutboxId(database: Database): Promise<number> {
  const row = await database.db
    .selectFrom('slack_outbox')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(row?.id ?? 0);
}

interface AlertRow {
  key: string;
  rule: string;
  user_id: string;
  finding: string;
}

export async function collectPhase(database: Database, window: PhaseWindow): Promise<PhaseRows> {
  const { db } = database;
  const rows = await db
    .selectFrom('slack_outbox')
    .select(['id', 'kind', 'alert_key', 'payload'])
    .where('id', '>', window.afterOutboxId)
    .orderBy('id')
    .execute();
  const alertKeys: { key: string; via: ChannelAlert['via'] }[] = [];
  const messages: Record<string, number> = {};
  const postedKeys = new Set<string>();
  for (const row of rows) {
    if (NOT_NEW_CHANNEL_MESSAGES.has(row.kind)) continue;
    // A post queued again for an alert that already has one is skipped by the outbox: one message.
    if (row.kind === 'alert_post' && row.alert_key) {
      if (postedKeys.has(row.alert_key)) continue;
      postedKeys.add(row.alert_key);
    }
    messages[row.kind] = (messages[row.kind] ?? 0) + 1;
    if (row.kind === 'alert_digest') {
      const { digestId } = JSON.parse(row.payload) as { digestId?: string };
      if (!digestId) continue;
      const members = await db.selectFrom('alert_digest_members').select('alert_key').where('digest_id', '=', digestId).orderBy('position').execute();
      for (const m of members) alertKeys.push({ key: m.alert_key, via: 'digest' });
    } else if (row.alert_key) {
      alertKeys.push({ key: row.alert_key, via: row.kind === 'alert_post' ? 'post' : 'other' });
    }
  }
  const byKey = await alertsByKey(database, [...new Set(alertKeys.map((a) => a.key))]);
  const seen = new Set<string>();
  const alerts: ChannelAlert[] = [];
  for (const { key, via } of alertKeys) {
    // Queuing a post twice is harmless in the bot (the second is skipped): it is one alert.
    if (seen.has(key)) continue;
    seen.add(key);
    const alert = byKey.get(key);
    if (!alert) continue;
    alerts.push({ alertKey: key, rule: alert.rule, namedUserIds: namedUsers(alert), via, text: `${alert.key}\n${alert.finding}` });
  }
  const askRows = await db.selectFrom('user_asks').select(['alert_key', 'state']).where('asked_at', '>=', window.asksSince.toISOString()).execute();
  const askAlerts = await alertsByKey(
    database,
    askRows.map((a) => a.alert_key),
  );
  const asks: AskRecord[] = askRows.flatMap((a) => {
    const alert = askAlerts.get(a.alert_key);
    return alert ? [{ alertKey: a.alert_key, rule: alert.rule, userId: alert.user_id, state: a.state, text: `${alert.key}\n${alert.finding}` }] : [];
  });
  return { alerts, messages, asks };
}

async function alertsByKey(database: Database, keys: readonly string[]): Promise<Map<string, AlertRow>> {
  const out = new Map<string, AlertRow>();
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await database.db
      .selectFrom('alerts')
      .select(['key', 'rule', 'user_id', 'finding'])
      .where('key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const row of rows) out.set(row.key, row);
  }
  return out;
}

/** The alert's user first, then every other Salesforce user id its stored finding mentions. */
function namedUsers(alert: AlertRow): string[] {
  const others = (alert.finding.match(USER_ID) ?? []).filter((id) => id !== alert.user_id);
  return [alert.user_id, ...new Set(others)];
}
