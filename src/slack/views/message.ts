import type { KnownBlock } from '@slack/types';

/** What every builder returns: blocks plus the plain fallback Slack uses for notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** chat.update rejects fallback text over 4,000 characters (msg_too_long). */
export const MAX_FALLBACK_TEXT = 3_000;
