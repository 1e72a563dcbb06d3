/**
 * Two real bot processes on one PostgreSQL database, each running the monitor every second:
 * exactly one polls (the advisory-lock leader), its alerts reach the security channel once each,
 * and when it is killed with -9 the other takes over within two intervals and carries on from
 * the shared mirror and alerts table without posting anything again.
 */
import { openDatabase, OutboxStore, type Database } from '../../src/store';
import { addSessionFamily } from '../standins/salesforce/generator';
import { place } from '../standins/salesforce/places';
import { addQuietUser, compromisedUser, IPS } from '../standins/salesforce/scenarios';
import { startSalesforce, type SalesforceStandIn } from '../standins/salesforce/server';
import { testKeyPair } from '../standins/salesforce/keys';
import { startSlack, type SlackStandIn } from '../standins/slack/server';
import type { StoredMessage } from '../standins/slack/state';
import { listeningPort, monitorHealthOf, startBotProcess, type BotProcess, type MonitorHealth } from '../support/bot-process';
import { BOT_TOKEN, SECURITY_CHANNEL, SF_CLIENT_ID, SIGNING_SECRET, botEnv, seedSlack } from '../support/harness';
import { createTestDatabase, type TestDatabase } from '../support/postgres';

const INTERVAL_MS = 1000;

interface Replica {
  bot: BotProcess;
  port: number;
}

interface AlertRow {
  key: string;
  group_key: string;
  user_id: string;
  rule: string;
  message_ts: string | null;
  state: string;
  resolved_by: string | null;
}

/** A finding merged into another's alert (one alert per incident): claimed, never posted on its own. */
function isSignal(row: AlertRow): boolean {
  return row.state === 'suppressed' && (row.resolved_by ?? '').startsWith('shown in alert ');
}

/** Polls an async condition until it gives a value; the error names what never happened. */
async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs: number, what: string, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The text a message was first posted with: later chat.update edits do not make it a different message. */
function postedText(m: StoredMessage): string {
  return m.history[0]?.text ?? m.text;
}

