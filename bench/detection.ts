/**
 * `npm run bench:detection` (issue 17): how loud the real monitor is on a realistic org, and
 * whether it finds the attacks planted in it. For each size in BENCH_PEOPLE (default 1500,10000):
 *
 *   - the stand-ins' process builds the realistic org (test/standins/salesforce/realistic, seed
 *     BENCH_SEED) and serves it over loopback with the Salesforce stand-in (its clock is the
 *     simulation's), plus the Slack stand-in with one Slack account per person (by e-mail, in the
 *     person's time zone), so "was this you?" finds colleagues as in a real workspace;
 *   - bot process 1 is the real bot (src/app.ts createWarden, SQLite in a temp folder, default
 *     configuration: digests, automatic asks, LOGIN_HISTORY_DAYS=30) and runs the first pass;
 *   - bot process 2 opens the same database and lives the next 24 hours: the org's activity is
 *     played forward BENCH_POLL_MINUTES at a time (default 30), the bot polls after each step with
 *     its clock moved (a full scan at least every FULL_SCAN_MINUTES, default 15: so at every step) and runs its timers.
 *
 * The outbox dispatcher is stopped: what is counted is what the bot queued for Slack (alert
 * posts, each alert of a digest, notices) and the asks it made, read from its database after each
 * phase, scored against the org's labels (bench/detection/score.ts). CPU and peak RSS are the bot
 * process's own; Salesforce calls are counted by the stand-in. Figures, not a test: exits 0.
 * BENCH_TRUSTED_VPN=1 sets TRUSTED_NETWORKS to the corporate VPN's exits (most orgs do not).
 */
import type { ChildProcess } from 'node:child_process';
import { askProcess, nextMessage, startProcess, stopProcess } from './processes';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createWarden } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { openDatabase } from '../src/store';
import { connectionEnv, BOT_TOKEN, SF_CLIENT_ID, SIGNING_SECRET } from '../test/standins/bot-connection';
import { testKeyPair } from '../test/standins/salesforce/keys';
import { buildRealisticOrg } from '../test/standins/salesforce/realistic';
import { ALL_VPN_EXITS } from '../test/standins/salesforce/realistic/humans';
import { startSalesforce } from '../test/standins/salesforce/server';
import { startSlack } from '../test/standins/slack/server';
import { collectPhase, maxOutboxId, type PhaseWindow } from './detection/collect';
import { printSize, type SizeFigures } from './detection/report';
import { scorePhase, type PhaseScore, type Truth } from './detection/score';

const SEED = Number(process.env.BENCH_SEED ?? 2026);
const SIZES = (process.env.BENCH_PEOPLE ?? '1500,10000')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => Number.isInteger(n) && n >= 100);
const POLL_MINUTES = Number(process.env.BENCH_POLL_MINUTES ?? 30);
const DAY_HOURS = Number(process.env.BENCH_DAY_HOURS ?? 24);
const TRUSTED_VPN = process.env.BENCH_TRUSTED_VPN === '1';
const SECURITY_CHANNEL = 'C0SECURITY';
const SECURITY_ADMIN = 'U0SECADMIN';
const APPROVER = 'U0SECAPPR1';
const MB = 2 ** 20;
const cpuMs = (): number => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1000;
};
const MINUTE = 60_000;

// ---------------------------------------------------------------------------------------------
// Messages between the processes

interface StandInsReady {
  kind: 'ready';
  env: Record<string, string>;
  now: string;
  truth: Truth;
  org: { people: number; integrations: number; users: number; logins: number; sessions: number; tokens: number; trips: number; buildMs: number };
}
interface Advance {
  kind: 'advance';
  to: string;
}
interface Advanced {
  kind: 'advanced';
  apiCalls: number;
  sessions: number;
  /** CPU the stand-ins' process has used so far (the org's activity, Salesforce's and Slack's answers). */
  cpuMs: number;
}
interface CountCalls {
  kind: 'count-calls';
}
interface BotReady {
  kind: 'bot-ready';
}
interface Poll {
  kind: 'poll';
  at: string;
}
interface Polled {
  kind: 'polled';
  calls: number;
}
interface Measure {
  kind: 'measure';
  /** start: reset the counters; stop: answer them. */
  what: 'start' | 'stop';
}
interface Measured {
  kind: 'measured';
  cpuMs: number;
  peakRssMb: number;
  wallMs: number;
}

