import type { Server } from 'node:http';
import { App, HTTPReceiver, type Receiver } from '@slack/bolt';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { openDatabase } from './store';
import { createSalesforceClient, RefreshBreaker } from './salesforce/connection';
import { describeSalesforceError } from './salesforce/errors';
import { SalesforceRest } from './salesforce/rest';
import { UserActivityReader } from './salesforce/user-activity';
import { AccessControl } from './slack/access';
import { boltLogger } from './slack/bolt-logger';
import type { SlackDeps } from './slack/deps';
import { registerListeners } from './slack/listeners';

/** Knobs the tests (and benchmarks) turn; production uses the defaults. */
export interface WardenOptions {
  logger?: Logger;
  now?: () => Date;
  /** Records per Salesforce query page (200–2000). */
  queryBatchSize?: number;
  salesforceTimeoutMs?: number;
  /** Web API retries; tests use 0 so a fake 500 cannot stall them. */
  slackRetries?: number;
  slackTimeoutMs?: number;
}

export interface Warden {
  app: App;
  logger: Logger;
  /** Starts the receiver; in HTTP mode resolves the port actually bound. */
  start(): Promise<{ port: number | null }>;
  stop(): Promise<void>;
}

/**
 * The composition root: the only module that knows every part. It wires Salesforce access,
 * domain rules, storage and the Slack surface together from a Config, so tests can build the
 * real bot against local stand-ins by changing URLs.
 */
export async function createWarden(config: Config, options: WardenOptions = {}): Promise<Warden> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  // Migrations run here, before anything can read or write a request.
  const database = await openDatabase(config.databaseUrl, { logger: logger.child({ component: 'store' }) });

  const salesforce = createSalesforceClient(config.salesforce, logger.child({ component: 'salesforce' }), {
    breaker: new RefreshBreaker(),
    now,
  });
  const rest = new SalesforceRest(salesforce.conn, {
    apiVersion: config.salesforce.apiVersion,
    batchSize: options.queryBatchSize ?? 2000,
    timeoutMs: options.salesforceTimeoutMs ?? 20_000,
  });
  const activity = new UserActivityReader(rest);

  const socketMode = config.slack.appToken !== null;
  const clientOptions = {
    slackApiUrl: config.slack.apiUrl,
    // Bounded: a rate-limited or failing Slack cannot hold a handler for minutes.
    retryConfig: { retries: options.slackRetries ?? 2, factor: 2, minTimeout: 300, maxTimeout: 2000 },
    timeout: options.slackTimeoutMs ?? 10_000,
  };
  const receiver: Receiver | undefined = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret ?? '',
        endpoints: '/slack/events',
        logger: boltLogger(logger),
        customRoutes: [
          {
            path: '/healthz',
            method: ['GET'],
            handler: (_req, res) => {
              res.writeHead(200, { 'content-type': 'application/json' });
              res.end(JSON.stringify({ ok: true }));
            },
          },
        ],
      });
  const app = new App({
    token: config.slack.botToken,
    ...(socketMode ? { socketMode: true, appToken: config.slack.appToken ?? '' } : { receiver }),
    logger: boltLogger(logger),
    clientOptions,
    deferInitialization: true,
  });

  let teamId: string | null = null;
  let salesforceUserId: string | null = null;
  const access = new AccessControl(app.client, { admins: config.admins, approvers: config.approvers, teamId: () => teamId }, logger.child({ component: 'access' }));

  const deps: SlackDeps = {
    logger,
    access,
    activity,
    policy: config.policy,
    loginHistoryDays: config.loginHistoryDays,
    loginHistoryLimit: config.loginHistoryLimit,
    salesforceUserId: () => salesforceUserId,
    describeError: describeSalesforceError,
    now,
  };
  registerListeners(app, deps);
  app.error((err) => {
    logger.error({ err }, 'unhandled error in a Slack listener');
    return Promise.resolve();
  });

  return {
    app,
    logger,
    async start() {
      await app.init();
      const auth = (await app.client.auth.test()) as { team_id?: string };
      teamId = auth.team_id ?? null;
      try {
        const who = await salesforce.connect();
        salesforceUserId = who.userId ?? (await activity.currentUserId());
      } catch (err) {
        // Start anyway: each command re-authenticates and reports a clear sentence if it still fails.
        logger.error({ err: { code: (err as { errorCode?: string }).errorCode, message: (err as Error).message } }, 'could not connect to Salesforce at start');
      }
      const started = (socketMode ? await app.start() : await app.start(config.slack.port)) as unknown;
      const port = socketMode ? null : (((started as Server).address() as { port: number } | null)?.port ?? null);
      logger.info({ mode: socketMode ? 'socket' : 'http', port, team: teamId }, 'Session Warden is running');
      return { port };
    },
    async stop() {
      await app.stop();
      await database.close();
    },
  };
}