describe('the monitor with two replicas on one PostgreSQL database', () => {
  let sf: SalesforceStandIn;
  let slack: SlackStandIn;
  let testDb: TestDatabase;
  let database: Database | null = null;
  const running: BotProcess[] = [];
  const now = new Date();
  const scenario = compromisedUser({ now });
  const alice = addQuietUser(scenario.org, { now });

  beforeAll(async () => {
    sf = await startSalesforce({ org: scenario.org, jwt: { clientId: SF_CLIENT_ID, publicKeyPem: testKeyPair().publicKeyPem } });
    slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    seedSlack(slack);
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    for (const b of running) b.child.kill('SIGKILL');
    await Promise.all(running.map((b) => b.exited));
    await database?.close();
    await slack.close();
    await sf.close();
    await testDb.drop();
  });

  async function launch(): Promise<Replica> {
    const bot = startBotProcess(botEnv(slack, sf, { DATABASE_URL: testDb.url, MONITOR_INTERVAL_SECONDS: String(INTERVAL_MS / 1000), LOG_LEVEL: 'info' }));
    running.push(bot);
    return { bot, port: await listeningPort(bot) };
  }

  const channelPosts = (): StoredMessage[] => slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && !m.thread_ts);

  async function alertRows(db: Database): Promise<AlertRow[]> {
    return db.db.selectFrom('alerts').select(['key', 'group_key', 'user_id', 'rule', 'message_ts', 'state', 'resolved_by']).orderBy('key').execute();
  }

  /** Every alert claimed so far has its Slack message (the signals merged into one have none of their own) and nothing is left in the outbox. */
  async function settledAlerts(db: Database, wanted: (rows: AlertRow[]) => boolean, what: string): Promise<AlertRow[]> {
    const outbox = new OutboxStore(db);
    return eventually(
      async () => {
        const rows = await alertRows(db);
        if (!wanted(rows) || rows.some((r) => !isSignal(r) && r.message_ts === null)) return null;
        return (await outbox.countPending()) === 0 ? rows : null;
      },
      15_000,
      what,
      100,
    );
  }

  /** Each alert row has exactly one message in the channel, each message belongs to one alert, and no text was posted twice. */
  function expectOneMessagePerAlert(all: AlertRow[]): void {
    const rows = all.filter((r) => !isSignal(r));
    for (const signal of all.filter(isSignal)) expect(signal.message_ts).toBeNull();
    const posts = channelPosts();
    const byTs = new Map(posts.map((m) => [m.ts, m]));
    expect(posts).toHaveLength(rows.length);
    for (const row of rows) expect(byTs.has(row.message_ts ?? '')).toBe(true);
    expect(new Set(rows.map((r) => r.message_ts)).size).toBe(rows.length);
    const perText = new Map<string, number>();
    for (const m of posts) perText.set(postedText(m), (perText.get(postedText(m)) ?? 0) + 1);
    expect([...perText.values()].filter((n) => n > 1)).toEqual([]);
  }

  it('one replica polls; after kill -9 the other takes over within two intervals and posts each alert once', async () => {
    const [a, b] = await Promise.all([launch(), launch()]);
    const replicas = [a, b];
    const roles = async (): Promise<MonitorHealth['role'][]> => Promise.all(replicas.map(async (r) => (await monitorHealthOf(r.port)).role));

    // Election: one leader, one standby.
    const elected = await eventually(
      async () => {
        const now = await roles();
        return now.includes('leader') ? now : null;
      },
      10_000,
      'a replica to lead the monitor',
    );
    expect([...elected].sort()).toEqual(['leader', 'standby']);
    const leader = replicas[elected.indexOf('leader')] as Replica;
    const survivor = replicas[elected.indexOf('standby')] as Replica;

    database = await openDatabase(testDb.url);
    const db = database;
    // The compromised user's alerts, each posted once, while the roles stay as elected (sampled
    // from both /healthz meanwhile, and for two more intervals of steady polls that find nothing).
    const sampled = new Set<string>();
    const sampler = setInterval(() => {
      roles().then(
        (r) => sampled.add(r.join(',')),
        (err: unknown) => sampled.add(`unreadable: ${String(err)}`),
      );
    }, 200);
    let first: AlertRow[];
    try {
      first = await settledAlerts(
        db,
        (rows) => ['distant-places', 'failed-then-success', 'impossible-travel', 'new-country'].every((rule) => rows.some((row) => row.rule === rule)),
        "the compromised user's alerts in the channel",
      );
      await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));
    } finally {
      clearInterval(sampler);
    }
    expect(first.every((r) => r.user_id === scenario.userId)).toBe(true);
    expectOneMessagePerAlert(first);
    expect([...sampled]).toEqual([elected.join(',')]);
    expect(survivor.bot.stdout.some((l) => l.includes('monitor is the poller now'))).toBe(false);

    // kill -9 the leader: its lock's session dies with it, and the standby's next poll takes it.
    leader.bot.child.kill('SIGKILL');
    expect((await leader.bot.exited).signal).toBe('SIGKILL');
    const killedAt = Date.now();
    await eventually(async () => (await monitorHealthOf(survivor.port)).role === 'leader', 2 * INTERVAL_MS, 'the survivor to lead within two intervals', 25);
    const takeoverMs = Date.now() - killedAt;
    expect(takeoverMs).toBeLessThanOrEqual(2 * INTERVAL_MS);

    // A new suspicious session: Alice (at home in San Francisco) now also logged in from Moscow.
    // Created just now (its one child seconds later, by now): what a poll reads as new.
    const loggedInAt = new Date(Date.now() - 30_000);
    addSessionFamily(sf.org, {
      userId: alice.userId,
      createdAt: loggedInAt,
      lastActivityAt: new Date(),
      sourceIp: IPS.moscow,
      place: place('Moscow'),
      children: ['Aura'],
      login: { browser: 'Firefox 133', platform: 'Windows 10' },
    });
    const all = await settledAlerts(db, (rows) => rows.some((r) => r.user_id === alice.userId), "Alice's new alerts in the channel");
    const added = all.filter((r) => r.user_id === alice.userId);
    expect(added.map((r) => r.rule)).toEqual(expect.arrayContaining(['distant-places', 'new-country']));
    // The earlier alerts are the same rows with the same messages: none was claimed or posted again.
    expect(all.filter((r) => r.user_id !== alice.userId)).toEqual(first);
    expectOneMessagePerAlert(all);

    const health = await monitorHealthOf(survivor.port);
    expect(health.role).toBe('leader');
    expect(health.lastError).toBeUndefined();
    expect(survivor.bot.stdout.some((l) => l.includes('monitor is the poller now'))).toBe(true);
    console.log(`monitor takeover after kill -9: ${takeoverMs} ms (interval ${INTERVAL_MS} ms); alerts: ${first.length} before, ${added.length} after`);
  }, 45_000);
});
