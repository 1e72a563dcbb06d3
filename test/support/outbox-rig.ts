/**
 * The outbox against the Slack stand-in: a real WebClient (retries 0, rate-limited calls
 * rejected, as the bot builds it), a real database, the real dispatcher with short backoffs.
 */
import { Writable } from 'node:stream';
import { WebClient } from '@slack/web-api';
import type { ActionRequest } from '../../src/domain/requests';
import type { Finding } from '../../src/domain/types';
import { createLogger } from '../../src/logger';
import { makeFinding } from '../../src/rules/rule';
import { OutboxAlertNotifier } from '../../src/slack/alert-notifier';
import { OutboxRequestNotifier } from '../../src/slack/notifier';
import { OutboxDispatcher, responseUrlPolicy, SlackDelivery, type DispatcherOptions } from '../../src/slack/outbox';
import { openDatabase, OutboxStore, RequestsStore, type Database } from '../../src/store';
import { AlertsStore } from '../../src/store/alerts-store';
import { quietLogger } from '../standins/slack/quiet-logger';
import { startSlack, type SlackStandIn } from '../standins/slack/server';
import { BOT_TOKEN, SECURITY_CHANNEL, SIGNING_SECRET, seedSlack } from './harness';
import { TableAlertMessages } from './outbox-alert-messages';

export interface Rig {
  slack: SlackStandIn;
  database: Database;
  requests: RequestsStore;
  outbox: OutboxStore;
  dispatcher: OutboxDispatcher;
  notifier: OutboxRequestNotifier;
  alerts: AlertsStore;
  alertMessages: TableAlertMessages;
  alertNotifier: OutboxAlertNotifier;
  logs: string[];
  /** A second replica on the same database. */
  replica(owner: string): OutboxDispatcher;
  newRequest(): Promise<ActionRequest>;
  /** Claims an alert for a distant-places finding about `userId` over session roots `sessionIds`. */
  newAlert(userId: string, sessionIds: string[]): Promise<Finding>;
  close(): Promise<void>;
}

/** The stand-in enforces no pace unless a test asks it to, so the dispatcher paces only where a test turns both on. */
export const FAST: DispatcherOptions = { pollMs: 50, backoff: { baseMs: 40, maxMs: 400 }, leaseMs: 5_000, channelPace: null };

export async function startRig(options: { dispatcher?: DispatcherOptions; databaseUrl?: string; start?: boolean } = {}): Promise<Rig> {
  const slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
  seedSlack(slack);
  const database = await openDatabase(options.databaseUrl ?? 'sqlite::memory:');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const logger = createLogger('debug', sink);
  const requests = new RequestsStore(database);
  const outbox = new OutboxStore(database);
  const alerts = new AlertsStore(database);
  const alertMessages = new TableAlertMessages(alerts);
  const client = new WebClient(BOT_TOKEN, {
    slackApiUrl: slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 2_000,
    logger: quietLogger,
  });
  const delivery = new SlackDelivery({
    client,
    channel: SECURITY_CHANNEL,
    requests,
    alerts: alertMessages,
    responseUrlAllowed: responseUrlPolicy(slack.apiUrl),
    responseUrlTimeoutMs: 2_000,
    logger,
    now: () => new Date(),
    // What the stand-in's auth.test answers as `url`, as the bot reads it at start.
    workspaceUrl: () => `https://${slack.workspace.ids.teamDomain}.slack.com/`,
  });
  const made: OutboxDispatcher[] = [];
  const dispatcherFor = (owner: string) => {
    const d = new OutboxDispatcher(outbox, delivery, logger, { ...FAST, ...options.dispatcher, owner });
    made.push(d);
    return d;
  };
  const dispatcher = dispatcherFor('replica-a');
  const notifier = new OutboxRequestNotifier(outbox, () => dispatcher.wake());
  const alertNotifier = new OutboxAlertNotifier(outbox, () => dispatcher.wake());
  if (options.start !== false) dispatcher.start();
  return {
    slack,
    database,
    requests,
    outbox,
    dispatcher,
    notifier,
    alerts,
    alertMessages,
    alertNotifier,
    logs,
    replica: dispatcherFor,
    newRequest: () =>
      requests.create(
        {
          kind: 'freeze',
          params: {},
          target: { userId: '005000000000001AAA', username: 'alice@acme.com', name: 'Alice Doe', email: 'alice@acme.com' },
          reason: 'Login from an unexpected country',
          requestedBy: 'U0ADMIN01',
          requiredApprovals: 1,
          evidence: null,
          expiresAt: new Date(Date.now() + 3_600_000),
        },
        new Date(),
      ),
    async newAlert(userId, sessionIds) {
      const finding = makeFinding({
        rule: 'distant-places',
        userId,
        subject: 'sessions',
        rowIds: sessionIds,
        sessionIds,
        severity: 'high',
        message: 'another session from Moscow, RU',
      });
      await alerts.claim(finding, new Date());
      return finding;
    },
    async close() {
      for (const d of made) await d.stop();
      await slack.close();
      await database.close();
    },
  };
}

/** Root messages the bot posted in the security channel. */
export function rootsOf(slack: SlackStandIn) {
  return slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && !m.thread_ts);
}

export function threadOf(slack: SlackStandIn, ts: string) {
  return slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && m.thread_ts === ts);
}

/** Log lines as objects. */
export function parsedLogs(logs: string[]): Record<string, unknown>[] {
  return logs.map((l) => JSON.parse(l) as Record<string, unknown>);
}
