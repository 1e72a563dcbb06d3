import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../views';
import type { PostPace } from './channel-pace';
import { classifySlackError, type DeliveryFailure } from './slack-errors';

export interface PostedMessage {
  channel: string;
  ts: string;
}

export type PostOutcome = { ok: true; posted: PostedMessage } | { ok: false; endpoint: 'chat.postMessage'; failure: DeliveryFailure };
export type UploadOutcome = { ok: true } | { ok: false; failure: DeliveryFailure };

export interface ThreadFile {
  bytes: Buffer;
  filename: string;
  title: string;
  /** For screen readers. */
  altText: string;
}

export type UpdateOutcome = { ok: true } | { ok: false; endpoint: 'chat.update'; failure: DeliveryFailure };

/**
 * The two Web API calls the outbox makes, with Slack's errors turned into what to do about them.
 * Every post goes through the pace, whoever asks for it (a request, its thread, an alert, a notice).
 */
export class SlackCalls {
  constructor(
    /** A WebClient with retries: 0 and rejectRateLimitedCalls, so the outbox alone decides when to retry. */
    private readonly client: WebClient,
  ) {}

  async post(pace: PostPace, channel: string, message: SlackMessage, threadTs?: string): Promise<PostOutcome> {
    try {
      const res = (await pace.run(channel, () =>
        this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...(threadTs ? { thread_ts: threadTs } : {}) }),
      )) as { channel?: string; ts?: string };
      if (!res.ts) return { ok: false, endpoint: 'chat.postMessage', failure: { kind: 'permanent', reason: 'Slack answered without a message ts' } };
      return { ok: true, posted: { channel: res.channel ?? channel, ts: res.ts } };
    } catch (err) {
      return { ok: false, endpoint: 'chat.postMessage', failure: classifySlackError(err) };
    }
  }

  /**
   * A file shared in a thread, the way Slack wants it now (files.uploadV2: getUploadURLExternal,
   * POST the bytes, completeUploadExternal). Paced with the channel's posts: it posts a message too.
   */
  async uploadToThread(pace: PostPace, channel: string, threadTs: string, file: ThreadFile): Promise<UploadOutcome> {
    try {
      await pace.run(channel, () =>
        this.client.filesUploadV2({
          channel_id: channel,
          thread_ts: threadTs,
          file: file.bytes,
          filename: file.filename,
          title: file.title,
          alt_text: file.altText,
        }),
      );
      return { ok: true };
    } catch (err) {
      return { ok: false, failure: classifySlackError(err) };
    }
  }

  async update(channel: string, ts: string, message: SlackMessage): Promise<UpdateOutcome> {
    try {
      await this.client.chat.update({ channel, ts, text: message.text, blocks: message.blocks });
      return { ok: true };
    } catch (err) {
      return { ok: false, endpoint: 'chat.update', failure: classifySlackError(err) };
    }
  }
}
