/**
 * The monitor's Salesforce reads against a large stand-in org: 10,000 users, 100,000 live
 * sessions, 1,000,000 LoginHistory rows. Prints, for the full AuthSession scan, the login backfill
 * and a steady poll: REST calls, wall time, CPU time and peak RSS of the reading process.
 *
 * The stand-in runs in a child process, so the CPU and memory figures are the reader's alone
 * (jsforce, JSON parsing, mapping, and the consumer: a Map mirror of the sessions; logins are
 * counted and dropped, as the store would write them out). Nothing is asserted: the call counts
 * are exact, the times are from a shared 2-core machine.
 *
 *   npx tsx --expose-gc bench/monitor-scan.ts
 *   (or: npx tsc -p tsconfig.json && node --expose-gc dist/bench/monitor-scan.js)
 * BENCH_USERS, BENCH_SESSIONS, BENCH_LOGINS change the org's size.
 */
import { fork } from 'node:child_process';
import { Connection } from 'jsforce';
import { MonitorReader } from '../src/salesforce/monitor-reader';
import { SalesforceRest } from '../src/salesforce/rest';
import type { Session } from '../src/domain/types';
import { generateOrg } from '../test/standins/salesforce/generator';
import { BOT_USERNAME } from '../test/standins/salesforce/scenarios';
import { startSalesforce } from '../test/standins/salesforce/server';

const API_VERSION = '62.0';
const USERS = Number(process.env.BENCH_USERS ?? 10_000);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 100_000);
const LOGINS = Number(process.env.BENCH_LOGINS ?? 1_000_000);
const OVERLAP_MS = 2 * 60_000;

interface Ready {
  url: string;
  token: string;
  sessions: number;
  logins: number;
  generateMs: number;
}

/** Child: the stand-in org. The bot's token adds its own session and login, so one fewer of each is generated. */
async function serve(): Promise<void> {
  const now = new Date();
  const t0 = performance.now();
  const { org } = generateOrg({ seed: 2026, now, users: USERS, sessions: SESSIONS - 1, loginRows: LOGINS - 1 });
  const generateMs = performance.now() - t0;
  const sf = await startSalesforce({ org, apiLimit: 5_000_000 });
  const token = sf.issueToken(BOT_USERNAME);
  const ready: Ready = { url: sf.url, token, sessions: org.count('AuthSession'), logins: org.count('LoginHistory'), generateMs };
  process.send?.(ready);
  process.on('disconnect', () => {
    void sf.close().then(() => process.exit(0));
  });
}

interface Measured<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  /** Heap still in use after the operation and a full GC (with --expose-gc), else NaN: what the operation kept. */
  retainedHeapMb: number;
}

function retainedHeapMb(): number {
  if (typeof global.gc !== 'function') return Number.NaN;
  global.gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Wall and CPU time of one operation, and the highest RSS sampled while it ran. */
async function measure<T>(run: () => Promise<T>): Promise<Measured<T>> {
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  try {
    const value = await run();
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, wallMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peak / 2 ** 20, retainedHeapMb: retainedHeapMb() };
  } finally {
    clearInterval(sampler);
  }
}

function row(what: string, rows: number, calls: number, floor: number, m: Measured<unknown>): string {
  return [what, rows.toLocaleString('en-US'), calls, floor, m.wallMs.toFixed(0), m.cpuMs.toFixed(0), m.peakRssMb.toFixed(0), m.retainedHeapMb.toFixed(0)].join(
    ' | ',
  );
}

async function bench(): Promise<void> {
  const child = fork(__filename, ['serve'], { execArgv: [...process.execArgv, '--max-old-space-size=8192'], stdio: 'inherit' });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.once('message', (m) => resolve(m as Ready));
    child.once('exit', (code) => reject(new Error(`the stand-in process exited (${code}) before it was ready`)));
  });
  try {
    const conn = new Connection({ instanceUrl: ready.url, accessToken: ready.token, version: API_VERSION });
    const rest = new SalesforceRest(conn, { apiVersion: API_VERSION, batchSize: 2000, timeoutMs: 120_000 });
    const reader = new MonitorReader(rest);
    console.log(
      `\nMonitor reads — ${USERS.toLocaleString('en-US')} users, ${ready.sessions.toLocaleString('en-US')} sessions, ` +
        `${ready.logins.toLocaleString('en-US')} LoginHistory rows (stand-in generated in ${(ready.generateMs / 1000).toFixed(1)} s, in its own process)`,
    );
    console.log(`reader process before: RSS ${(process.memoryUsage.rss() / 2 ** 20).toFixed(0)} MB, heap after GC ${retainedHeapMb().toFixed(0)} MB`);
    console.log('operation | rows | REST calls | ceil(rows/2000) | wall ms | CPU ms | peak RSS MB | heap after GC MB');

    const mirror = new Map<string, Session>();
    let sessionsSince = new Date(0);
    const scan = await measure(() =>
      reader.fullScan((page) => {
        for (const s of page) {
          mirror.set(s.id, s);
          if (s.createdAt > sessionsSince) sessionsSince = s.createdAt;
        }
      }),
    );
    console.log(row('full AuthSession scan', scan.value.sessions, scan.value.calls, Math.ceil(scan.value.sessions / 2000), scan));

    let lastProgress = 0;
    const backfill = await measure(() =>
      reader.backfillLogins(
        new Date(0),
        () => undefined,
        ({ rows, calls }) => {
          // What the monitor's progress line would say, every 100 calls.
          if (calls - lastProgress >= 100) {
            lastProgress = calls;
            console.log(`  backfill progress: ${rows.toLocaleString('en-US')} rows, ${calls} calls`);
          }
        },
      ),
    );
    console.log(row('login backfill', backfill.value.rows, backfill.value.calls, Math.ceil(backfill.value.rows / 2000), backfill));

    const loginsSince = backfill.value.newestLoginAt ?? new Date(0);
    const steady = await measure(() => reader.poll({ sessionsSince, loginsSince, overlapMs: OVERLAP_MS }));
    const fresh = steady.value.sessions.filter((s) => !mirror.has(s.id)).length;
    console.log(row(`steady poll (${fresh} new sessions)`, steady.value.sessions.length + steady.value.logins.length, steady.value.calls, 1, steady));
    console.log(`reader process peak RSS over the whole run (getrusage): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
  } finally {
    child.disconnect();
  }
}

const role = process.argv[2] === 'serve' ? serve : bench;
role().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
