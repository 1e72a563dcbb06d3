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
const NOT_NEW_CHANNEL_MESSAGES = new Set(['alert_post', 'alert_update', 'alert_image', 'ask_post', 'ask_update', 'post', 'update', 'reply', 'respond']);
const USER_ID = /\b005[0-9A-Za-z]{15}\b/g;

export interface PhaseWindow {
  /** Outbox rows with a larger id belong to the phase. */
  afterOutboxId: number;
  /** Asks made at or after this (the bot's clock). */
  asksSince: Date;
  /** Alerts an earlier phase already counted as in the channel (later edits of theirs are not new). */
  exclude?: ReadonlySet<string>;
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
  /** Held back while its person is asked first (absent in databases from before ask-first routing). */
  held?: number;
}

export async function collectPhase(database: Database, window: PhaseWindow): Promise<PhaseRows> {
  const { db } = database;
  const rows = await db
    .selectFrom('slack_outbox')
    .select(['id', 'kind', 'alert_key', 'payload'])
    .where('id', '>', window.afterOutboxId)
    .orderBy('id')
    .execute();
  const exclude = window.exclude ?? new Set<string>();
  // Per alert: how it reaches the channel. A post; a digest entry; or an edit of an alert that has
  // no message yet, which the outbox posts — how a held alert is released when its person says no
  // or does not answer.
  const routes = new Map<string, ChannelAlert['via']>();
  const digested = new Set<string>();
  const messages: Record<string, number> = {};
  // A notice names people only in its "• *Name* — …" lines (the first start's summary of old findings).
  const summaryLines: string[] = [];
  for (const row of rows) {
    if (row.kind === 'alert_post' && row.alert_key) routes.set(row.alert_key, 'post');
    else if (row.kind === 'alert_update' && row.alert_key && !routes.has(row.alert_key)) routes.set(row.alert_key, 'released');
    else if (row.kind === 'alert_digest') {
      messages[row.kind] = (messages[row.kind] ?? 0) + 1;
      const { digestId } = JSON.parse(row.payload) as { digestId?: string };
      if (!digestId) continue;
      const members = await db.selectFrom('alert_digest_members').select('alert_key').where('digest_id', '=', digestId).orderBy('position').execute();
      for (const m of members) {
        routes.set(m.alert_key, 'digest');
        digested.add(m.alert_key);
      }
    } else if (!NOT_NEW_CHANNEL_MESSAGES.has(row.kind)) {
      messages[row.kind] = (messages[row.kind] ?? 0) + 1;
      if (row.alert_key) routes.set(row.alert_key, 'other');
      else summaryLines.push(...bulletsOf(row.payload));
    }
  }
  const byKey = await alertsByKey(database, [...routes.keys()]);
  const alerts: ChannelAlert[] = [];
  for (const [key, via] of routes) {
    const alert = byKey.get(key);
    // Already counted in an earlier phase; still held (the outbox renders nothing for it); gone.
    if (!alert || exclude.has(key) || alert.held === 1) continue;
    // An alert that reached Slack inside a digest is not posted again when it changes.
    if (via === 'released' && (digested.has(key) || (await isDigested(database, key)))) continue;
    if (via === 'post' || via === 'released')
      messages[via === 'post' ? 'alert_post' : 'alert_post (released)'] = (messages[via === 'post' ? 'alert_post' : 'alert_post (released)'] ?? 0) + 1;
    alerts.push({
      alertKey: key,
      rule: alert.rule,
      namedUserIds: namedUsers(alert),
      via,
      text: `${alert.key}\n${alert.finding}`,
      signalRules: signalRules(alert),
    });
  }
  const askRows = await db.selectFrom('user_asks').select(['alert_key', 'state']).where('asked_at', '>=', window.asksSince.toISOString()).execute();
  const askAlerts = await alertsByKey(
    database,
    askRows.map((a) => a.alert_key),
  );
  const asks: AskRecord[] = askRows.flatMap((a) => {
    const alert = askAlerts.get(a.alert_key);
    return alert
      ? [
          {
            alertKey: a.alert_key,
            rule: alert.rule,
            userId: alert.user_id,
            state: a.state,
            text: `${alert.key}\n${alert.finding}`,
            signalRules: signalRules(alert),
          },
        ]
      : [];
  });
  return { alerts, messages, asks, summaryLines };
}

/** The "• *Name* — what" lines of a notice's text and blocks (a notice's payload is its rendered message). */
function bulletsOf(payload: string): string[] {
  const text = JSON.stringify(JSON.parse(payload) as unknown);
  return [...new Set(text.match(/• \*[^*\n\\]+\* —/g) ?? [])];
}

async function isDigested(database: Database, alertKey: string): Promise<boolean> {
  const row = await database.db.selectFrom('alert_digest_members').select('digest_id').where('alert_key', '=', alertKey).executeTakeFirst();
  return row !== undefined;
}

async function alertsByKey(database: Database, keys: readonly string[]): Promise<Map<string, AlertRow>> {
  const out = new Map<string, AlertRow>();
  for (let i = 0; i < keys.length; i += 500) {
    // selectAll: the held column exists only since ask-first routing, and the bench also reads older databases.
    const rows: AlertRow[] = await database.db
      .selectFrom('alerts')
      .selectAll()
      .where('key', 'in', keys.slice(i, i + 500))
      .execute();
    for (const row of rows) out.set(row.key, row);
  }
  return out;
}

/** The rules of the findings merged into the alert (Finding.signals), read from its stored JSON. */
function signalRules(alert: AlertRow): string[] {
  const parsed = JSON.parse(alert.finding) as { signals?: Array<{ rule?: unknown }> };
  return (parsed.signals ?? []).flatMap((s) => (typeof s.rule === 'string' ? [s.rule] : []));
}

/** The alert's user first, then every other Salesforce user id its stored finding mentions. */
function namedUsers(alert: AlertRow): string[] {
  const others = (alert.finding.match(USER_ID) ?? []).filter((id) => id !== alert.user_id);
  return [alert.user_id, ...new Set(others)];
}
