export { backoffMs, type BackoffPolicy } from './backoff';
export { endpointOf, SlackDelivery, type Delivery, type DeliveryResult, type ReplyPayload, type RespondPayload, type SlackDeliveryDeps, type SlackEndpoint } from './delivery';
export { OutboxDispatcher, type DispatcherOptions } from './dispatcher';
export { hostOf, postToResponseUrl, responseUrlPolicy, SLACK_HOOK_HOST } from './response-url';
export { classifyHttpStatus, classifySlackError, retryAfterSeconds, type DeliveryFailure } from './slack-errors';