// ---------------------------------------------------------------------------------------------
// The stand-ins' process: the realistic org behind the Salesforce stand-in, and a Slack workspace

async function serveStandIns(): Promise<void> {
  const people = Number(process.env.BENCH_SIZE);
  const now = new Date(Math.floor(Date.now() / MINUTE) * MINUTE);
  const t0 = performance.now();
  const world = buildRealisticOrg({ seed: SEED, people, now, horizonHours: DAY_HOURS + 1 });
  const buildMs = performance.now() - t0;
  let simNow = now;
  const keys = testKeyPair();
  const sf = await startSalesforce({
    org: world.org,
    clock: () => simNow,
    apiLimit: 50_000_000,
    jwt: { clientId: SF_CLIENT_ID, publicKeyPem: keys.publicKeyPem },
  });
  const slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, now: () => simNow.getTime() });
  slack.addUser({ id: SECURITY_ADMIN, name: 'sec-admin', profile: { email: 'security-admin@acme.com' } });
  slack.addUser({ id: APPROVER, name: 'sec-approver', profile: { email: 'security-approver@acme.com' } });
  for (const p of world.people) {
    slack.addUser({
      id: `U1${p.index.toString(36).toUpperCase().padStart(7, '0')}`,
      name: p.username.split('@')[0] ?? p.username,
      tz: p.office.timeZone,
      profile: { email: p.email },
    });
  }
  slack.addChannel({ id: SECURITY_CHANNEL, name: 'security', members: [SECURITY_ADMIN, APPROVER, 'UBOT0001'] });

  const attacked = world.attackedUserIds;
  const ordinaryCount = world.people.filter((p) => !attacked.has(p.userId)).length + world.integrations.filter((i) => !attacked.has(i.userId)).length;
  const truth: Truth = {
    people,
    ordinaryCount,
    attacks: world.attacks.map((a) => ({
      id: a.id,
      kind: a.kind,
      victimUserId: a.victimUserId,
      touchedUserIds: a.touchedUserIds,
      markers: [
        ...a.loginHistoryIds,
        ...a.sessionIds,
        ...a.tokens.flatMap((t) => [t.appName, encodeURIComponent(t.appName)]),
        // A spray is named by its address as much as by any one row.
        ...(a.kind === 'password-spraying' ? new Set(a.loginHistoryIds.map((id) => String(world.org.get(id)?.SourceIp))) : []),
      ],
    })),
  };
  process.on('message', (msg: Advance | CountCalls) => {
    if (msg.kind === 'advance') {
      simNow = new Date(msg.to);
      world.advanceTo(simNow);
      const reply: Advanced = { kind: 'advanced', apiCalls: sf.apiCalls().length, sessions: world.org.count('AuthSession'), cpuMs: cpuMs() };
      process.send?.(reply);
    } else {
      process.send?.({ kind: 'advanced', apiCalls: sf.apiCalls().length, sessions: world.org.count('AuthSession'), cpuMs: cpuMs() } satisfies Advanced);
    }
  });
  const ready: StandInsReady = {
    kind: 'ready',
    env: connectionEnv(slack, sf),
    now: now.toISOString(),
    truth,
    org: {
      people,
      integrations: world.integrations.length,
      users: world.org.count('User'),
      logins: world.org.count('LoginHistory'),
      sessions: world.org.count('AuthSession'),
      tokens: world.org.count('OauthToken'),
      trips: world.trips.size,
      buildMs,
    },
  };
  process.send?.(ready);
  process.on('disconnect', () => {
    void Promise.all([sf.close(), slack.close()]).then(() => process.exit(0));
  });
}

// ---------------------------------------------------------------------------------------------
// A bot process: the real bot (createWarden) with its clock driven by the orchestrator

