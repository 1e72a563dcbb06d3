/** One audit entry as people read it in Slack: who did what, and one sentence about it. */
export interface AuditLine {
  seq: number;
  at: Date;
  requestId: string | null;
  /** Slack user id, or 'system' for the bot's own timers. */
  actor: string;
  event: string;
  /** The step and what it said, or the reason / kind; may be empty. */
  detail: string;
}
