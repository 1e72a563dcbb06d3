import type { OutboxKind, OutboxRow } from '../../store/outbox-store';
import { OUTBOX_KINDS } from '../../store/outbox-store';
import type { SlackMessage } from '../views';
import type { PostPace } from './channel-pace';
import type { DeliveryFailure } from './slack-errors';

/** What a row calls at Slack; the dispatcher pauses a method as a whole when Slack rate-limits it. */
export type SlackEndpoint = 'chat.postMessage' | 'chat.update' | 'response_url';

/** The call a row normally makes (an update whose message is gone posts instead, through the same pace). */
export function endpointOf(kind: OutboxKind): SlackEndpoint {
  switch (kind) {
    case 'update':
    case 'alert_update':
    case 'ask_update':
      return 'chat.update';
    case 'respond':
      return 'response_url';
    default:
      return 'chat.postMessage';
  }
}

/** Kinds that post a new message: Slack paces these per channel, so the dispatcher sends them one at a time. */
export const POSTING_KINDS: readonly OutboxKind[] = OUTBOX_KINDS.filter((k) => endpointOf(k) === 'chat.postMessage');
/** Kinds that edit a message or answer a response_url: not paced per channel, so they never queue behind posts. */
export const NON_POSTING_KINDS: readonly OutboxKind[] = OUTBOX_KINDS.filter((k) => endpointOf(k) !== 'chat.postMessage');

export type DeliveryResult = { ok: true } | { ok: false; endpoint: SlackEndpoint; failure: DeliveryFailure };

/** Delivers one outbox row; never throws for a Slack problem (a database error does throw). */
export interface Delivery {
  /** Every chat.postMessage goes through `pace`, the dispatcher's per-channel gate. */
  deliver(row: OutboxRow, pace: PostPace): Promise<DeliveryResult>;
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

/** A channel notice, rendered when it was enqueued: it reports a moment (polling paused, resumed), not a live state. */
export interface NoticePayload {
  text: string;
  blocks: SlackMessage['blocks'];
}