async function runBot(): Promise<void> {
  let simNow = new Date(process.env.BENCH_NOW ?? Date.now());
  const env: Record<string, string> = {
    ...(JSON.parse(process.env.BENCH_BOT_ENV ?? '{}') as Record<string, string>),
    SECURITY_CHANNEL,
    ADMINS: SECURITY_ADMIN,
    APPROVERS: APPROVER,
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? '',
    // The orchestrator calls pollOnce(); the production defaults hold for everything else.
    MONITOR_INTERVAL_SECONDS: '0',
    LOG_LEVEL: 'warn',
    ...(TRUSTED_VPN ? { TRUSTED_NETWORKS: ALL_VPN_EXITS.map((e) => `${e.ip}/32`).join(',') } : {}),
  };
  const config = loadConfig(env);
  // Errors are shown (a bench that silently fails measures nothing); warnings such as storms are expected.
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n'))
        if (line.includes('"level":50') || line.includes('"level":60')) process.stderr.write(`bot: ${line}\n`);
      done();
    },
  });
  const warden = await createWarden(config, {
    logger: createLogger('warn', sink),
    now: () => simNow,
    slackRetries: 0,
    outbox: { channelPace: null },
    salesforceTimeoutMs: 120_000,
  });
  await warden.start();
  // Count what the bot queues; delivering it would only add Slack's pace to the bench.
  await warden.outbox.dispatcher.stop();

  let cpu0 = process.cpuUsage();
  let wall0 = performance.now();
  let peak = process.memoryUsage.rss();
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 10);
  sampler.unref();

  process.on('message', (msg: Poll | Measure) => {
    void (async () => {
      if (msg.kind === 'measure') {
        if (msg.what === 'start') {
          peak = process.memoryUsage.rss();
          cpu0 = process.cpuUsage();
          wall0 = performance.now();
          return;
        }
        const cpu = process.cpuUsage(cpu0);
        peak = Math.max(peak, process.memoryUsage.rss());
        const reply: Measured = { kind: 'measured', cpuMs: (cpu.user + cpu.system) / 1000, peakRssMb: peak / MB, wallMs: performance.now() - wall0 };
        process.send?.(reply);
        return;
      }
      simNow = new Date(msg.at);
      const report = await warden.monitor.pollOnce();
      // The bot's 30-second timers (request expiry, unanswered asks) as they would have run by now.
      await warden.tick();
      process.send?.({ kind: 'polled', calls: report.calls } satisfies Polled);
    })().catch((err: unknown) => {
      console.error(err);
      process.exit(1);
    });
  });
  process.on('disconnect', () => {
    clearInterval(sampler);
    void warden.stop().then(() => process.exit(0));
  });
  process.send?.({ kind: 'bot-ready' } satisfies BotReady);
}

// ---------------------------------------------------------------------------------------------
// The orchestrating process

function start(role: 'serve' | 'bot', env: Record<string, string>, heapMb = 4096): ChildProcess {
  return startProcess(__filename, role, env, heapMb);
}

async function scoreFrom(
  url: string,
  window: PhaseWindow,
  truth: Truth,
): Promise<{ score: PhaseScore; lastOutboxId: number; messages: Record<string, number>; inChannel: Set<string> }> {
  const database = await openDatabase(url);
  try {
    const rows = await collectPhase(database, window);
    const inChannel = new Set([...(window.exclude ?? []), ...rows.alerts.map((a) => a.alertKey)]);
    return { score: scorePhase(rows, truth), lastOutboxId: await maxOutboxId(database), messages: { ...rows.messages }, inChannel };
  } finally {
    await database.close();
  }
}

