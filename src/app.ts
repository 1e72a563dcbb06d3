import type { Server } from 'node:http';
import { App, HTTPReceiver, type Receiver } from '@slack/bolt';
import type { Config } from './config';
import { createLogger, type Logger } from './logger';
import { Executor } from './requests/executor';
import { Reconciler } from './requests/reconciler';
import { RequestService } from './requests/service';
import { Verifier } from './requests/verifier';
import { SalesforceActions } from './salesforce/actions';
import { createSalesforceClient, RefreshBreaker } from './salesforce/connection';
import { describeSalesforceError } from './salesforce/errors';
import { SalesforceRest } from './salesforce/rest';
import { UserActivityReader } from './salesforce/user-activity';
import { AccessControl } from './slack/access';
import { boltLogger } from './slack/bolt-logger';
import type { RequestDeps, SlackDeps } from './slack/deps';
import { registerListeners } from './slack/listeners';
import { SlackRequestNotifier } from './slack/notifier';
import { AuditStore, openDatabase, RequestsStore } from './store';

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
  /** One pass of the request timers: expire overdue requests, run due re-checks. */
  tick(): Promise<void>;
  requests: { store: RequestsStore; audit: AuditStore; service: RequestService };
  stop(): Promise<void>;
}

/** Salesforce documents up to 30 minutes before an ended session stops working everywhere. */
const RECHECK_AFTER_MINUTES = 30;
const TICK_MS = 30_000;

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
  // The integration user: from the login flow at start, or found later through IsCurrent.
  const botRef: { value?: string | null } = {};
  const access = new AccessControl(app.client, { admins: config.admins, approvers: config.approvers, teamId: () => teamId }, logger.child({ component: 'access' }));

  const deps: SlackDeps = {
    logger,
    access,
    activity,
    policy: config.policy,
    loginHistoryDays: config.loginHistoryDays,
    loginHistoryLimit: config.loginHistoryLimit,
    salesforceUserId: () => botRef.value ?? null,
    describeError: describeSalesforceError,
    now,
  };
  // Approvals: the request store and audit chain, the Salesforce executor side, Slack messages.
  const requestsStore = new RequestsStore(database);
  const audit = new AuditStore(database, { logger: logger.child({ component: 'audit' }) });
  const actions = new SalesforceActions(rest, { logger: logger.child({ component: 'actions' }) }, undefined, botRef);
  const executor = new Executor({ actions, logger: logger.child({ component: 'executor' }), now });
  const requests = new RequestService(
    requestsStore,
    audit,
    executor,
    new Verifier({ actions }),
    new Reconciler({ actions, executor, logger: logger.child({ component: 'reconciler' }), now }),
    new SlackRequestNotifier(app.client, config.securityChannel, logger.child({ component: 'notifier' }), now),
    logger.child({ component: 'requests' }),
    { recheckAfterMinutes: RECHECK_AFTER_MINUTES, now },
  );
  const requestDeps: RequestDeps = {
    service: requests,
    get: (id) => requestsStore.get(id),
    audit,
    ttlMinutes: config.requestTtlMinutes,
  };
  registerListeners(app, deps, requestDeps);

  // Expiry and the delayed re-check run on a timer; tests call tick() with a moved clock.
  const tick = async (): Promise<void> => {
    await requests.expireDue();
    await requests.recheckDue();
  };
  let timer: NodeJS.Timeout | null = null;

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
        botRef.value = who.userId ?? (await activity.currentUserId());
      } catch (err) {
        // Start anyway: each command re-authenticates and reports a clear sentence if it still fails.
        logger.error({ err: { code: (err as { errorCode?: string }).errorCode, message: (err as Error).message } }, 'could not connect to Salesforce at start');
      }
      // Requests a crash left approved or half-executed are finished before new clicks arrive.
      try {
        await requests.recoverOnStart();
      } catch (err) {
        logger.error({ err }, 'could not recover interrupted requests; they stay as they are for a human to check');
      }
      timer = setInterval(() => {
        tick().catch((err: unknown) => logger.error({ err }, 'request timer failed'));
      }, TICK_MS);
      timer.unref();
      const started = (socketMode ? await app.start() : await app.start(config.slack.port)) as unknown;
      const port = socketMode ? null : (((started as Server).address() as { port: number } | null)?.port ?? null);
      logger.info({ mode: socketMode ? 'socket' : 'http', port, team: teamId }, 'Session Warden is running');
      return { port };
    },
    tick,
    requests: { store: requestsStore, audit, service: requests },
    async stop() {
      if (timer) clearInterval(timer);
      await app.stop();
      await database.close();
    },
  };
}
