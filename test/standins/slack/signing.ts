/**
 * Slack's request signing (docs.slack.dev/authentication/verifying-requests-from-slack):
 * `v0=` + hex HMAC-SHA256 of `v0:<timestamp>:<raw body>` keyed with the signing secret.
 */
import { createHmac } from 'node:crypto';

/** Ways to break a request on purpose, to prove the bot rejects it. */
export type Forge = 'bad-signature' | 'stale-timestamp' | 'no-signature';

/** Bolt rejects timestamps older than 5 minutes; 6 minutes is safely past that. */
const STALE_BY_SECONDS = 6 * 60;

export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return 'v0=' + createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex');
}

/** Headers Slack sends with an HTTP request to the bot, optionally forged. */
export function signedHeaders(signingSecret: string, rawBody: string, nowMs: number, forge?: Forge): Record<string, string> {
  const seconds = Math.floor(nowMs / 1000) - (forge === 'stale-timestamp' ? STALE_BY_SECONDS : 0);
  const timestamp = String(seconds);
  const headers: Record<string, string> = {
    // Bolt compares the media type with strict equality; Slack sends no charset.
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': timestamp,
  };
  if (forge === 'no-signature') return headers;
  const secret = forge === 'bad-signature' ? `${signingSecret}-forged` : signingSecret;
  headers['x-slack-signature'] = slackSignature(secret, timestamp, rawBody);
  return headers;
}
