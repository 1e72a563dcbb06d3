import type { ActionRequest } from '../domain/requests';
import type { RequestNotifier, StepOutcome, Verdict } from '../requests/ports';
import type { OutboxStore, RequestOutboxKind } from '../store/outbox-store';
import type { ReplyPayload, RespondPayload } from './outbox/delivery';
import { requesterNotice, stepReply, verdictReply } from './views';

/** All of a request's messages share one key, so they reach Slack in the order they were owed. */
export function outboxKeyOf(requestId: string): string {
  return `request:${requestId}`;
}

/**
 * Requests in Slack, through the outbox: the request message in the security channel (updated in
 * place as it moves), one thread reply per executed step, the delayed verdict, a note to the
 * requester in the thread, and their private confirmation. Each method writes a row and wakes the
 * dispatcher; Slack is called later, by the dispatcher, and a Slack failure never reaches the caller.
 */
export class OutboxRequestNotifier implements RequestNotifier {
  constructor(
    private readonly outbox: Pick<OutboxStore, 'enqueue' | 'hasPending'>,
    /** Tells the dispatcher in this process that there is work, so it need not wait for its poll. */
    private readonly wake: () => void,
    /** Real time (the outbox schedules by it), not the bot's test clock. */
    private readonly clock: () => Date = () => new Date(),
  ) {}

  async posted(request: ActionRequest): Promise<'queued' | 'already_queued'> {
    if (await this.outbox.hasPending(outboxKeyOf(request.id), 'post')) return 'already_queued';
    await this.enqueue(request, 'post', {});
    return 'queued';
  }

  async confirmed(request: ActionRequest, responseUrl: string): Promise<void> {
    const payload: RespondPayload = { responseUrl };
    await this.enqueue(request, 'respond', payload);
  }

  async updated(request: ActionRequest): Promise<void> {
    // Rendered at delivery from the request's state then, so nothing is stored.
    await this.enqueue(request, 'update', {});
  }

  async step(request: ActionRequest, outcome: StepOutcome): Promise<void> {
    await this.reply(request, stepReply({ step: outcome.step, status: outcome.status, summary: outcome.summary }));
  }

  async verdict(request: ActionRequest, verdict: Verdict): Promise<void> {
    await this.reply(request, verdictReply({ ok: verdict.ok, summary: verdict.summary, alerts: verdict.alerts }));
  }

  /** A reply of the bot's own in the request's thread (the ways back in after a Contain), in the request's order. */
  async threadNote(request: ActionRequest, msg: ReplyPayload): Promise<void> {
    await this.reply(request, msg);
  }

  async requesterTold(request: ActionRequest): Promise<void> {
    await this.reply(request, requesterNotice(request));
  }

  private async reply(request: ActionRequest, msg: ReplyPayload): Promise<void> {
    const payload: ReplyPayload = { text: msg.text, blocks: msg.blocks };
    await this.enqueue(request, 'reply', payload);
  }

  private async enqueue(request: ActionRequest, kind: RequestOutboxKind, payload: unknown): Promise<void> {
    await this.outbox.enqueue({ key: outboxKeyOf(request.id), kind, requestId: request.id, payload }, this.clock());
    this.wake();
  }
}
