/**
 * `npm run demo` as a person runs it: one process that prints the console's URL, serves it, and on
 * Ctrl-C (SIGINT) stops every part, frees its ports and removes its temporary folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

interface DemoProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** The same command as package.json's "demo" script, with its own TMPDIR so leftovers can be seen. */
function runDemo(env: Record<string, string>): DemoProcess {
  const child = spawn(process.execPath, ['--require', 'tsx/cjs', path.join(ROOT, 'demo/main.ts')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (out += c));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

async function waitForOutput(demo: DemoProcess, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const started = Date.now();
  for (;;) {
    const m = pattern.exec(demo.output());
    if (m) return m;
    if (Date.now() - started > timeoutMs) throw new Error(`no ${String(pattern)} in the demo's output:\n${demo.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The demo's own temporary folders (tsx keeps a compile cache of its own in TMPDIR too). */
function demoFolders(tmp: string): string[] {
  return readdirSync(tmp).filter((name) => name.startsWith('session-warden-demo-'));
}

describe('npm run demo', () => {
  let tmp: string;

  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'warden-demo-process-'));
  });

  afterEach(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it('prints the console URL, serves it, and stops cleanly on Ctrl-C leaving no port or file behind', async () => {
    const started = Date.now();
    const demo = runDemo({ DEMO_PORT: '0', TMPDIR: tmp });
    const url = (await waitForOutput(demo, /open (http:\/\/127\.0\.0\.1:\d+\/)/))[1]!;
    const startupMs = Date.now() - started;
    expect(startupMs).toBeLessThan(30_000);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');
    const script = await fetch(new URL('/app.js', url));
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(10_000);
    // The bot's SQLite file and log are in the demo's temporary folder while it runs.
    expect(demoFolders(tmp)).toHaveLength(1);

    demo.child.kill('SIGINT');
    expect(await demo.exited).toEqual({ code: 0, signal: null });
    expect(demo.output()).toContain('Stopping the demo');
    expect(demoFolders(tmp)).toEqual([]);
    await expect(fetch(url)).rejects.toThrow();
  }, 60_000);

  it('says which port is taken instead of failing with a stack trace', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const demo = runDemo({ DEMO_PORT: String(port), TMPDIR: tmp });
      expect(await demo.exited).toEqual({ code: 1, signal: null });
      expect(demo.output()).toContain(`The demo could not start: port ${port} is already in use; set DEMO_PORT to another port (or 0 for any free one)`);
      expect(demo.output()).not.toMatch(/\n\s+at /);
      expect(demoFolders(tmp)).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('refuses a DEMO_PORT that is not a port', async () => {
    const demo = runDemo({ DEMO_PORT: 'eighty', TMPDIR: tmp });
    expect(await demo.exited).toEqual({ code: 1, signal: null });
    expect(demo.output()).toContain('The demo could not start: DEMO_PORT must be a port number (0–65535), got "eighty"');
  }, 30_000);
});
