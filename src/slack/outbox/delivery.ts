import type { WebClient } from '@slack/web-api';
import type { ActionRequest } from '../../domain/requests';
import type { Logger } from '../../logger';
import type { OutboxKind, OutboxRow } from '../../store/outbox-store';
import type { RequestsStore } from '../../store/requests-store';
import { requestConfirmation, requestMessage, type SlackMessage } from '../views';
import { hostOf, postToResponseUrl } from './response-url';
import { classifySlackError, type DeliveryFailure } from './slack-errors';

/** What a row calls at Slack; the dispatcher pauses a method as a whole when Slack rate-limits it. */
export type SlackEndpoint = 'chat.postMessage' | 'chat.update' | 'response_url';

export function endpointOf(kind: OutboxKind): SlackEndpoint {
  switch (kind) {
    case 'update':
      return 'chat.update';
    case 'respond':
      return 'response_url';
    default:
      return 'chat.postMessage';
  }
}

export type DeliveryResult = { ok: true } | { ok: false; endpoint: SlackEndpoint; failure: DeliveryFailure };

/** Delivers one outbox row; never throws for a Slack problem (a database error does throw). */
export interface Delivery {
  deliver(row: OutboxRow): Promise<DeliveryResult>;
}

/** A thread reply, rendered when it was enqueued (the step or verdict it reports does not change). */
export interface ReplyPayload {
  text: string;
  blocks: SlackMessage['blocks'];
}

/** The requester's confirmation goes to the response_url of the message they asked from. */
export interface RespondPayload {
  responseUrl: string;
}

export interface SlackDeliveryDeps {
  /** A WebClient with retries: 0 and rejectRateLimitedCalls, so the outbox alone decides when to retry. */
  client: WebClient;
  channel: string;
  requests: Pick<RequestsStore, 'get' | 'setMessage'>;
  /** Tells apart Slack's hook host (and the test stand-in) from anything else. */
  responseUrlAllowed: (url: string) => boolean;
  responseUrlTimeoutMs: number;
  logger: Logger;
  /** The bot's clock: the request message shows buttons only while the request can still be decided. */
  now: () => Date;
}

const ok: DeliveryResult = { ok: true };

/**
 * Turns outbox rows into Slack calls. The request message is rendered from the request as it is
 * at delivery time, so a late update always shows the latest state; a thread reply finds its
 * thread on the request, so it waits for (and follows) the post in the same key.
 */
export class SlackDelivery implements Delivery {
  constructor(private readonly deps: SlackDeliveryDeps) {}

  async deliver(row: OutboxRow): Promise<DeliveryResult> {
    const request = await this.deps.requests.get(row.requestId);
    if (!request) return { ok: false, endpoint: endpointOf(row.kind), failure: { kind: 'permanent', reason: `request ${row.requestId} no longer exists` } };
    switch (row.kind) {
      case 'post':
        // Already on Slack (a crash after the post and before the row was marked): posting again would duplicate it.
        return request.messageTs ? ok : this.post(request);
      case 'update':
        return this.update(request);
      case 'reply':
        return this.reply(request, row.payload as ReplyPayload);
      case 'respond':
        return this.respond(request, row.payload as RespondPayload);
    }
  }

  private async post(request: ActionRequest): Promise<DeliveryResult> {
    const msg = requestMessage(request, { now: this.deps.now() });
    try {
      const res = (await this.deps.client.chat.postMessage({ channel: this.deps.channel, text: msg.text, blocks: msg.blocks })) as { channel?: string; ts?: string };
      if (!res.ts) return { ok: false, endpoint: 'chat.postMessage', failure: { kind: 'permanent', reason: 'Slack answered without a message ts' } };
      await this.deps.requests.setMessage(request.id, res.channel ?? this.deps.channel, res.ts, this.deps.now());
      return ok;
    } catch (err) {
      return { ok: false, endpoint: 'chat.postMessage', failure: classifySlackError(err) };
    }
  }

  private async update(request: ActionRequest): Promise<DeliveryResult> {
    if (!request.channelId || !request.messageTs) return this.post(request);
    const msg = requestMessage(request, { now: this.deps.now() });
    try {
      await this.deps.client.chat.update({ channel: request.channelId, ts: request.messageTs, text: msg.text, blocks: msg.blocks });
      return ok;
    } catch (err) {
      const failure = classifySlackError(err);
      if (failure.kind !== 'message_gone') return { ok: false, endpoint: 'chat.update', failure };
      // Someone deleted the request message (or Slack will not edit it any more): post it afresh so it can still be seen and decided.
      this.deps.logger.warn({ request: request.id, slack: { method: 'chat.update', error: failure.reason } }, 'Slack could not update the request message; posting a fresh one');
      return this.post(request);
    }
  }

  private async reply(request: ActionRequest, payload: ReplyPayload): Promise<DeliveryResult> {
    if (!request.channelId || !request.messageTs) {
      return { ok: false, endpoint: 'chat.postMessage', failure: { kind: 'permanent', reason: 'the request message was never posted, so there is no thread to reply in' } };
    }
    try {
      await this.deps.client.chat.postMessage({ channel: request.channelId, thread_ts: request.messageTs, text: payload.text, blocks: payload.blocks });
      return ok;
    } catch (err) {
      return { ok: false, endpoint: 'chat.postMessage', failure: classifySlackError(err) };
    }
  }

  private async respond(request: ActionRequest, payload: RespondPayload): Promise<DeliveryResult> {
    if (!this.deps.responseUrlAllowed(payload.responseUrl)) {
      return { ok: false, endpoint: 'response_url', failure: { kind: 'permanent', reason: `refused a response_url on ${hostOf(payload.responseUrl)}, which is not Slack's hook host` } };
    }
    const msg = requestConfirmation(request, permalinkOf(request));
    const failure = await postToResponseUrl(payload.responseUrl, msg, this.deps.responseUrlTimeoutMs);
    return failure ? { ok: false, endpoint: 'response_url', failure } : ok;
  }
}

/** Slack's archive link form; it redirects to the message in the user's workspace. */
function permalinkOf(request: ActionRequest): string | null {
  return request.channelId && request.messageTs ? `https://slack.com/archives/${request.channelId}/p${request.messageTs.replace('.', '')}` : null;
}
