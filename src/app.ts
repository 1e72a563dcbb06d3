import type { App } from '@slack/bolt';
import type { Config } from './config';
import { databaseEndpoint, describeFailure } from './describe-failure';
import { createLogger, type Logger } from './logger';
import { createOperations } from './operations';
import { Executor } from './requests/executor';
import { Reconciler } from './requests/reconciler';
import { RequestService } from './requests/service';
import { Verifier } from './requests/verifier';
import { AccessControl, approverDirectory } from './slack/access';
import { registerListeners } from './slack/listeners';
import { postToResponseUrl, type DispatcherOptions, type OutboxDispatcher } from './slack/outbox';
import { AuditStore, openDatabase, RequestsStore, type OutboxStore } from './store';
import { AuditWitness, witnessFileFor } from './store/audit-witness';
import { ModalSeal } from './slack/modal-seal';
import { outboxOperations } from './operations/outbox';
import type { Monitor } from './monitor/monitor';
import { alertsEndedBy, buildAlertParts, buildMonitor } from './wiring/monitor';
import { buildAskMessages, buildAskUser } from './wiring/ask-user';
import { buildDigestParts } from './wiring/digests';
import { buildHome } from './wiring/home';
import type { HomePublisherOptions } from './slack/home-publisher';
import { buildInvestigation, waysBackInHook } from './wiring/investigation';
import { buildOrgView } from './wiring/org';
import { buildOutbox } from './wiring/outbox';
import { buildSuppressions } from './wiring/suppressions';
import type { SuppressionOperations } from './operations/suppressions';
import { buildSalesforce, type SalesforceKnobs } from './wiring/salesforce';
import { buildSlackApp, type SlackKnobs } from './wiring/slack-app';

/** Knobs the tests (and benchmarks) turn; production uses the defaults. */
export interface WardenOptions extends SalesforceKnobs, SlackKnobs {
  logger?: Logger;
  now?: () => Date;
  /** The Slack outbox's poll, lease and backoff; tests shorten the backoff. */
  outbox?: DispatcherOptions;
  /** The App Home tab's debounce and views.publish pace. */
  home?: HomePublisherOptions;
}

export interface Warden {
  app: App;
  logger: Logger;
  /** Starts the receiver; in HTTP mode resolves the port actually bound. */
  start(): Promise<{ port: number | null }>;
  /** One pass of the request timers: expire overdue requests, run due re-checks. */
  tick(): Promise<void>;
  requests: { store: RequestsStore; audit: AuditStore; service: RequestService };
  /** The alert monitor; tests call `pollOnce()` with MONITOR_INTERVAL_SECONDS=0. */
  monitor: Monitor;
  /** "Mark expected": the suppressions people made (tests read the counts through it). */
  suppressions: SuppressionOperations;
  /** Messages owed to Slack; tests use `dispatcher.drain()` / `idle()`. */
  outbox: { store: OutboxStore; dispatcher: OutboxDispatcher };
  stop(): Promise<void>;
}

/** Salesforce documents up to 30 minutes before an ended session stops working everywhere. */
const RECHECK_AFTER_MINUTES = 30;
const TICK_MS = 30_000;
/** Listed people's Slack profiles are re-read this often, so checks can be decided while Slack is down. */
const PROFILE_REFRESH_MS = 10 * 60_000;

/**
 * The composition root: the only module that knows every part. It wires Salesforce access, the
 * request service, storage, the Slack outbox and the Slack surface together from a Config, so
 * tests can build the real bot against local stand-ins by changing URLs.
 */
