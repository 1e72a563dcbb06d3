import type { ActionRequest } from '../../domain/requests';
import type { Logger } from '../../logger';
import type { RequestOutboxRow } from '../../store/outbox-store';
import type { RequestsStore } from '../../store/requests-store';
import { requestConfirmation, requestMessage } from '../views';
import type { PostPace } from './channel-pace';
import { endpointOf, type DeliveryResult, type ReplyPayload, type RespondPayload } from './delivery';
import { hostOf, postToResponseUrl } from './response-url';
import { postMarkOf, type PostMark, type SlackCalls } from './slack-calls';

export interface RequestDeliveryDeps {
  slack: SlackCalls;
  channel: string;
  requests: Pick<RequestsStore, 'get' | 'setMessage'>;
  /** Tells apart Slack's hook host (and the test stand-in) from anything else. */
  responseUrlAllowed: (url: string) => boolean;
  responseUrlTimeoutMs: number;
  logger: Logger;
  /** The bot's clock: the request message shows buttons only while the request can still be decided. */
  now: () => Date;
  /** The workspace's own URL (auth.test `url`), which message permalinks are built on; null while unknown. */
  workspaceUrl?: () => string | null;
}

const ok: DeliveryResult = { ok: true };

/**
 * A request's messages. The request message is rendered from the request as it is at delivery
 * time, so a late update always shows the latest state; a thread reply finds its thread on the
 * request, so it waits for (and follows) the post in the same key.
 */
export class RequestDelivery {
  constructor(private readonly deps: RequestDeliveryDeps) {}

  async deliver(row: RequestOutboxRow, pace: PostPace): Promise<DeliveryResult> {
    const request = await this.deps.requests.get(row.requestId);
    if (!request) return { ok: false, endpoint: endpointOf(row.kind), failure: { kind: 'permanent', reason: `request ${row.requestId} no longer exists` } };
    switch (row.kind) {
      case 'post':
        // Already on Slack (a crash after the post and before the row was marked): posting again would duplicate it.
        return request.messageTs ? ok : this.post(request, pace, postMarkOf(row));
      case 'update':
        return this.update(request, pace, postMarkOf(row));
      case 'reply':
        return this.reply(request, row.payload as ReplyPayload, pace, postMarkOf(row));
      case 'respond':
        return this.respond(request, row.payload as RespondPayload);
    }
  }

  private async post(request: ActionRequest, pace: PostPace, mark: PostMark): Promise<DeliveryResult> {
    const res = await this.deps.slack.post(pace, this.deps.channel, requestMessage(request, { now: this.deps.now() }), undefined, mark);
    if (!res.ok) return res;
    await this.deps.requests.setMessage(request.id, res.posted.channel, res.posted.ts, this.deps.now());
    return ok;
  }

  private async update(request: ActionRequest, pace: PostPace, mark: PostMark): Promise<DeliveryResult> {
    if (!request.channelId || !request.messageTs) return this.post(request, pace, mark);
    const res = await this.deps.slack.update(request.channelId, request.messageTs, requestMessage(request, { now: this.deps.now() }));
    if (res.ok || res.failure.kind !== 'message_gone') return res;
    // Someone deleted the request message (or Slack will not edit it any more): post it afresh so it can still be seen and decided.
    this.deps.logger.warn(
      { request: request.id, slack: { method: 'chat.update', error: res.failure.reason } },
      'Slack could not update the request message; posting a fresh one',
    );
    return this.post(request, pace, mark);
  }

  private async reply(request: ActionRequest, payload: ReplyPayload, pace: PostPace, mark: PostMark): Promise<DeliveryResult> {
    if (!request.channelId || !request.messageTs) {
      return {
        ok: false,
        endpoint: 'chat.postMessage',
        failure: { kind: 'permanent', reason: 'the request message was never posted, so there is no thread to reply in' },
      };
    }
    const res = await this.deps.slack.post(pace, request.channelId, { text: payload.text, blocks: payload.blocks }, request.messageTs, mark);
    return res.ok ? ok : res;
  }

  private async respond(request: ActionRequest, payload: RespondPayload): Promise<DeliveryResult> {
    if (!this.deps.responseUrlAllowed(payload.responseUrl)) {
      return {
        ok: false,
        endpoint: 'response_url',
        failure: { kind: 'permanent', reason: `refused a response_url on ${hostOf(payload.responseUrl)}, which is not Slack's hook host` },
      };
    }
    const msg = requestConfirmation(request, permalinkOf(request, this.deps.workspaceUrl?.() ?? null));
    const failure = await postToResponseUrl(payload.responseUrl, msg, this.deps.responseUrlTimeoutMs);
    return failure ? { ok: false, endpoint: 'response_url', failure } : ok;
  }
}

/**
 * A message's permalink on the workspace's own host (what chat.getPermalink answers, without spending a call on it):
 * `https://<workspace>.slack.com/archives/<channel>/p<ts without the dot>`. Without the workspace URL there is no link,
 * rather than one on slack.com that Slack does not document.
 */
export function permalinkOf(request: Pick<ActionRequest, 'channelId' | 'messageTs'>, workspaceUrl: string | null): string | null {
  if (!request.channelId || !request.messageTs || !workspaceUrl) return null;
  let base: URL;
  try {
    base = new URL(workspaceUrl);
  } catch {
    return null;
  }
  if (base.protocol !== 'https:') return null;
  return `${base.origin}/archives/${request.channelId}/p${request.messageTs.replace('.', '')}`;
}
