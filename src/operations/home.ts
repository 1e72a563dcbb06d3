/**
 * What the App Home tab shows an admin or approver, Slack-free: open alerts worst first, pending
 * approval requests with their age, active suppressions, and the monitor's own state.
 */
import type { Severity } from '../domain/types';
import type { ActionRequest } from '../domain/requests';
import type { MonitorStatus } from '../monitor/monitor';
import type { AlertRecord, AlertsStore } from '../store/alerts-store';
import type { RequestsStore } from '../store/requests-store';
import type { Suppression, SuppressionsStore } from '../store/suppressions-store';
import { alertViews, type DigestAlert, type DigestDeps } from './digests';
import type { OrgSummary } from './org-view';

/** Open alerts read for the tab; more than this is shown as "at least". */
export const HOME_OPEN_ALERTS_READ = 2_000;
/** Suppressions read for the tab. */
export const HOME_SUPPRESSIONS_READ = 50;

export interface HomeAlert extends DigestAlert {
  firstSeenAt: Date;
}

export interface HomeRequest {
  request: ActionRequest;
  ageMs: number;
}

export interface HomeSnapshot {
  now: Date;
  /** Worst first (severity, then newest). */
  openAlerts: HomeAlert[];
  /** How many open alerts were counted; `openAlertsCapped` when there may be more. */
  openAlertCount: number;
  openAlertsCapped: boolean;
  /** Oldest first: the one waiting longest is the one to look at. */
  pendingRequests: HomeRequest[];
  suppressions: Suppression[];
  /** Names of the Salesforce users the suppressions are about, as the mirror knows them. */
  userNames: Map<string, string>;
  monitor: MonitorStatus;
  /**
   * The org view's summary from the monitor's mirror; null when the mirror is not fresh (the tab
   * never calls Salesforce: it is re-published on every change); absent when not wired.
   */
  org?: OrgSummary | null;
}

export interface HomeDeps extends Pick<DigestDeps, 'mirror' | 'ruleMeta'> {
  alerts: Pick<AlertsStore, 'listOpen'>;
  requests: Pick<RequestsStore, 'listByState'>;
  suppressions: Pick<SuppressionsStore, 'listActive'>;
  monitor: () => MonitorStatus;
  now: () => Date;
  /** The org view from the mirror alone (src/operations/org-view.ts); null when it is not fresh. */
  org?: () => Promise<OrgSummary | null>;
}

const RANK: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2 };

/** Severity first, then the newest: a fresh high alert is the first thing to see. */
export function worstAlertsFirst(alerts: readonly AlertRecord[]): AlertRecord[] {
  return [...alerts].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.firstSeenAt.getTime() - a.firstSeenAt.getTime() || (a.key < b.key ? -1 : 1));
}

/** Everything the tab shows, read now; `alertsShown` open alerts get their full view. */
export async function homeSnapshot(deps: HomeDeps, alertsShown: number): Promise<HomeSnapshot> {
  const now = deps.now();
  const open = await deps.alerts.listOpen(HOME_OPEN_ALERTS_READ);
  const worst = worstAlertsFirst(open).slice(0, alertsShown);
  const views = await alertViews(deps, worst);
  const suppressions = await deps.suppressions.listActive(now, HOME_SUPPRESSIONS_READ);
  const named = await deps.mirror.usersByIds([...new Set(suppressions.map((x) => x.userId))]);
  const pending = (await deps.requests.listByState(['pending'])).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return {
    now,
    openAlerts: views.map((v, i) => ({ ...v, firstSeenAt: (worst[i] as AlertRecord).firstSeenAt })),
    openAlertCount: open.length,
    openAlertsCapped: open.length >= HOME_OPEN_ALERTS_READ,
    pendingRequests: pending.map((request) => ({ request, ageMs: Math.max(0, now.getTime() - request.createdAt.getTime()) })),
    suppressions,
    userNames: new Map(named.map((u) => [u.id, u.name || u.username])),
    monitor: deps.monitor(),
    ...(deps.org ? { org: await deps.org() } : {}),
  };
}
