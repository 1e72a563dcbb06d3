import { closeSync, fstatSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../logger';
import { StoreError } from './errors';

function errnoCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown error';
}

function cannotCreate(file: string, why: string, cause?: unknown): StoreError {
  return new StoreError(`the database: cannot create sqlite file ${file}: ${why}`, { kind: 'cannot-open', cause });
}

function statOrNull(path: string): { stats: Stats } | { missing: true } | { error: unknown } {
  try {
    return { stats: statSync(path) };
  } catch (err) {
    // ENOTDIR: some component above is a file; the walk up finds which one.
    const code = errnoCode(err);
    return code === 'ENOENT' || code === 'ENOTDIR' ? { missing: true } : { error: err };
  }
}

/**
 * Makes sure `file` (an absolute path) exists as a writable regular file, creating missing
 * folders one level at a time. Node's recursive mkdir spins forever on some paths (under /proc)
 * and reports EEXIST when a parent is a file, so the walk is done here and every failure
 * becomes one sentence naming the path. Synchronous and bounded by the path depth.
 */
export function prepareSqliteFile(file: string): void {
  const existing = statOrNull(file);
  if ('error' in existing) throw cannotCreate(file, `the path cannot be read (${errnoCode(existing.error)})`, existing.error);
  if ('stats' in existing) {
    if (!existing.stats.isFile()) throw new StoreError(`the database: sqlite path ${file} is not a regular file (is it a folder?)`, { kind: 'cannot-open' });
    checkWritable(file);
    return;
  }

  const missingFolders: string[] = [];
  let folder = dirname(file);
  for (;;) {
    const found = statOrNull(folder);
    if ('error' in found) throw cannotCreate(file, `folder ${folder} cannot be read (${errnoCode(found.error)})`, found.error);
    if ('stats' in found) {
      if (!found.stats.isDirectory()) throw cannotCreate(file, `parent ${folder} is not a directory`);
      break;
    }
    missingFolders.unshift(folder);
    const up = dirname(folder);
    if (up === folder) throw cannotCreate(file, 'no existing folder above it');
    folder = up;
  }
  for (const dir of missingFolders) {
    try {
      mkdirSync(dir);
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw cannotCreate(file, `folder ${dir} cannot be created (${errnoCode(err)})`, err);
    }
  }
  try {
    // 'wx': create only; an empty file is a valid empty SQLite database.
    closeSync(openSync(file, 'wx'));
  } catch (err) {
    if (errnoCode(err) === 'EEXIST') return checkWritable(file); // created by another replica meanwhile
    throw cannotCreate(file, `folder ${dirname(file)} does not accept new files (${errnoCode(err)})`, err);
  }
}

function checkWritable(file: string): void {
  try {
    closeSync(openSync(file, 'r+'));
  } catch (err) {
    throw new StoreError(`the database: sqlite file ${file} is not writable (${errnoCode(err)})`, { kind: 'cannot-open', cause: err });
  }
}

/**
 * Notices when the SQLite file is deleted or replaced while the bot runs. SQLite keeps writing
 * into the open (now nameless) file, so without this the bot would report success for writes that
 * vanish at the next restart. We hold our own descriptor on the file opened at start: its
 * identity (device + inode) cannot be reused while it is open, and its link count drops to 0 when
 * the last name goes. Once tripped it stays tripped: only a restart opens the file at the path.
 */
export class SqliteFileWatch {
  private readonly fd: number;
  private readonly dev: number;
  private readonly ino: number;
  private problem: string | null = null;
  private closed = false;

  /** Open this before SQLite opens the file, so a swap in between is seen as a change, never missed. */
  constructor(
    readonly file: string,
    private readonly logger?: Logger,
  ) {
    this.fd = openSync(file, 'r');
    const stats = fstatSync(this.fd);
    this.dev = stats.dev;
    this.ino = stats.ino;
  }

  /** Null while the path still names the file we opened; otherwise what happened to it. */
  check(): string | null {
    if (this.problem !== null || this.closed) return this.problem;
    const problem = this.detect();
    if (problem !== null) {
      this.problem = problem;
      this.logger?.error(
        { file: this.file, problem },
        'the SQLite database file was deleted or replaced while the bot was running; refusing all database work until restart',
      );
    }
    return this.problem;
  }

  /** Throws the StoreError every database call gets once the file is gone. */
  assertUnchanged(): void {
    const problem = this.check();
    if (problem === null) return;
    throw new StoreError(
      `the database file ${this.file} was deleted or replaced while the bot was running (${problem}); restart the bot (nothing was written)`,
      { kind: 'file-replaced' },
    );
  }

  private detect(): string | null {
    let current: Stats;
    try {
      current = statSync(this.file);
    } catch (err) {
      // No link left at all: deleted; otherwise renamed or moved somewhere else.
      if (fstatSync(this.fd).nlink === 0) return 'the file was deleted';
      return `the file was moved: the path no longer names it (${errnoCode(err)})`;
    }
    if (current.dev !== this.dev || current.ino !== this.ino) return 'another file now has its name';
    return null;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }
}
