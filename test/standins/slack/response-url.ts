/**
 * response_url endpoints (POST JSON, no token). Slack allows 5 uses within 30 minutes of the
 * invocation; afterwards it answers 404 `used_url` / `expired_url`, which Bolt's respond()
 * surfaces as a RespondError with statusCode 404. Success is a plain-text 200 `ok`.
 */
import { bareErrors, judgeMessageBlocks } from './blockkit';
import type { FaultAnswer } from './faults';
import type { ResponseUrlGrant, Workspace } from './state';

export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface ResponseUrlReply {
  status: number;
  /** Slack answers response_url posts in text/plain, except JSON detail for invalid blocks. */
  body: string;
  contentType: string;
}

export interface RecordedResponse {
  /** The numeric id in the URL path, as returned by newResponseUrl. */
  urlId: string;
  url: string;
  /** The JSON the app posted, or the raw text if it was not JSON. */
  body: unknown;
  status: number;
  reply: string;
  at: number;
  /** The message the URL belongs to, for block_actions responses. */
  context: ResponseUrlGrant['context'];
  /** Set when an injected fault answered (the post was then not applied). */
  fault?: FaultAnswer['fault'];
}

const text = (status: number, body: string): ResponseUrlReply => ({ status, body, contentType: 'text/plain; charset=utf-8' });

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function handleResponseUrlPost(ws: Workspace, grant: ResponseUrlGrant | undefined, secret: string, raw: string): ResponseUrlReply {
  if (!grant || grant.secret !== secret) return text(404, 'no_service');
  if (ws.clock.now() - grant.issuedAt > RESPONSE_URL_TTL_MS) return text(404, 'expired_url');
  if (grant.uses >= RESPONSE_URL_MAX_USES) return text(404, 'used_url');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return text(400, 'invalid_payload');
  }
  if (!isObj(body)) return text(400, 'invalid_payload');
  const deleting = body.delete_original === true || body.delete_original === 'true';
  const hasText = typeof body.text === 'string' && body.text !== '';
  if (!deleting && !hasText && body.blocks === undefined && body.attachments === undefined) return text(400, 'no_text');
  if (body.blocks !== undefined) {
    const verdict = judgeMessageBlocks(body.blocks);
    if (verdict.error !== null) {
      if (verdict.error === 'invalid_blocks') {
        return {
          status: 400,
          body: JSON.stringify({ ok: false, error: 'invalid_blocks', errors: bareErrors(verdict.messages), response_metadata: { messages: verdict.messages } }),
          contentType: 'application/json; charset=utf-8',
        };
      }
      return text(400, verdict.error);
    }
  }
  grant.uses += 1;
  applyToOriginal(ws, grant, body, deleting);
  return text(200, 'ok');
}

/** replace_original / delete_original act on the message a block action came from, if the stand-in knows it. */
function applyToOriginal(ws: Workspace, grant: ResponseUrlGrant, body: Obj, deleting: boolean): void {
  const { channel, message_ts } = grant.context;
  const original = channel !== undefined && message_ts !== undefined ? ws.findMessage(channel, message_ts) : undefined;
  if (original && deleting) {
    original.deleted = true;
    return;
  }
  const replacing = body.replace_original === true || body.replace_original === 'true';
  if (original && replacing) {
    original.history.push({ text: original.text, blocks: original.blocks, at: ws.clock.now(), via: 'response_url' });
    original.text = typeof body.text === 'string' ? body.text : '';
    original.blocks = Array.isArray(body.blocks) ? (body.blocks as unknown[]) : undefined;
    return;
  }
  // An in_channel response is a real, visible message from the app.
  if (body.response_type === 'in_channel' && channel !== undefined) {
    ws.messages.push({
      channel,
      ts: ws.nextTs(),
      ...(typeof body.thread_ts === 'string' ? { thread_ts: body.thread_ts } : {}),
      user: ws.ids.botUserId,
      bot_id: ws.ids.botId,
      text: typeof body.text === 'string' ? body.text : '',
      blocks: Array.isArray(body.blocks) ? (body.blocks as unknown[]) : undefined,
      deleted: false,
      history: [],
    });
  }
}
