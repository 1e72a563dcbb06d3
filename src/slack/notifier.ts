import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import type { RequestNotifier, StepOutcome, Verdict } from '../requests/ports';
import type { ActionRequest } from '../requests/types';
import { requestMessage, requesterNotice, stepReply, verdictReply, type SlackMessage } from './views';

/**
 * Requests in Slack: the request message in the security channel (updated in place as it
 * moves), one thread reply per executed step, the delayed verdict, and a note to the requester
 * (a thread reply that mentions them, so it reaches them even outside the channel's members).
 */
export class SlackRequestNotifier implements RequestNotifier {
  constructor(
    private readonly client: WebClient,
    private readonly channel: string,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  async posted(request: ActionRequest): Promise<{ channelId: string; ts: string } | null> {
    const msg = requestMessage(request, { now: this.now() });
    const res = (await this.client.chat.postMessage({ channel: this.channel, text: msg.text, blocks: msg.blocks })) as { channel?: string; ts?: string };
    return res.ts ? { channelId: res.channel ?? this.channel, ts: res.ts } : null;
  }

  async updated(request: ActionRequest): Promise<void> {
    if (!request.channelId || !request.messageTs) return;
    const msg = requestMessage(request, { now: this.now() });
    await this.client.chat.update({ channel: request.channelId, ts: request.messageTs, text: msg.text, blocks: msg.blocks });
  }

  async step(request: ActionRequest, outcome: StepOutcome): Promise<void> {
    await this.thread(request, stepReply({ step: outcome.step, status: outcome.status, summary: outcome.summary }));
  }

  async verdict(request: ActionRequest, verdict: Verdict): Promise<void> {
    await this.thread(request, verdictReply({ ok: verdict.ok, summary: verdict.summary, alerts: verdict.alerts }));
  }

  async requesterTold(request: ActionRequest): Promise<void> {
    await this.thread(request, requesterNotice(request));
  }

  private async thread(request: ActionRequest, msg: SlackMessage): Promise<void> {
    if (!request.channelId || !request.messageTs) {
      this.logger.warn({ request: request.id }, 'request has no message to reply to');
      return;
    }
    await this.client.chat.postMessage({
      channel: request.channelId,
      thread_ts: request.messageTs,
      text: msg.text,
      blocks: msg.blocks,
    });
  }
}
