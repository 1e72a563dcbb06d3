import { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { boltLogger } from '../slack/bolt-logger';
import type { Monitor } from '../monitor/monitor';
import { homeSnapshot } from '../operations/home';
import type { OrgSummary } from '../operations/org-view';
import type { AccessControl } from '../slack/access';
import { HomePublisher, type HomePublisherOptions } from '../slack/home-publisher';
import { HOME_ALERTS_SHOWN } from '../slack/views/home';
import type { Database, RequestsStore } from '../store';
import { SuppressionsStore } from '../store/suppressions-store';
import { ruleMetaById } from './digests';
import type { AlertParts } from './monitor';

/**
 * The App Home tab: its data from the stores and the monitor, published through a Web API client of its own, so a
 * rate-limited views.publish never pauses the client that access checks and approvals use.
 */
export function buildHome(deps: {
  config: Config;
  slackTimeoutMs?: number;
  options?: HomePublisherOptions;
  access: AccessControl;
  database: Database;
  requests: RequestsStore;
  alertParts: AlertParts;
  monitor: () => Monitor;
  logger: Logger;
  now: () => Date;
  /** The org view's summary from the monitor's mirror (src/wiring/org.ts). */
  org?: () => Promise<OrgSummary | null>;
}): HomePublisher {
  const suppressions = new SuppressionsStore(deps.database);
  const { alerts, mirror } = deps.alertParts;
  const ruleMeta = ruleMetaById();
  const client = new WebClient(deps.config.slack.botToken, {
    slackApiUrl: deps.config.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: deps.slackTimeoutMs ?? 10_000,
    logger: boltLogger(deps.logger),
  });
  return new HomePublisher(
    client,
    deps.access,
    () =>
      homeSnapshot(
        {
          alerts,
          mirror,
          ruleMeta,
          requests: deps.requests,
          suppressions,
          monitor: () => deps.monitor().current(),
          now: deps.now,
          ...(deps.org ? { org: deps.org } : {}),
        },
        HOME_ALERTS_SHOWN,
      ),
    deps.logger.child({ component: 'home' }),
    deps.options,
  );
}
