// Throwaway PostgreSQL cluster for the test run (started once by global-setup) and
// one fresh database per test file, so files running in parallel never share tables.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** Prefix of the temp folders we create; stale ones from killed runs are cleaned by name. */
const DIR_PREFIX = 'session-warden-pg-';
const OWNER_FILE = 'owner.pid';
/** initdb output reused across runs (see templateDataDir); a separate prefix keeps it out of stale-cluster cleanup. */
const TEMPLATE_PREFIX = 'session-warden-pgtpl-';
const INITDB_ARGS = ['-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale=C.UTF-8'];

export interface RunningPostgres {
  url: string;
  dir: string;
}

export function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  // Highest major version first, so a machine with several versions uses the newest.
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(root, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'pg_ctl'))) return bin;
  }
  return null;
}

export function missingPostgresError(env: NodeJS.ProcessEnv = process.env): Error {
  const how = 'Install it with: apt-get update && apt-get install -y postgresql';
  if (env.CI) {
    return new Error(`PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin; CI must test against a real PostgreSQL. ${how}`);
  }
  return new Error(
    `PostgreSQL binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin. ${how} (or set TEST_DATABASE_URL to an existing server you can create databases on).`,
  );
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** initdb refuses to run as root, so as root every PostgreSQL binary runs as the postgres user. */
async function runPg(bin: string, args: string[]): Promise<void> {
  try {
    if (isRoot()) {
      const cmd = [bin, ...args].map(shellQuote).join(' ');
      await run('su', ['postgres', '-c', cmd], { timeout: 30_000 });
    } else {
      await run(bin, args, { timeout: 30_000 });
    }
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string; message: string };
    throw new Error(`${bin} ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => (port ? resolve(port) : reject(new Error('could not read a free port'))));
    });
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Clusters left behind by a jest run that was killed before teardown would keep running forever. */
async function cleanStaleClusters(binDir: string): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), name);
    let owner = NaN;
    try {
      owner = Number(readFileSync(join(dir, OWNER_FILE), 'utf8'));
    } catch {
      continue; // not fully set up by someone else yet, or not ours: leave it alone
    }
    if (!Number.isInteger(owner) || pidAlive(owner)) continue;
    await stopPostgres(dir, binDir).catch(() => undefined);
  }
}

async function giveToPostgresUser(dir: string): Promise<void> {
  if (!isRoot()) return;
  const { stdout: uid } = await run('id', ['-u', 'postgres']);
  const { stdout: gid } = await run('id', ['-g', 'postgres']);
  chownSync(dir, Number(uid.trim()), Number(gid.trim()));
}

/**
 * initdb costs 0.5 s on an idle machine and several seconds on a busy one, and every jest run
 * needs a cluster, so its output is built once per PostgreSQL version and initdb arguments and
 * then copied. It is built in a private folder and renamed into place, so concurrent runs never
 * see a half-written template.
 */
async function templateDataDir(binDir: string): Promise<string> {
  const key = createHash('sha256')
    .update(`${binDir}\0${INITDB_ARGS.join(' ')}`)
    .digest('hex')
    .slice(0, 12);
  const template = join(tmpdir(), `${TEMPLATE_PREFIX}${key}`);
  const data = join(template, 'data');
  if (existsSync(join(data, 'PG_VERSION'))) return data;

  const building = mkdtempSync(join(tmpdir(), `${TEMPLATE_PREFIX}building-`));
  try {
    await giveToPostgresUser(building);
    await runPg(join(binDir, 'initdb'), ['-D', join(building, 'data'), ...INITDB_ARGS]);
    renameSync(building, template);
  } catch (err) {
    rmSync(building, { recursive: true, force: true });
    // Another run finished the same template first: use theirs.
    if (existsSync(join(data, 'PG_VERSION'))) return data;
    throw err;
  }
  return data;
}

/** Template builds interrupted by a killed run; anything this old is certainly abandoned. */
function cleanAbandonedTemplateBuilds(): void {
  const cutoff = Date.now() - 10 * 60_000;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(`${TEMPLATE_PREFIX}building-`)) continue;
    const dir = join(tmpdir(), name);
    try {
      if (statSync(dir).mtimeMs < cutoff) rmSync(dir, { recursive: true, force: true });
    } catch {
      // removed concurrently by another run
    }
  }
}

export async function startPostgres(): Promise<RunningPostgres> {
  const binDir = findPgBin();
  if (!binDir) throw missingPostgresError();
  await cleanStaleClusters(binDir);
  cleanAbandonedTemplateBuilds();

  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  writeFileSync(join(dir, OWNER_FILE), String(process.pid));
  try {
    await giveToPostgresUser(dir);
    const data = join(dir, 'data');
    // -a keeps the postgres owner and the 0700 mode that the server insists on.
    await run('cp', ['-a', await templateDataDir(binDir), data]);

    // The port is free when probed but may be taken before postgres binds it: retry a few times.
    let lastErr: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      const port = await freeLoopbackPort();
      const opts = [
        `-p ${port}`,
        `-k ${dir}`,
        '-c listen_addresses=127.0.0.1',
        '-c fsync=off',
        '-c synchronous_commit=off',
        '-c full_page_writes=off',
        // Concurrency tests open many pooled connections from several jest workers at once.
        '-c max_connections=300',
      ].join(' ');
      try {
        await runPg(join(binDir, 'pg_ctl'), ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '20', '-o', opts, 'start']);
        const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
        return { url, dir };
      } catch (err) {
        lastErr = err;
      }
    }
    throw lastErr;
  } catch (err) {
    await stopPostgres(dir, binDir).catch(() => undefined);
    throw err;
  }
}

export async function stopPostgres(dir: string, binDir: string | null = findPgBin()): Promise<void> {
  try {
    const data = join(dir, 'data');
    if (binDir && existsSync(join(data, 'postmaster.pid'))) {
      await runPg(join(binDir, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Names built from our own randomness only, so they are safe to interpolate as identifiers. */
function uniqueDbName(): string {
  return `sw_test_${randomBytes(6).toString('hex')}`;
}

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A brand-new empty database on the run's cluster. Throws when TEST_DATABASE_URL is unset:
 * silently skipping PostgreSQL would hide dialect bugs.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    throw new Error('TEST_DATABASE_URL is not set: run tests through jest so test/support/global-setup.ts starts PostgreSQL');
  }
  const name = uniqueDbName();
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        // FORCE: a pool that is still closing must not make cleanup fail.
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