export async function createWarden(config: Config, options: WardenOptions = {}): Promise<Warden> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const now = options.now ?? (() => new Date());
  // Migrations run here, before anything can read or write a request.
  const database = await openDatabase(config.databaseUrl, { logger: logger.child({ component: 'store' }) });
  const salesforce = buildSalesforce(config, options, logger, now);
  // ok / degraded with a reason per part. A Salesforce login that is down stays HTTP 200: the
  // client recovers by itself and a restart would not help; a lost database is 503.
  const slack = buildSlackApp(config, options, logger, async () => {
    const db = await database.health();
    const sf = salesforce.client.health();
    const m = monitor.current();
    const permissions = salesforce.permissions.health();
    // A lost audit chain is not healed by a restart (that is how it got lost): degraded, still HTTP 200.
    const chain = audit.lostChain;
    return {
      ok: db.ok && sf.ok && permissions.ok && !chain,
      status: db.ok ? 200 : 503,
      database: !db.ok ? { degraded: db.reason } : chain ? { degraded: chain } : 'ok',
      salesforce: sf.ok ? 'ok' : { degraded: sf.reason, since: sf.since.toISOString() },
      // Which permissions the integration user lacks and what each hides (unknown: could not be read).
      salesforcePermissions: permissions,
      monitor: {
        role: m.role,
        lastPollAt: m.lastPollAt?.toISOString() ?? null,
        callsToday: m.callsToday,
        budget: m.budget,
        ...(m.lastError ? { lastError: m.lastError } : {}),
      },
    };
  });

  const requestsStore = new RequestsStore(database);
  const audit = new AuditStore(database, {
    logger: logger.child({ component: 'audit' }),
    hmacKey: config.auditHmacKey,
    // A deleted SQLite file comes back empty and valid: only a file beside it remembers that a chain existed.
    witness: database.sqliteFile ? new AuditWitness(witnessFileFor(database.sqliteFile), logger.child({ component: 'audit' })) : null,
  });
  await audit.checkWitness();
  const alertParts = buildAlertParts(database, now);
  // A storm's digest queues through the outbox, and the outbox renders digests: the notifier is handed over late.
  const digests = buildDigestParts(database, alertParts, () => outbox.alertNotifier, now);
  // Read from auth.test at start: permalinks live on the workspace's own host.
  let workspaceUrl: string | null = null;
  const outbox = buildOutbox(config, database, requestsStore, logger, {
    ...options,
    alerts: digests.alertMessages,
    digests: digests.messages,
    asks: buildAskMessages(database, alertParts),
    // Whatever is queued for Slack changed what the App Home tab shows (an alert, a request).
    onChange: () => home.changed(),
    workspaceUrl: () => workspaceUrl,
  });
  let teamId: string | null = null;
  let enterpriseId: string | null = null;
  const access = new AccessControl(
    slack.app.client,
    { admins: config.admins, approvers: config.approvers, teamId: () => teamId, enterpriseId: () => enterpriseId },
    logger.child({ component: 'access' }),
  );
  const investigation = buildInvestigation(
    { activity: salesforce.activity, settings: config, botUserId: salesforce.botUserId, now },
    { rest: salesforce.rest, activity: salesforce.activity, requests: requestsStore, permissions: salesforce.permissions },
  );
  // After a Contain: what could still let the attacker in, in the thread and the audit chain.
  const waysBackIn = waysBackInHook({ investigation, audit, notifier: outbox.notifier, logger: logger.child({ component: 'investigation' }), now });
  const alertsEnded = alertsEndedBy(alertParts, outbox.alertNotifier, salesforce.botUserId, now);
  const executor = new Executor({ actions: salesforce.actions, logger: logger.child({ component: 'executor' }), now });
  const service = new RequestService(
    requestsStore,
    audit,
    executor,
    new Verifier({ actions: salesforce.actions }),
    new Reconciler({ actions: salesforce.actions, executor, logger: logger.child({ component: 'reconciler' }), now }),
    outbox.notifier,
    logger.child({ component: 'requests' }),
    {
      recheckAfterMinutes: RECHECK_AFTER_MINUTES,
      now,
      onFinished: async (request) => {
        await waysBackIn(request);
        await alertsEnded(request);
      },
    },
    approverDirectory(access),
  );
  // A request interrupted by a crash that could not be reconciled while Salesforce was down runs as soon as the bot is logged in again.
  salesforce.client.onLogin(() => {
    service.resumeDeferred().catch((err: unknown) => logger.error({ err }, 'could not resume requests waiting for Salesforce'));
  });
  const asks = buildAskUser(config, {
    database,
    parts: alertParts,
    audit,
    executor,
    client: slack.app.client,
    askNotifier: outbox.askNotifier,
    alertNotifier: outbox.alertNotifier,
    logger,
    now,
  });
  const suppressions = buildSuppressions(database, alertParts, audit, outbox.alertNotifier, now);
  const monitor = buildMonitor(config, {
    ...alertParts,
    rest: salesforce.rest,
    database,
    notifier: outbox.alertNotifier,
    botUserId: salesforce.botUserId,
    logger,
    now,
    suppressions: suppressions.gate,
    digest: (findings) => digests.digest(findings),
    onAlertClaimed: asks.autoAsk,
    onAlertHeld: asks.askFirst,
    grantsHidden: () => salesforce.permissions.grantsHidden(),
  });
  const org = buildOrgView(config, { database, alertParts, rest: salesforce.rest, botUserId: salesforce.botUserId, now });
  const home = buildHome({
    config,
    slackTimeoutMs: options.slackTimeoutMs,
    options: options.home,
    access,
    database,
    requests: requestsStore,
    alertParts,
    monitor: () => monitor,
    logger,
    now,
    org: () => org.homeSummary(),
  });
  const ops = createOperations({ activity: salesforce.activity, service, audit, settings: config, botUserId: salesforce.botUserId, now });
  registerListeners(slack.app, {
    logger,
    access,
    ops,
    suppressions: suppressions.ops,
    asks: asks.ops,
    digests,
    home,
    org,
    investigate: investigation.slack,
    loginHistoryDays: config.loginHistoryDays,
    loginHistoryLimit: config.loginHistoryLimit,
    describeError: (err) => describeFailure(err, { database: databaseEndpoint(config.databaseUrl) }).sentence,
    // Socket Mode may run without a signing secret; the bot token is as private to the bot.
    outbox: outboxOperations({ outbox: outbox.store, audit, wake: () => outbox.dispatcher.wake(), now }),
    modalSeal: new ModalSeal(config.slack.signingSecret ?? config.slack.botToken),
    now,
    replyLater: async (url, message) => {
      if (!outbox.responseUrlAllowed(url)) {
        logger.warn('refused to post to a response_url outside Slack');
        return;
      }
      const failure = await postToResponseUrl(url, message, options.slackTimeoutMs ?? 10_000);
      if (failure) logger.warn({ reason: failure.reason }, 'could not answer on a response_url');
    },
  });

  // Expiry and the delayed re-check run on a timer; tests call tick() with a moved clock.
  const tick = async (): Promise<void> => {
    await service.expireDue();
    await service.recheckDue();
    // Interrupted requests still waiting for Salesforce (a login that came back without a re-login, a 503 storm that passed).
    await service.resumeDeferred();
    // "Was this you?" left unanswered past ASK_USER_TIMEOUT_MINUTES escalates its alert.
    await asks.ops.escalateDue();
  };
  const timers: NodeJS.Timeout[] = [];
  const every = (ms: number, what: string, run: () => Promise<unknown>): void => {
    const timer = setInterval(() => {
      run().catch((err: unknown) => logger.error({ err }, `${what} failed`));
    }, ms);
    timer.unref();
    timers.push(timer);
  };

  return {
    app: slack.app,
    logger,
    async start() {
      // First, so messages queued before a restart (and by the recovery below) go out while it runs.
      outbox.dispatcher.start();
      await slack.app.init();
      const auth = (await slack.app.client.auth.test()) as { team_id?: string; enterprise_id?: string; url?: string };
      teamId = auth.team_id ?? null;
      workspaceUrl = auth.url ?? null;
      enterpriseId = auth.enterprise_id || null;
      await access.warm();
      await salesforce.connect();
      // Requests a crash left approved or half-executed are finished before new clicks arrive.
      try {
        await service.recoverOnStart();
      } catch (err) {
        logger.error({ err }, 'could not recover interrupted requests; they stay as they are for a human to check');
      }
      every(TICK_MS, 'request timer', tick);
      monitor.start();
      every(PROFILE_REFRESH_MS, 'reading listed Slack profiles', () => access.warm());
      const port = await slack.listen();
      logger.info({ mode: slack.socketMode ? 'socket' : 'http', port, team: teamId }, 'Session Warden is running');
      return { port };
    },
    tick,
    requests: { store: requestsStore, audit, service },
    monitor,
    suppressions: suppressions.ops,
    outbox: { store: outbox.store, dispatcher: outbox.dispatcher },
    async stop() {
      await monitor.stop();
      home.stop();
      salesforce.client.stop();
      for (const timer of timers) clearInterval(timer);
      await slack.app.stop();
      await outbox.dispatcher.stop();
      await database.close();
    },
  };
}
