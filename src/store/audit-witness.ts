import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Logger } from '../logger';
import type { ChainHead } from './audit-store';

/**
 * The audit chain's head, remembered in a small file beside the SQLite file. A database file that
 * is deleted (or replaced) comes back at the next start as a fresh, empty, perfectly valid chain;
 * only something outside the file can say that a chain existed. After every append the head is
 * written here (write to a temporary name, then rename: never half a file); at start it is
 * compared with the database's chain.
 *
 * Someone who can delete the database can delete this file too; the audit head stated in each
 * finished request's Slack message is the anchor they cannot reach.
 */
/** Where the head of the chain in `sqliteFile` is remembered: beside it, `<file>.audit-head`. */
export function witnessFileFor(sqliteFile: string): string {
  return `${sqliteFile}.audit-head`;
}

export class AuditWitness {
  private remembered: ChainHead | null;
  /** Set when the chain at start does not contain the remembered head; from then on the file is kept as evidence. */
  private lostChain: string | null = null;

  constructor(
    readonly file: string,
    private readonly logger?: Logger,
  ) {
    this.remembered = readHead(file, logger);
  }

  /** The head remembered at start (null: no chain was ever recorded here). */
  get atStart(): ChainHead | null {
    return this.remembered;
  }

  /** Why the database's chain is not the remembered one, when it is not; null when it is. */
  get problem(): string | null {
    return this.lostChain;
  }

  /**
   * Compares the remembered head with the database's chain: it must hold at least that many entries,
   * and the entry at that number must carry that hash. Called once at start.
   */
  check(current: ChainHead, hashAt: (seq: number) => Promise<string | null>): Promise<string | null> {
    return this.compare(current, hashAt).then((problem) => {
      this.lostChain = problem;
      if (problem) this.logger?.error({ witness: this.file, remembered: this.remembered, current }, problem);
      return problem;
    });
  }

  private async compare(current: ChainHead, hashAt: (seq: number) => Promise<string | null>): Promise<string | null> {
    const was = this.remembered;
    if (!was || was.seq === 0) return null;
    const keep = `; ${this.file} keeps the head that was written (remove it once the loss is dealt with)`;
    if (current.seq < was.seq) {
      return `the audit chain is gone: ${was.seq} entries were written (head ${was.hash.slice(0, 12)}…), the database holds ${current.seq} — the database file was deleted, emptied or replaced${keep}`;
    }
    const hash = await hashAt(was.seq);
    if (hash !== was.hash) {
      return `the audit chain is gone: entry ${was.seq} is not the one written (head ${was.hash.slice(0, 12)}…) — the database file was replaced${keep}`;
    }
    return null;
  }

  /** After an append: remember the new head, unless the chain was found gone (the file is the evidence then). */
  record(head: ChainHead): void {
    if (this.lostChain) return;
    const tmp = `${this.file}.tmp`;
    try {
      writeFileSync(tmp, `${JSON.stringify({ seq: head.seq, hash: head.hash })}\n`, { mode: 0o600 });
      renameSync(tmp, this.file);
      this.remembered = head;
    } catch (err) {
      // The append itself is committed; a missing witness only weakens the next start's check.
      this.logger?.warn({ err, witness: this.file }, 'could not write the audit head beside the database file');
    }
  }
}

function readHead(file: string, logger?: Logger): ChainHead | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'ENOENT') logger?.warn({ err, witness: file }, 'could not read the audit head beside the database file');
    return null;
  }
  try {
    const parsed = JSON.parse(text) as { seq?: unknown; hash?: unknown };
    if (typeof parsed.seq === 'number' && Number.isSafeInteger(parsed.seq) && parsed.seq >= 0 && typeof parsed.hash === 'string') {
      return { seq: parsed.seq, hash: parsed.hash };
    }
  } catch {
    // Falls through to the warning.
  }
  logger?.warn({ witness: file }, 'the audit head file beside the database is not readable JSON; ignoring it');
  return null;
}
