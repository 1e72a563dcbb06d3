import type { SlackMessage } from '../views';
import { classifyHttpStatus, retryAfterSeconds, type DeliveryFailure } from './slack-errors';

/** Slack's own host for response_urls. */
export const SLACK_HOOK_HOST = 'hooks.slack.com';
const DEFAULT_API_HOST = 'slack.com';

/**
 * Hosts a response_url may point at: Slack's hook host, plus the Web API host when SLACK_API_URL
 * is overridden (the tests' local stand-in). A response_url arrives inside a request Slack signed,
 * but it is then carried through a modal's private_metadata; checking the host here means a forged
 * one can never make the bot POST anywhere else.
 */
export function responseUrlPolicy(apiUrl: string): (url: string) => boolean {
  const api = new URL(apiUrl);
  const overridden = api.host !== DEFAULT_API_HOST;
  return (raw: string) => {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return false;
    }
    if (url.username || url.password) return false;
    if (url.protocol === 'https:' && url.host === SLACK_HOOK_HOST) return true;
    return overridden && url.protocol === api.protocol && url.host === api.host;
  };
}

/** Only the host, for logs: the path of a response_url is a credential for the conversation. */
export function hostOf(raw: string): string {
  try {
    return new URL(raw).host;
  } catch {
    return '(not a URL)';
  }
}

/** POSTs an ephemeral message to a response_url; null on success, otherwise what went wrong. */
export async function postToResponseUrl(url: string, message: SlackMessage, timeoutMs: number): Promise<DeliveryFailure | null> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text: message.text, blocks: message.blocks }),
      redirect: 'error',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    return { kind: 'retry', reason: `no answer from Slack's response_url host: ${err instanceof Error ? err.message : String(err)}` };
  }
  const body = await res.text().catch(() => '');
  if (res.ok) return null;
  return classifyHttpStatus(res.status, retryAfterSeconds(res.headers.get('retry-after')), body);
}