async function benchSize(people: number): Promise<SizeFigures> {
  const began = performance.now();
  const dir = mkdtempSync(path.join(tmpdir(), 'warden-bench-detection-'));
  const databaseUrl = `sqlite:${path.join(dir, 'warden.db')}`;
  const standIns = start('serve', { BENCH_SIZE: String(people) }, 8192);
  const children: ChildProcess[] = [standIns];
  try {
    const ready = await nextMessage<StandInsReady>(standIns, 'ready');
    const now = new Date(ready.now);
    const botEnv = { BENCH_BOT_ENV: JSON.stringify(ready.env), BENCH_DATABASE_URL: databaseUrl, BENCH_NOW: ready.now };

    // 1. The first pass, alone in bot process 1.
    const first = start('bot', botEnv);
    children.push(first);
    await nextMessage<BotReady>(first, 'bot-ready');
    const before1 = await askProcess<Advanced>(standIns, { kind: 'count-calls' } satisfies CountCalls, 'advanced');
    const calls0 = before1.apiCalls;
    first.send({ kind: 'measure', what: 'start' } satisfies Measure);
    const polled1 = await askProcess<Polled>(first, { kind: 'poll', at: now.toISOString() } satisfies Poll, 'polled');
    const m1 = await askProcess<Measured>(first, { kind: 'measure', what: 'stop' } satisfies Measure, 'measured');
    const after1 = await askProcess<Advanced>(standIns, { kind: 'count-calls' } satisfies CountCalls, 'advanced');
    const calls1 = after1.apiCalls;
    await stopProcess(first);
    const firstScore = await scoreFrom(databaseUrl, { afterOutboxId: 0, asksSince: new Date(0) }, ready.truth);
    process.stderr.write(`  ${people} people: first pass done (${(m1.wallMs / 1000).toFixed(0)} s); playing the day\n`);

    // 2. The ordinary day, in bot process 2 on the same database.
    const second = start('bot', { ...botEnv, BENCH_NOW: new Date(now.getTime() + POLL_MINUTES * MINUTE).toISOString() });
    children.push(second);
    await nextMessage<BotReady>(second, 'bot-ready');
    const before2 = await askProcess<Advanced>(standIns, { kind: 'count-calls' } satisfies CountCalls, 'advanced');
    const dayCalls0 = before2.apiCalls;
    second.send({ kind: 'measure', what: 'start' } satisfies Measure);
    let polls = 0;
    let monitorCalls = 0;
    const steps = Math.round((DAY_HOURS * 60) / POLL_MINUTES);
    for (let i = 1; i <= steps; i++) {
      const at = new Date(now.getTime() + i * POLL_MINUTES * MINUTE);
      await askProcess<Advanced>(standIns, { kind: 'advance', to: at.toISOString() } satisfies Advance, 'advanced');
      monitorCalls += (await askProcess<Polled>(second, { kind: 'poll', at: at.toISOString() } satisfies Poll, 'polled')).calls;
      polls++;
      if (i % 12 === 0) process.stderr.write(`  ${people} people: ${((i * POLL_MINUTES) / 60).toFixed(0)} h of the day played\n`);
    }
    const m2 = await askProcess<Measured>(second, { kind: 'measure', what: 'stop' } satisfies Measure, 'measured');
    const after2 = await askProcess<Advanced>(standIns, { kind: 'count-calls' } satisfies CountCalls, 'advanced');
    const dayCalls1 = after2.apiCalls;
    await stopProcess(second);
    // The day's rows, minus the alerts the first pass already put in the channel (their later edits are not new).
    const dayScore = await scoreFrom(
      databaseUrl,
      { afterOutboxId: firstScore.lastOutboxId, asksSince: new Date(now.getTime() + 1), exclude: firstScore.inChannel },
      ready.truth,
    );
    return {
      people,
      org: ready.org,
      truth: ready.truth,
      first: {
        score: firstScore.score,
        messages: firstScore.messages,
        calls: calls1 - calls0,
        standInsCpuMs: after1.cpuMs - before1.cpuMs,
        monitorCalls: polled1.calls,
        cpuMs: m1.cpuMs,
        peakRssMb: m1.peakRssMb,
        wallMs: m1.wallMs,
        polls: 1,
      },
      day: {
        score: dayScore.score,
        messages: dayScore.messages,
        calls: dayCalls1 - dayCalls0,
        standInsCpuMs: after2.cpuMs - before2.cpuMs,
        monitorCalls,
        cpuMs: m2.cpuMs,
        peakRssMb: m2.peakRssMb,
        wallMs: m2.wallMs,
        polls,
      },
      pollMinutes: POLL_MINUTES,
      trustedVpn: TRUSTED_VPN,
      seconds: (performance.now() - began) / 1000,
    };
  } finally {
    for (const child of children) await stopProcess(child).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function bench(): Promise<void> {
  console.log(
    `Detection bench (issue 17): seed ${SEED}, sizes ${SIZES.join(', ')}; first pass, then ${DAY_HOURS} h of ordinary activity polled every ${POLL_MINUTES} min` +
      (TRUSTED_VPN ? '; TRUSTED_NETWORKS = the VPN exits' : '; TRUSTED_NETWORKS unset'),
  );
  for (const people of SIZES) printSize(await benchSize(people));
}

const roles: Record<string, () => Promise<void>> = { serve: serveStandIns, bot: runBot };
const role = roles[process.argv[2] ?? ''];
(role ?? bench)().catch((err: unknown) => {
  console.error(err);
  // A helper process that fails must stop the run; the bench itself prints figures, not a verdict, and exits 0.
  process.exit(role ? 1 : 0);
});
