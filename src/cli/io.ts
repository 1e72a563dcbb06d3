import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_DATABASE_URL } from '../config';
import { openDatabase, type Database } from '../store';
import { auditKeyProblem } from '../store/audit-anchor';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export type CliEnv = Record<string, string | undefined>;

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** An expected failure: its message is shown as is, without a stack trace. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * Opening a SQLite URL creates the file, so a tool run from the wrong folder would inspect a
 * fresh empty database and report it clean; an existing file is required instead.
 */
function requireExistingSqliteFile(url: string): void {
  if (!url.startsWith('sqlite:')) return;
  const rest = url.slice('sqlite:'.length);
  if (rest === ':memory:') return;
  const file = resolve(rest.startsWith('//') ? rest.slice(2) : rest);
  if (!existsSync(file)) {
    throw new CliError(`No database at ${file}. Set DATABASE_URL to the bot's database, or run from the bot's folder.`);
  }
}

/** Opens the bot's store (DATABASE_URL, as the bot itself reads it) for the length of `work`. */
export async function withStore<T>(env: CliEnv, work: (db: Database) => Promise<T>): Promise<T> {
  const url = env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL;
  requireExistingSqliteFile(url);
  const db = await openDatabase(url);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

/**
 * AUDIT_HMAC_KEY as the bot reads it, so the tools check the same HMACs the bot writes; null when
 * unset. A key too short to be safe is refused (the message never repeats the key).
 */
export function auditKeyFromEnv(env: CliEnv): string | null {
  const key = env.AUDIT_HMAC_KEY?.trim();
  if (!key) return null;
  const problem = auditKeyProblem(key);
  if (problem) throw new CliError(problem);
  return key;
}

/** The one line to show for a failure: our own messages verbatim, anything else prefixed. */
export function failureMessage(prefix: string, err: unknown): string {
  if (err instanceof CliError) return err.message;
  return `${prefix}: ${err instanceof Error ? err.message : String(err)}`;
}
