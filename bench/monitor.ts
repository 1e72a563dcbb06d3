/**
 * `npm run bench:monitor`: the real monitor (src/wiring/monitor.ts → `Monitor.pollOnce()`, a
 * SQLite file in a temp folder, alerts queued in the real outbox) against a large Salesforce
 * stand-in: 10,000 users, 100,000 live sessions, 1,000,000 LoginHistory rows in the login window
 * (LOGIN_HISTORY_DAYS=180, the generator spreads logins over 180 days). Prints figures; nothing
 * is asserted — the call counts are exact, the times come from a shared 2-core machine.
 *
 * Three processes, so each figure belongs to the one process it describes:
 *   - the stand-in org (generated in its own process; its CPU and memory are not the bot's);
 *   - bot process 1: the first start (login backfill + full scan + every user evaluated), alone;
 *   - bot process 2, on the same database file with its clock FULL_SCAN_MINUTES later: the full
 *     reconciliation first, then steady polls, then polls with one new session for one user.
 * "Salesforce wait" is the time spent inside jsforce requests (loopback HTTP, the stand-in's
 * work, and jsforce parsing the answer); the rest of a poll is the bot's own work.
 *
 * BENCH_USERS, BENCH_SESSIONS, BENCH_LOGINS change the org's size; BENCH_RUNS the polls per median;
 * BENCH_BOT_NODE_ARGS adds node options to the bot processes (e.g. --cpu-prof).
 */
import type { ChildProcess } from 'node:child_process';
import { askProcess, nextMessage, startProcess, stopProcess } from './processes';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import type { PollReport } from '../src/monitor/monitor';
import { OutboxAlertNotifier } from '../src/slack/alert-notifier';
import { openDatabase, OutboxStore } from '../src/store';
import { buildAlertParts, buildMonitor } from '../src/wiring/monitor';
import { buildSalesforce } from '../src/wiring/salesforce';
import { addSessionFamily, generateOrg } from '../test/standins/salesforce/generator';
import { place, PLACES, type GeoPlace } from '../test/standins/salesforce/places';
import { BOT_USERNAME } from '../test/standins/salesforce/scenarios';
import { startSalesforce } from '../test/standins/salesforce/server';

const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100_000);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const LOGIN_HISTORY_DAYS = 180;
const FULL_SCAN_MINUTES = 15;
const PAGE = 2000;
const MB = 2 ** 20;

// ---------------------------------------------------------------------------------------------
// Messages between the processes

interface OrgReady {
  kind: 'ready';
  url: string;
  token: string;
  sessions: number;
  logins: number;
  generateMs: number;
}
/** Adds one new UI session (one login, no children) for a user, from where that user already is. */
interface AddSession {
  kind: 'add-session';
  /** 'typical': a different mid-list user each time; 'busiest': the user with the most sessions. */
  who: 'typical' | 'busiest';
  n: number;
}
interface SessionAdded {
  kind: 'added';
  userId: string;
  userSessions: number;
}
/** The bot process is wired and connected; its RSS before any poll (node, the bot's modules, the database). */
interface BotReady {
  kind: 'bot-ready';
  rssMb: number;
}
interface PollCommand {
  kind: 'poll';
}
interface PollFigures {
  kind: 'polled';
  report: Pick<PollReport, 'calls' | 'changedUsers' | 'fullScan' | 'backfill'> & { posts: number; updates: number; resolves: number };
  backfill: { rows: number; calls: number } | null;
  scan: { sessions: number; ended: number; calls: number } | null;
  wallMs: number;
  sfWaitMs: number;
  sfRequests: number;
  cpuMs: number;
  /** Highest RSS sampled (every 10 ms) while the poll ran. */
  peakRssMb: number;
  /** getrusage's maximum RSS of the whole process so far. */
  processMaxRssMb: number;
}

// ---------------------------------------------------------------------------------------------
// The stand-in org's process

