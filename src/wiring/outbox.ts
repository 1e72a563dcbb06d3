import { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { boltLogger } from '../slack/bolt-logger';
import { noticeOutboxKey, OutboxAlertNotifier } from '../slack/alert-notifier';
import { DEAD_LETTER_NOTICE, deadLetterNotice } from '../slack/views/dead-letter';
import { OutboxAskNotifier } from '../slack/ask-notifier';
import { OutboxRequestNotifier } from '../slack/notifier';
import {
  OutboxDispatcher,
  responseUrlPolicy,
  SlackDelivery,
  type AlertMessages,
  type AskMessages,
  type DigestMessages,
  type DispatcherOptions,
} from '../slack/outbox';
import type { Database } from '../store/database';
import { OutboxStore, type RequestsStore } from '../store';

export interface OutboxParts {
  store: OutboxStore;
  dispatcher: OutboxDispatcher;
  notifier: OutboxRequestNotifier;
  alertNotifier: OutboxAlertNotifier;
  askNotifier: OutboxAskNotifier;
  /** Whether a response_url may be posted to (Slack's hook host, or the configured API host in tests). */
  responseUrlAllowed: (url: string) => boolean;
}

/**
 * Every request message owed to Slack goes through a durable outbox. Its own WebClient never
 * retries nor sleeps on a 429 by itself, so the outbox alone decides when to try again.
 */
export function buildOutbox(
  config: Config,
  database: Database,
  requests: RequestsStore,
  logger: Logger,
  knobs: {
    slackTimeoutMs?: number;
    outbox?: DispatcherOptions;
    alerts: AlertMessages;
    digests?: DigestMessages;
    /** Renders the "was this you?" DMs at delivery (src/wiring/ask-user.ts). */
    asks?: AskMessages;
    /** Called whenever an alert or request message is queued: what the App Home tab shows has changed. */
    onChange?: () => void;
    /** The workspace's URL (auth.test), known once the bot has started; message permalinks are built on it. */
    workspaceUrl?: () => string | null;
  },
): OutboxParts {
  const store = new OutboxStore(database);
  const client = new WebClient(config.slack.botToken, {
    slackApiUrl: config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: knobs.slackTimeoutMs ?? 10_000,
    logger: boltLogger(logger),
  });
  const responseUrlAllowed = responseUrlPolicy(config.slack.apiUrl);
  const log = logger.child({ component: 'outbox' });
  const dispatcher = new OutboxDispatcher(
    store,
    new SlackDelivery({
      client,
      channel: config.securityChannel,
      requests,
      responseUrlAllowed,
      responseUrlTimeoutMs: knobs.slackTimeoutMs ?? 10_000,
      logger: log,
      now: () => new Date(),
      ...(knobs.workspaceUrl ? { workspaceUrl: knobs.workspaceUrl } : {}),
      alerts: knobs.alerts,
      ...(knobs.digests ? { digests: knobs.digests } : {}),
      ...(knobs.asks ? { asks: knobs.asks } : {}),
    }),
    log,
    // Slack takes about one post per second per channel; an alert storm must not earn 429s.
    {
      channelPace: { perChannelPerSecond: 1 },
      ...knobs.outbox,
      // Dead letters were visible only in the log: one notice tells the channel, and how to replay them.
      onDeadLetter: async (row, reason) => {
        const key = noticeOutboxKey(DEAD_LETTER_NOTICE);
        // A notice that itself died is not announced again; one waiting notice covers a burst.
        if (row.key === key || (await store.hasPending(key, 'notice'))) return;
        const message = deadLetterNotice({ id: row.id, kind: row.kind, reason, ...('requestId' in row ? { requestId: row.requestId } : {}) });
        await store.enqueue({ key, kind: 'notice', payload: { text: message.text, blocks: message.blocks } }, new Date());
        dispatcher.wake();
      },
    },
  );
  const wake = () => {
    dispatcher.wake();
    knobs.onChange?.();
  };
  return {
    store,
    dispatcher,
    notifier: new OutboxRequestNotifier(store, wake),
    alertNotifier: new OutboxAlertNotifier(store, wake),
    askNotifier: new OutboxAskNotifier(store, wake),
    responseUrlAllowed,
  };
}
