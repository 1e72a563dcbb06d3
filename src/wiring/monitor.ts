import type { Config } from '../config';
import { specOf } from '../domain/action-kinds';
import { isBotOwnSession } from '../domain/families';
import { trustedNetworks } from '../domain/networks';
import type { ActionRequest } from '../domain/requests';
import type { Finding } from '../domain/types';
import type { Logger } from '../logger';
import { Monitor } from '../monitor/monitor';
import type { AlertNotifier, Leadership, SuppressionGate } from '../monitor/ports';
import { ALL_RULE_META } from '../rules/registry';
import { apiUsageOf } from '../salesforce/api-usage';
import { MonitorReader } from '../salesforce/monitor-reader';
import type { SalesforceRest } from '../salesforce/rest';
import type { OutboxAlertNotifier } from '../slack/alert-notifier';
import { groupHasMap, travelMapPlaces } from '../slack/map/travel-places';
import type { AlertMessages, RenderedAlert } from '../slack/outbox/alert-delivery';
import type { AlertMap } from '../slack/outbox/alert-image-delivery';
import { alertMessage, backlogNotice, budgetNotice } from '../slack/views';
import { acquireLeadership, AlertEscalations, AlertsStore, AsksStore, MonitorStateStore, MonitorStore, type Database } from '../store';

/** Late rows: each poll reads this far behind its watermarks again (deduplicated by Id). */
const POLL_OVERLAP_MS = 2 * 60_000;
/** The login rules look at least a day back; new-country wants the Login History window. */
const MIN_LOGIN_WINDOW_HOURS = 24;

export interface AlertParts {
  alerts: AlertsStore;
  mirror: MonitorStore;
  /** Renders alert rows for the outbox, at delivery time. */
  messages: AlertMessages;
}

/**
 * The monitor and its Slack side: Salesforce reads over the bot's connection, the mirror and
 * alerts in the database, messages through the outbox, one poller elected among replicas.
 */
export function buildMonitor(
  config: Config,
  deps: AlertParts & {
    rest: SalesforceRest;
    database: Database;
    notifier: OutboxAlertNotifier;
    botUserId: () => string | null;
    logger: Logger;
    now: () => Date;
    suppressions?: SuppressionGate;
    /**
     * Stores a storm's alerts as one digest and queues its message (src/wiring/digests.ts). Without
     * it (a bench or tool wiring the monitor alone) a storm is posted one alert at a time.
     */
    digest?: (findings: readonly Finding[]) => Promise<void>;
    /** Called once per newly claimed alert after its message is queued: the automatic "was this you?" (src/wiring/ask-user.ts). */
    onAlertClaimed?: (alertKey: string) => Promise<void>;
    /**
     * A medium alert held back from the channel: asks its person first (src/wiring/ask-user.ts), who
     * releases it by saying no or not answering. Without it nothing is held: every alert is posted.
     */
    onAlertHeld?: (alertKey: string) => Promise<void>;
    /** Why other users' OAuth grants are hidden from the bot (a missing permission), or null when they can be read. */
    grantsHidden?: () => string | null;
  },
): Monitor {
  const { mirror, alerts } = deps;
  const reader = new MonitorReader(deps.rest);
  const logger = deps.logger.child({ component: 'monitor' });
  const notifier: AlertNotifier = {
    alertPosted: async (key, group) => {
      await deps.notifier.alertPosted(key, group);
      // The map goes into the alert's thread, after the post (same outbox key).
      if (groupHasMap(group)) await deps.notifier.alertImage(key, group);
      await deps.onAlertClaimed?.(key);
    },
    alertUpdated: (key, group) => deps.notifier.alertUpdated(key, group),
    alertsDigested: async (findings) => {
      if (deps.digest) await deps.digest(findings);
      else for (const f of findings) await deps.notifier.alertPosted(f.key, f.groupKey);
      for (const f of findings) await deps.onAlertClaimed?.(f.key);
    },
    // One notice key, so "paused" and "resumed" reach the channel in the order they happened.
    budgetChanged: (state, usage) => deps.notifier.notice('api-budget', budgetNotice(state, usage)),
    alertHeld: async (key) => {
      await deps.onAlertHeld?.(key);
    },
    backlogSummarized: async (findings) => {
      const users = await mirror.usersByIds([...new Set(findings.map((f) => f.userId).filter(Boolean))]);
      await deps.notifier.notice('backlog', backlogNotice(findings, users, deps.now()));
    },
  };
  return new Monitor({
    source: {
      poll: (window) => reader.poll(window),
      fullScan: (onPage) => reader.fullScan(onPage),
      backfillLogins: (since, onPage, onProgress) => reader.backfillLogins(since, onPage, onProgress),
      usersById: (ids) => reader.usersById(ids),
      grants: async (request) => ({ ...(await reader.grants(request)), hidden: deps.grantsHidden?.() ?? null }),
      usage: () => apiUsageOf(deps.rest.conn),
    },
    mirror,
    state: new MonitorStateStore(deps.database),
    alerts,
    notifier,
    lead: async (): Promise<Leadership | null> => acquireLeadership(deps.database, 'monitor', { logger }),
    settings: {
      intervalSeconds: config.monitorIntervalSeconds,
      fullScanMinutes: config.fullScanMinutes,
      apiBudgetFloorPercent: config.apiBudgetFloorPercent,
      loginWindowHours: Math.max(MIN_LOGIN_WINDOW_HOURS, config.policy.failedLoginWindowMinutes / 60, config.loginHistoryDays * 24),
      overlapMs: POLL_OVERLAP_MS,
      digestThreshold: config.alertDigestThreshold,
      askFirst: deps.onAlertHeld !== undefined,
    },
    policy: config.policy,
    trusted: trustedNetworks(config.trustedNetworks),
    botUserId: deps.botUserId,
    logger,
    now: deps.now,
    ...(deps.suppressions ? { suppressions: deps.suppressions } : {}),
  });
}