async function serveOrg(): Promise<void> {
  const now = new Date();
  const t0 = performance.now();
  // The bot's token adds its own session and login, so one fewer of each is generated.
  const { org, userIds } = generateOrg({ seed: 2026, now, users: USERS, sessions: SESSIONS - 1, loginRows: LOGINS - 1 });
  const generateMs = performance.now() - t0;
  const sf = await startSalesforce({ org, apiLimit: 50_000_000 });
  const token = sf.issueToken(BOT_USERNAME);
  const sessionsOf = (userId: string) => org.byReference('AuthSession', 'UsersId', userId);
  const withSessions = userIds.filter((id) => sessionsOf(id).length > 0);
  const busiest = withSessions.reduce((a, b) => (sessionsOf(b).length > sessionsOf(a).length ? b : a));
  // Users are skewed towards the start of the list; the middle holds ordinary ones.
  const typical = withSessions.slice(Math.floor(withSessions.length / 2));

  process.on('message', (msg: AddSession) => {
    const userId = msg.who === 'busiest' ? busiest : (typical[msg.n % typical.length] as string);
    const existing = sessionsOf(userId)[0];
    const geo = existing && typeof existing.LoginGeoId === 'string' ? org.get(existing.LoginGeoId) : undefined;
    const where: GeoPlace = typeof geo?.City === 'string' ? place(geo.City) : (PLACES[0] as GeoPlace);
    addSessionFamily(org, {
      userId,
      createdAt: new Date(),
      sourceIp: typeof existing?.SourceIp === 'string' ? existing.SourceIp : '203.0.113.10',
      place: where,
      children: [],
    });
    const reply: SessionAdded = { kind: 'added', userId, userSessions: sessionsOf(userId).length };
    process.send?.(reply);
  });
  const ready: OrgReady = { kind: 'ready', url: sf.url, token, sessions: org.count('AuthSession'), logins: org.count('LoginHistory'), generateMs };
  process.send?.(ready);
  process.on('disconnect', () => {
    void sf.close().then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------------------------
// A bot process: the monitor as src/app.ts wires it, minus Slack (alerts stop in the outbox table)

interface MonitorLogLine {
  msg?: string;
  rows?: number;
  calls?: number;
  sessions?: number;
  ended?: number;
}

async function runBot(): Promise<void> {
  const offsetMs = Number(process.env.BENCH_CLOCK_OFFSET_MS ?? 0);
  const now = (): Date => new Date(Date.now() + offsetMs);
  const config = loadConfig({
    // Required by the configuration, never used here: the bench starts no Slack app.
    SLACK_BOT_TOKEN: 'xoxb-bench-unused',
    SLACK_SIGNING_SECRET: 'bench-unused',
    SECURITY_CHANNEL: 'C0SECURITY',
    ADMINS: 'U0BENCHADMIN',
    SF_INSTANCE_URL: process.env.BENCH_SF_URL ?? '',
    SF_ACCESS_TOKEN: process.env.BENCH_SF_TOKEN ?? '',
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '',
    MONITOR_INTERVAL_SECONDS: '0',
    FULL_SCAN_MINUTES: String(FULL_SCAN_MINUTES),
    LOGIN_HISTORY_DAYS: String(LOGIN_HISTORY_DAYS),
    LOG_LEVEL: 'debug',
  });

  // The monitor's own log lines say what the backfill and the scan cost; the rest is dropped.
  let backfill: PollFigures['backfill'] = null;
  let scan: PollFigures['scan'] = null;
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (!text.includes('"monitor ')) continue;
        const line = JSON.parse(text) as MonitorLogLine;
        if (line.msg === 'monitor backfill progress') {
          backfill = { rows: line.rows ?? 0, calls: line.calls ?? 0 };
          if ((line.calls ?? 0) % 100 === 0)
            process.stdout.write(`  backfill progress: ${(line.rows ?? 0).toLocaleString('en-US')} rows, ${line.calls} calls\n`);
        }
        if (line.msg === 'monitor full scan') scan = { sessions: line.sessions ?? 0, ended: line.ended ?? 0, calls: line.calls ?? 0 };
      }
      done();
    },
  });
  const logger = createLogger('debug', sink);
  const database = await openDatabase(config.databaseUrl, { logger: logger.child({ component: 'store' }) });
  const salesforce = buildSalesforce(config, { salesforceTimeoutMs: 120_000 }, logger, now);
  await salesforce.connect();

  // Measures, does not change: every call still goes through jsforce to the stand-in.
  const wait = { ms: 0, requests: 0 };
  const conn = salesforce.rest.conn;
  const request = conn.request.bind(conn);
  conn.request = ((...args: Parameters<typeof request>) => {
    const t0 = performance.now();
    const pending = request(...args);
    const done = () => {
      wait.ms += performance.now() - t0;
      wait.requests++;
    };
    pending.then(done, done);
    return pending;
  }) as typeof conn.request;

  const parts = buildAlertParts(database, now);
  const notifier = new OutboxAlertNotifier(new OutboxStore(database), () => undefined);
  const monitor = buildMonitor(config, { ...parts, rest: salesforce.rest, database, notifier, botUserId: salesforce.botUserId, logger, now });

  process.on('message', (msg: PollCommand) => {
    if (msg.kind !== 'poll') return;
    void (async () => {
      backfill = null;
      scan = null;
      wait.ms = 0;
      wait.requests = 0;
      let peak = process.memoryUsage.rss();
      const sampler = setInterval(() => {
        peak = Math.max(peak, process.memoryUsage.rss());
      }, 10);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const report = await monitor.pollOnce();
      const wallMs = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage.rss());
      const count = (kind: string) => report.steps.filter((s) => s.kind === kind).length;
      const figures: PollFigures = {
        kind: 'polled',
        report: {
          calls: report.calls,
          changedUsers: report.changedUsers,
          fullScan: report.fullScan,
          backfill: report.backfill,
          posts: count('post'),
          updates: count('update'),
          resolves: count('resolve'),
        },
        backfill,
        scan,
        wallMs,
        sfWaitMs: wait.ms,
        sfRequests: wait.requests,
        cpuMs: (cpu.user + cpu.system) / 1000,
        peakRssMb: peak / MB,
        processMaxRssMb: process.resourceUsage().maxRSS / 1024,
      };
      process.send?.(figures);
    })().catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  });
  process.on('disconnect', () => {
    salesforce.client.stop();
    void database.close().then(() => process.exit(0));
  });
  const ready: BotReady = { kind: 'bot-ready', rssMb: process.memoryUsage.rss() / MB };
  process.send?.(ready);
}

