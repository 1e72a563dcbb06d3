export { backoffMs, type BackoffPolicy } from './backoff';
export { ChannelPace, UNPACED, type PostPace } from './channel-pace';
export {
  endpointOf,
  NON_POSTING_KINDS,
  POSTING_KINDS,
  type Delivery,
  type DeliveryResult,
  type NoticePayload,
  type ReplyPayload,
  type RespondPayload,
  type SlackEndpoint,
} from './delivery';
export { type AlertMessages, type RenderedAlert } from './alert-delivery';
export { type AskMessages, type RenderedAsk } from './ask-delivery';
export { type DigestMessages, type DigestPayload, type RenderedDigest } from './digest-delivery';
export { SlackDelivery, type SlackDeliveryDeps } from './slack-delivery';
export { OutboxDispatcher, type DispatcherOptions } from './dispatcher';
export { hostOf, postToResponseUrl, responseUrlPolicy, SLACK_HOOK_HOST } from './response-url';
export { classifyHttpStatus, classifySlackError, retryAfterSeconds, type DeliveryFailure } from './slack-errors';
