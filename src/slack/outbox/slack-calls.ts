import type { WebClient } from '@slack/web-api';
import type { SlackMessage } from '../views';
import type { PostPace } from './channel-pace';
import type { OutboxRow } from '../../store/outbox-store';
import { classifyHttpStatus, classifySlackError, type DeliveryFailure } from './slack-errors';

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
 * Which outbox row a post delivers. Slack has no idempotency key for chat.postMessage, so the row id
 * travels as message metadata; after an attempt that may have been performed without an answer
 * (a timeout, a 5xx, a crash mid-delivery) the channel is read for it before posting again.
 */
export interface PostMark {
  rowId: number;
  queuedAt: Date;
  checkFirst: boolean;
}

/** The metadata event type of the bot's own posts (Slack requires snake_case). */
export const OUTBOX_EVENT_TYPE = 'session_warden_outbox';
/** Slack's clocks and ours may differ a little: the search starts this long before the row was queued. */
const CLOCK_SLACK_MS = 60_000;
/** One page of history is enough: the bot's channel does not get this many posts between two attempts. */
const HISTORY_PAGE = 200;

export function postMarkOf(row: Pick<OutboxRow, 'id' | 'createdAt' | 'maybePerformed'>): PostMark {
  return { rowId: row.id, queuedAt: row.createdAt, checkFirst: row.maybePerformed };
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: { row?: unknown } };
}

/**
 * The two Web API calls the outbox makes, with Slack's errors turned into what to do about them.
 * Every post goes through the pace, whoever asks for it (a request, its thread, an alert, a notice).
 */
export class SlackCalls {
  constructor(
    /** A WebClient with retries: 0 and rejectRateLimitedCalls, so the outbox alone decides when to retry. */
    private readonly client: WebClient,
    /** How long the POST of a file's bytes to Slack's upload URL may take (the WebClient's own calls have its timeout). */
    private readonly uploadTimeoutMs = 10_000,
  ) {}

  async post(pace: PostPace, channel: string, message: SlackMessage, threadTs?: string, mark?: PostMark): Promise<PostOutcome> {
    if (mark?.checkFirst) {
      const earlier = await this.findPosted(channel, threadTs, mark);
      if ('failure' in earlier) return { ok: false, endpoint: 'chat.postMessage', failure: earlier.failure };
      if (earlier.posted) return { ok: true, posted: earlier.posted };
    }
    const metadata = mark ? { metadata: { event_type: OUTBOX_EVENT_TYPE, event_payload: { row: String(mark.rowId) } } } : {};
    try {
      const res = (await pace.run(channel, () =>
        this.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...(threadTs ? { thread_ts: threadTs } : {}), ...metadata }),
      )) as { channel?: string; ts?: string };
      if (!res.ts) return { ok: false, endpoint: 'chat.postMessage', failure: { kind: 'permanent', reason: 'Slack answered without a message ts' } };
      return { ok: true, posted: { channel: res.channel ?? channel, ts: res.ts } };
    } catch (err) {
      return { ok: false, endpoint: 'chat.postMessage', failure: classifySlackError(err) };
    }
  }

  /**
   * The message an earlier attempt of this row posted, if Slack performed it: the channel's history
   * (or the thread's replies) since the row was queued, matched by the row id in its metadata.
   * A Slack refusal to read (a missing history scope) is no answer either way: the post goes ahead,
   * as before this check existed; a passing failure keeps the row "unanswered" so the next try checks again.
   */
  private async findPosted(
    channel: string,
    threadTs: string | undefined,
    mark: PostMark,
  ): Promise<{ posted: PostedMessage | null } | { failure: DeliveryFailure }> {
    const oldest = ((mark.queuedAt.getTime() - CLOCK_SLACK_MS) / 1000).toFixed(6);
    try {
      const res = threadTs
        ? await this.client.conversations.replies({ channel, ts: threadTs, oldest, limit: HISTORY_PAGE, include_all_metadata: true })
        : await this.client.conversations.history({ channel, oldest, limit: HISTORY_PAGE, include_all_metadata: true });
      const messages = (res.messages ?? []) as HistoryMessage[];
      const found = messages.find((m) => m.metadata?.event_type === OUTBOX_EVENT_TYPE && m.metadata.event_payload?.row === String(mark.rowId));
      return { posted: found?.ts ? { channel, ts: found.ts } : null };
    } catch (err) {
      const failure = classifySlackError(err);
      // Still possibly performed: the next attempt checks again before posting.
      if (failure.kind === 'retry')
        return { failure: { ...failure, reason: `checking for an unanswered earlier post failed (${failure.reason})`, unanswered: true } };
      return { posted: null };
    }
  }

  /**
   * A file shared in a thread, the way Slack wants it now (files.uploadV2: getUploadURLExternal,
   * POST the bytes, completeUploadExternal). Paced with the channel's posts: it posts a message too.
   */
  async uploadToThread(pace: PostPace, channel: string, threadTs: string, file: ThreadFile): Promise<UploadOutcome> {
    // The three steps are made here rather than by filesUploadV2: @slack/web-api 8.2 sends the alt text as `alt_text`,
    // while files.getUploadURLExternal documents `alt_txt` (and ignores anything else), so screen readers got nothing.
    let target: { uploadUrl: string; fileId: string };
    try {
      const res = (await this.client.apiCall('files.getUploadURLExternal', {
        filename: file.filename,
        length: file.bytes.length,
        alt_txt: file.altText,
      })) as { upload_url?: unknown; file_id?: unknown };
      if (typeof res.upload_url !== 'string' || typeof res.file_id !== 'string') {
        return { ok: false, failure: { kind: 'permanent', reason: 'files.getUploadURLExternal answered without upload_url / file_id' } };
      }
      target = { uploadUrl: res.upload_url, fileId: res.file_id };
    } catch (err) {
      return { ok: false, failure: classifySlackError(err) };
    }
    const sent = await this.sendBytes(target.uploadUrl, file);
    if (sent) return { ok: false, failure: sent };
    try {
      await pace.run(channel, () =>
        this.client.files.completeUploadExternal({ files: [{ id: target.fileId, title: file.title }], channel_id: channel, thread_ts: threadTs }),
      );
      return { ok: true };
    } catch (err) {
      return { ok: false, failure: classifySlackError(err) };
    }
  }

  /** Step 2: the bytes as the one file part of a form (the `-F filename=@…` of Slack's example). Null when Slack took them. */
  private async sendBytes(uploadUrl: string, file: ThreadFile): Promise<DeliveryFailure | null> {
    const form = new FormData();
    form.append('filename', new Blob([new Uint8Array(file.bytes)]), file.filename);
    try {
      const res = await fetch(uploadUrl, { method: 'POST', body: form, redirect: 'error', signal: AbortSignal.timeout(this.uploadTimeoutMs) });
      const body = await res.text();
      if (res.status === 200) return null;
      const failure = classifyHttpStatus(res.status, null, body);
      return { ...failure, reason: `the upload of the file's bytes failed (${failure.reason})` };
    } catch (err) {
      const cause = err instanceof Error ? err.message : String(err);
      return { kind: 'retry', reason: `no answer from Slack's upload host: ${cause}`, unanswered: true };
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