// ---------------------------------------------------------------------------------------------
// The orchestrating process

function start(role: 'serve' | 'bot', env: Record<string, string>, heapMb = 4096): ChildProcess {
  return startProcess(__filename, role, env, heapMb);
}

function poll(bot: ChildProcess): Promise<PollFigures> {
  return askProcess<PollFigures>(bot, { kind: 'poll' } satisfies PollCommand, 'polled');
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? NaN) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
};
const n = (x: number): string => x.toLocaleString('en-US');
const ms = (x: number): string => x.toFixed(x < 10 ? 2 : 0);

function resources(f: PollFigures): string {
  return `wall ${ms(f.wallMs)} ms (Salesforce wait ${ms(f.sfWaitMs)} ms), CPU ${ms(f.cpuMs)} ms, peak RSS ${f.peakRssMb.toFixed(0)} MB during the poll (process max ${f.processMaxRssMb.toFixed(0)} MB)`;
}

function alerts(f: PollFigures): string {
  return `${n(f.report.changedUsers)} users evaluated, alert steps: ${f.report.posts} post / ${f.report.updates} update / ${f.report.resolves} resolve`;
}

async function repeated(bot: ChildProcess, runs: number, before?: () => Promise<SessionAdded>): Promise<{ figures: PollFigures[]; added: SessionAdded[] }> {
  const figures: PollFigures[] = [];
  const added: SessionAdded[] = [];
  for (let i = 0; i < runs; i++) {
    if (before) added.push(await before());
    figures.push(await poll(bot));
  }
  return { figures, added };
}

function summary(label: string, runs: PollFigures[]): string {
  const calls = [...new Set(runs.map((f) => f.report.calls))].sort((a, b) => a - b).join('/');
  const own = runs.map((f) => f.wallMs - f.sfWaitMs);
  return (
    `${label} | ${runs.length} | ${calls} | ${ms(median(runs.map((f) => f.wallMs)))} | ${ms(median(runs.map((f) => f.sfWaitMs)))} | ` +
    `${ms(median(own))} | ${ms(Math.min(...own))}–${ms(Math.max(...own))} | ${ms(median(runs.map((f) => f.cpuMs)))} | ${median(runs.map((f) => f.report.changedUsers))}`
  );
}

