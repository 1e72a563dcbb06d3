import type { Logger } from '../../logger';
import type { DigestOutboxRow } from '../../store/outbox-store';
import type { SlackMessage } from '../views';
import type { PostPace } from './channel-pace';
import type { DeliveryResult } from './delivery';
import { postMarkOf, type SlackCalls } from './slack-calls';

/** What a digest row carries: the digest to render when it is delivered. */
export interface DigestPayload {
  digestId: string;
}

/** A digest as it should look now, and its message ts once Slack has it. */
export interface RenderedDigest {
  message: SlackMessage;
  messageTs: string | null;
}

/** The port digest rows are rendered through (implemented over the digests and alerts tables and the digest view). */
export interface DigestMessages {
  /** The message as of now; null when the digest no longer exists (its row is then done, nothing is sent). */
  render(digestId: string): Promise<RenderedDigest | null>;
  /** Records where Slack put the digest, so a retried row after a crash is not posted twice. */
  posted(digestId: string, channelId: string, ts: string): Promise<void>;
}

export interface DigestDeliveryDeps {
  slack: SlackCalls;
  channel: string;
  digests: DigestMessages;
  logger: Logger;
}

/** An alert storm's one message in the security channel: posted once, through the channel pace. */
export class DigestDelivery {
  constructor(private readonly deps: DigestDeliveryDeps) {}

  async deliver(row: DigestOutboxRow, pace: PostPace): Promise<DeliveryResult> {
    const { digestId } = row.payload as DigestPayload;
    const digest = await this.deps.digests.render(digestId);
    if (!digest) {
      this.deps.logger.warn({ digest: digestId }, 'the alert digest no longer exists; nothing to send to Slack');
      return { ok: true };
    }
    // Already on Slack (a crash after the post and before the row was marked): posting again would duplicate it.
    if (digest.messageTs) return { ok: true };
    const res = await this.deps.slack.post(pace, this.deps.channel, digest.message, undefined, postMarkOf(row));
    if (!res.ok) return res;
    await this.deps.digests.posted(digestId, res.posted.channel, res.posted.ts);
    return { ok: true };
  }
}
