import { randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { HOME_OPEN_ALERTS_READ } from '../operations/home';
import { countAlerts, orgView, type OrgSummary, type OrgView } from '../operations/org-view';
import { OrgSessionsReader } from '../salesforce/org-sessions-reader';
import type { SalesforceRest } from '../salesforce/rest';
import { MonitorStateStore, type Database } from '../store';
import type { AlertParts } from './monitor';

/** What the Slack surfaces (`/sessions` alone, App Home) use of the org view. */
export interface OrgViewParts {
  /**
   * The org now: from the mirror when fresh, else from Salesforce (whose failures are thrown with
   * their cause). Its summary is kept a few minutes under `snapshotId`, for the view's page buttons.
   */
  view(): Promise<OrgView & { snapshotId: string }>;
  /** A summary `view()` kept, or null when it is gone (expired, evicted, or read by another replica). */
  snapshot(id: string): OrgSummary | null;
  /** App Home's summary: the mirror only, reused while the mirror has not changed (the tab is re-published on every change). */
  homeSummary(): Promise<OrgSummary | null>;
  botUserId(): string | null;
}

/** How long a read stays pageable without reading the org again, and how many reads are kept (summaries only, not the sessions). */
const SNAPSHOT_TTL_MS = 10 * 60_000;
const SNAPSHOTS_KEPT = 20;

/** How long App Home reuses a summary whose mirror has not moved: open alerts in it may lag this much (the tab lists alerts itself). */
const HOME_SUMMARY_REUSE_MS = 30_000;

/** The org view over the monitor's mirror (when fresh) or a read of every live session. */
export function buildOrgView(
  config: Pick<Config, 'monitorIntervalSeconds' | 'fullScanMinutes' | 'policy'>,
  deps: { database: Database; alertParts: AlertParts; rest: SalesforceRest; botUserId: () => string | null; now: () => Date },
): OrgViewParts {
  const reader = new OrgSessionsReader(deps.rest);
  const state = new MonitorStateStore(deps.database);
  const { mirror, alerts } = deps.alertParts;
  const clock = async () => ({
    lastPollAt: (await state.get('lastPollAt'))?.value ?? null,
    lastFullScanAt: (await state.get('lastFullScanAt'))?.value ?? null,
  });
  let cached: { key: string; at: number; summary: OrgSummary | null } | null = null;
  // Per process: a click landing on another replica reads the org again, which is correct, only dearer.
  const snapshots = new Map<string, { at: number; summary: OrgSummary }>();
  const read = (options: { mirrorOnly?: boolean }) =>
    orgView(
      {
        source: reader,
        mirror,
        mirrorClock: clock,
        monitor: { intervalSeconds: config.monitorIntervalSeconds, fullScanMinutes: config.fullScanMinutes },
        openAlerts: async () => {
          const open = await alerts.listOpen(HOME_OPEN_ALERTS_READ);
          return countAlerts(open, open.length >= HOME_OPEN_ALERTS_READ);
        },
        policy: config.policy,
        botUserId: deps.botUserId,
        now: deps.now,
      },
      options,
    );
  return {
    async view() {
      const found = await read({});
      // Only a mirror-only read answers null; this one falls back to Salesforce.
      if (!found) throw new Error('the bot: the org view came back empty although it may read Salesforce');
      const snapshotId = randomBytes(8).toString('hex');
      const at = deps.now().getTime();
      for (const [id, kept] of snapshots) if (at - kept.at > SNAPSHOT_TTL_MS) snapshots.delete(id);
      snapshots.set(snapshotId, { at, summary: found.summary });
      while (snapshots.size > SNAPSHOTS_KEPT) snapshots.delete(snapshots.keys().next().value as string);
      return { ...found, snapshotId };
    },
    snapshot(id) {
      const kept = snapshots.get(id);
      return kept && deps.now().getTime() - kept.at <= SNAPSHOT_TTL_MS ? kept.summary : null;
    },
    async homeSummary() {
      const c = await clock();
      const key = `${c.lastPollAt?.toISOString() ?? '-'}|${c.lastFullScanAt?.toISOString() ?? '-'}`;
      const at = deps.now().getTime();
      // A 100k-session mirror is read and summarised once per poll, not once per publish.
      if (cached && cached.key === key && at - cached.at < HOME_SUMMARY_REUSE_MS) return cached.summary;
      const summary = (await read({ mirrorOnly: true }))?.summary ?? null;
      cached = { key, at, summary };
      return summary;
    },
    botUserId: deps.botUserId,
  };
}