async function bench(): Promise<void> {
  const began = performance.now();
  const org = start('serve', {}, 8192);
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-bench-monitor-'));
  const children: ChildProcess[] = [org];
  try {
    const ready = await nextMessage<OrgReady>(org, 'ready');
    console.log(
      `\nMonitor — ${n(USERS)} users, ${n(ready.sessions)} live sessions, ${n(ready.logins)} LoginHistory rows over ${LOGIN_HISTORY_DAYS} days ` +
        `(LOGIN_HISTORY_DAYS=${LOGIN_HISTORY_DAYS}, so the login window holds them all); stand-in generated in ${(ready.generateMs / 1000).toFixed(1)} s in its own process; ` +
        `SQLite file database; FULL_SCAN_MINUTES=${FULL_SCAN_MINUTES}`,
    );
    const env = { BENCH_SF_URL: ready.url, BENCH_SF_TOKEN: ready.token, BENCH_DATABASE_URL: `sqlite:${path.join(dir, 'warden.db')}` };

    // 1. First start, in a process of its own.
    const first = start('bot', env);
    children.push(first);
    const ready1 = await nextMessage<BotReady>(first, 'bot-ready');
    const f1 = await poll(first);
    await stopProcess(first);
    const backfillCalls = f1.backfill?.calls ?? 0;
    const scanCalls1 = f1.scan?.calls ?? 0;
    console.log('\nFirst start (bot process 1: backfill of the login window, full scan, every user evaluated)');
    console.log(
      `  REST calls ${f1.report.calls} = login backfill ${backfillCalls} (${n(f1.backfill?.rows ?? 0)} rows; floor ceil(rows/${PAGE}) = ${Math.ceil((f1.backfill?.rows ?? 0) / PAGE)}) ` +
        `+ full scan ${scanCalls1} (${n(f1.scan?.sessions ?? 0)} sessions; floor ${Math.ceil((f1.scan?.sessions ?? 0) / PAGE)}) + user names for new alerts ${f1.report.calls - backfillCalls - scanCalls1}`,
    );
    console.log(`  ${alerts(f1)}`);
    console.log(`  ${resources(f1)}; RSS before the poll ${ready1.rssMb.toFixed(0)} MB`);

    // 2. Full reconciliation, in a fresh process whose clock is one scan period later.
    const second = start('bot', { ...env, BENCH_CLOCK_OFFSET_MS: String((FULL_SCAN_MINUTES + 1) * 60_000) });
    children.push(second);
    const ready2 = await nextMessage<BotReady>(second, 'bot-ready');
    const f2 = await poll(second);
    const scanCalls2 = f2.scan?.calls ?? 0;
    console.log(`\nFull reconciliation (bot process 2, FULL_SCAN_MINUTES later: steady poll + full scan + every user evaluated)`);
    console.log(
      `  REST calls ${f2.report.calls} = full scan ${scanCalls2} (${n(f2.scan?.sessions ?? 0)} sessions, ${n(f2.scan?.ended ?? 0)} ended; floor ${Math.ceil((f2.scan?.sessions ?? 0) / PAGE)}) ` +
        `+ steady poll and user names ${f2.report.calls - scanCalls2}`,
    );
    console.log(`  ${alerts(f2)}`);
    console.log(`  ${resources(f2)}; RSS before the poll ${ready2.rssMb.toFixed(0)} MB  [goal: CPU < 10,000 ms, RSS < 300 MB]`);

    // 3. Steady polls, and one new session for one user, in the same process.
    console.log(`\nSteady polls (bot process 2), ${RUNS} polls each; "bot's own" = wall − Salesforce wait`);
    console.log(
      "poll | runs | REST calls per poll | wall median ms | Salesforce wait median ms | bot's own median ms | bot's own min–max ms | CPU median ms | users evaluated",
    );
    const quiet = await repeated(second, RUNS);
    console.log(summary('nothing new', quiet.figures));
    let i = 0;
    const typical = await repeated(second, RUNS, async () => {
      const added = nextMessage<SessionAdded>(org, 'added');
      org.send({ kind: 'add-session', who: 'typical', n: i++ } satisfies AddSession);
      return added;
    });
    const typicalSessions = median(typical.added.map((a) => a.userSessions));
    console.log(summary(`one new session, an ordinary user (median ${typicalSessions} sessions)`, typical.figures));
    const busiest = await repeated(second, Math.max(3, Math.ceil(RUNS / 3)), async () => {
      const added = nextMessage<SessionAdded>(org, 'added');
      org.send({ kind: 'add-session', who: 'busiest', n: 0 } satisfies AddSession);
      return added;
    });
    console.log(summary(`one new session, the busiest user (${busiest.added.at(-1)?.userSessions ?? 0} sessions)`, busiest.figures));
    const evaluate = median(typical.figures.map((f) => f.wallMs - f.sfWaitMs)) - median(quiet.figures.map((f) => f.wallMs - f.sfWaitMs));
    console.log(
      `evaluating one changed (ordinary) user in this org costs ≈ ${ms(evaluate)} ms of the bot's own time (median one-new-session minus median nothing-new)`,
    );
    console.log(
      `alert steps during the one-new-session polls: ${[...typical.figures, ...busiest.figures].reduce((s, f) => s + f.report.posts + f.report.updates, 0)} post/update`,
    );
    await stopProcess(second);
    console.log(`\nbench took ${((performance.now() - began) / 1000).toFixed(0)} s`);
  } finally {
    for (const child of children) await stopProcess(child).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

const roles: Record<string, () => Promise<void>> = { serve: serveOrg, bot: runBot };
(roles[process.argv[2] ?? ''] ?? bench)().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
