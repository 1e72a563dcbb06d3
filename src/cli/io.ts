import { DEFAULT_DATABASE_URL } from '../config';
import { openDatabase, type Database } from '../store';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
  stderr: (t) => process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
};

/** Opens the bot's store (DATABASE_URL, as the bot itself reads it) for the length of `work`. */
export async function withStore<T>(env: Record<string, string | undefined>, work: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(env.DATABASE_URL?.trim() || DEFAULT_DATABASE_URL);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}