/** The alerts table and the mirror, and how an alert row looks in Slack when the outbox delivers it. */
export function buildAlertParts(database: Database, now: () => Date): AlertParts {
  const mirror = new MonitorStore(database);
  const alerts = new AlertsStore(database);
  const asks = new AsksStore(database);
  const escalations = new AlertEscalations(database);
  const meta = new Map(ALL_RULE_META.map((m) => [m.id, m]));
  const messages: AlertMessages = {
    async render(alertKey): Promise<RenderedAlert | null> {
      const alert = await alerts.get(alertKey);
      // A held alert waits for its person's answer: nothing reaches the channel until it is released.
      if (!alert || alert.held) return null;
      const rule = meta.get(alert.rule) ?? { title: alert.rule, runbook: 'Look at the user in /sessions.' };
      const [user] = await mirror.usersByIds([alert.userId]);
      const wanted = new Set(alert.finding.sessionIds);
      const sessions = (await mirror.sessionsOfUsers([alert.userId])).filter((s) => wanted.has(s.id));
      const message = alertMessage({
        finding: alert.finding,
        rule,
        user: user ?? { name: alert.userId, username: alert.userId, email: '', profileName: null },
        sessions,
        now: now(),
        state: alert.state,
        ...(alert.state !== 'open' && alert.resolvedBy ? { resolution: alert.resolvedBy } : {}),
        // "Was this you?" (src/wiring/ask-user.ts): the ask, or null so an open alert offers one; and any escalation.
        ask: await asks.get(alertKey),
        escalation: (await escalations.get(alertKey))?.reason ?? null,
      });
      return { message, channelId: alert.channelId, messageTs: alert.messageTs };
    },
    async posted(alertKey, channelId, ts) {
      await alerts.setMessage(alertKey, channelId, ts);
    },
    async mapOf(alertKey): Promise<AlertMap | null> {
      const alert = await alerts.get(alertKey);
      const places = alert ? travelMapPlaces(alert.finding) : null;
      if (!alert || !places) return null;
      const [user] = await mirror.usersByIds([alert.userId]);
      const title = `${user?.name ?? alert.userId}: ${places.map((p) => p.label).join(' → ')}`;
      return { places, title, channelId: alert.channelId, messageTs: alert.messageTs };
    },
  };
  return { alerts, mirror, messages };
}

/**
 * After an approved request ended sessions: the mirror forgets them (the next full scan would
 * anyway) and the open alerts about them are resolved in place, naming the request and approver.
 */
export function alertsEndedBy(parts: AlertParts, notifier: OutboxAlertNotifier, botUserId: () => string | null, now: () => Date) {
  return async (request: ActionRequest): Promise<void> => {
    if (request.state !== 'done' || !specOf(request.kind).endsSessions) return;
    const userId = request.target.userId;
    if (request.kind === 'remove_session') await parts.mirror.forgetSessions({ ids: request.params.sessionIds });
    else await parts.mirror.forgetSessions({ userId, keep: (s) => isBotOwnSession(s, botUserId()) });
    const live = new Set((await parts.mirror.sessionsOfUsers([userId])).map((s) => s.id));
    const by = request.decidedBy ? ` approved by <@${request.decidedBy}>` : '';
    for (const alert of await parts.alerts.openForUser(userId)) {
      const { finding } = alert;
      if (finding.subject !== 'sessions' || finding.sessionIds.length === 0 || finding.sessionIds.some((id) => live.has(id))) continue;
      if (await parts.alerts.resolve(alert.key, `ended by request ${request.id}${by}`, now())) await notifier.alertUpdated(alert.key, alert.groupKey);
    }
  };
}
