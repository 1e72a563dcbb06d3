import type { Config } from '../config';
import { HOME_OPEN_ALERTS_READ } from '../operations/home';
import { countAlerts, orgView, type OrgView } from '../operations/org-view';
import { OrgSessionsReader } from '../salesforce/org-sessions-reader';
import type { SalesforceRest } from '../salesforce/rest';
import { MonitorStateStore, type Database } from '../store';
import type { AlertParts } from './monitor';

/** What the Slack surfaces (`/sessions` alone, App Home) use of the org view. */
export interface OrgViewParts {
  /** `mirrorOnly`: never call Salesforce; null when the monitor's mirror is not fresh. */
  view(options?: { mirrorOnly?: boolean }): Promise<OrgView | null>;
  botUserId(): string | null;
}

/** The org view over the monitor's mirror (when fresh) or a read of every live session. */
export function buildOrgView(
  config: Pick<Config, 'monitorIntervalSeconds' | 'fullScanMinutes' | 'policy'>,
  deps: { database: Database; alertParts: AlertParts; rest: SalesforceRest; botUserId: () => string | null; now: () => Date },
): OrgViewParts {
  const reader = new OrgSessionsReader(deps.rest);
  const state = new MonitorStateStore(deps.database);
  const { mirror, alerts } = deps.alertParts;
  return {
    view: (options) =>
      orgView(
        {
          source: reader,
          mirror,
          mirrorClock: async () => ({
            lastPollAt: (await state.get('lastPollAt'))?.value ?? null,
            lastFullScanAt: (await state.get('lastFullScanAt'))?.value ?? null,
          }),
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
      ),
    botUserId: deps.botUserId,
  };
}
