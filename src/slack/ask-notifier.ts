import type { AskOutboxKind, OutboxStore } from '../store/outbox-store';

/** All rows of one ask share a key, so its DM is posted before it is edited. */
export function askOutboxKey(alertKey: string): string {
  return `ask:${alertKey}`;
}

/**
 * The "was this you?" DMs, through the outbox: each method writes a row and wakes the dispatcher;
 * the DM is rendered from the ask when the row is delivered, so it shows the ask as it is then.
 */
export class OutboxAskNotifier {
  constructor(
    private readonly outbox: Pick<OutboxStore, 'enqueue'>,
    private readonly wake: () => void,
    /** Real time (the outbox schedules by it), not the bot's test clock. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** A new ask: send the colleague the DM. */
  async askPosted(alertKey: string): Promise<void> {
    await this.enqueue('ask_post', alertKey);
  }

  /** The ask was answered or timed out: edit the DM (its buttons go). */
  async askUpdated(alertKey: string): Promise<void> {
    await this.enqueue('ask_update', alertKey);
  }

  private async enqueue(kind: AskOutboxKind, alertKey: string): Promise<void> {
    await this.outbox.enqueue({ key: askOutboxKey(alertKey), kind, alertKey, payload: {} }, this.clock());
    this.wake();
  }
}
