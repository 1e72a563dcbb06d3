import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface BotProcess {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  /** Resolves with the first stdout line matching `pattern` (JSON log lines). */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the real entry point (src/main.ts) in its own process, as `npm start` would, via tsx. */
export function startBotProcess(env: Record<string, string>): BotProcess {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'src/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter(Boolean)) {
      stdout.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    }
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout,
    stderr,
    exited,
    waitForLine(pattern, timeoutMs = 20_000) {
      const seen = stdout.find((l) => pattern.test(l));
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no log line matching ${String(pattern)}; stderr: ${stderr.join('')}`)), timeoutMs);
        waiters.push({
          pattern,
          resolve: (line) => {
            clearTimeout(timer);
            resolve(line);
          },
        });
      });
    },
  };
}

/** The port of a bot started with PORT=0 (HTTP mode), from its "Session Warden is running" log line. */
export async function listeningPort(bot: BotProcess, timeoutMs = 30_000): Promise<number> {
  const line = await bot.waitForLine(/Session Warden is running/, timeoutMs);
  return (JSON.parse(line) as { port: number }).port;
}

/** The `monitor` part of a bot's `GET /healthz` answer. */
export interface MonitorHealth {
  role: 'off' | 'leader' | 'standby';
  lastPollAt: string | null;
  callsToday: number;
  budget: string;
  lastError?: string;
}

/** What the monitor of the bot listening on `port` says about itself in `/healthz`. */
export async function monitorHealthOf(port: number): Promise<MonitorHealth> {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  const body = (await res.json()) as { monitor?: MonitorHealth };
  if (!body.monitor) throw new Error(`the bot on port ${port}: /healthz has no monitor part (HTTP ${res.status})`);
  return body.monitor;
}
