import type { AuditStore } from '../store/audit-store';
import type { OutboxRow, OutboxStore } from '../store/outbox-store';

/** A dead-lettered message as an operator sees it: never its payload (a response_url in it is a credential). */
export interface DeadLetter {
  row: number;
  kind: string;
  key: string;
  requestId: string | null;
  alertKey: string | null;
  attempts: number;
  lastError: string | null;
  deadSince: Date | null;
}

export type ReplayOutcome = { replayed: DeadLetter } | { problem: 'not_dead' };

export interface OutboxOperations {
  deadLetters(limit: number): Promise<DeadLetter[]>;
  /** Queues a dead-lettered row again, recorded in the audit trail under `by` (a Slack user id). */
  replay(row: number, by: string): Promise<ReplayOutcome>;
}

function deadLetterOf(row: OutboxRow): DeadLetter {
  return {
    row: row.id,
    kind: row.kind,
    key: row.key,
    requestId: 'requestId' in row ? row.requestId : null,
    alertKey: 'alertKey' in row ? row.alertKey : null,
    attempts: row.attempts,
    lastError: row.lastError,
    deadSince: row.doneAt,
  };
}

/** `/sessions outbox`: what Slack refused for good, and replaying it once the cause is fixed. */
export function outboxOperations(deps: { outbox: OutboxStore; audit: AuditStore; wake: () => void; now: () => Date }): OutboxOperations {
  return {
    async deadLetters(limit) {
      return (await deps.outbox.listDead(limit)).map(deadLetterOf);
    },
    async replay(row, by) {
      const now = deps.now();
      const replayed = await deps.outbox.replayDead(row, now);
      if (!replayed) return { problem: 'not_dead' };
      const letter = deadLetterOf(replayed);
      await deps.audit.append(
        {
          requestId: letter.requestId,
          actor: by,
          event: 'outbox-replayed',
          detail: { row: letter.row, kind: letter.kind, key: letter.key, lastError: letter.lastError },
        },
        now,
      );
      deps.wake();
      return { replayed: letter };
    },
  };
}
