import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import type { Monitor } from '../monitor/monitor';
import { homeSnapshot } from '../operations/home';
import type { AccessControl } from '../slack/access';
import { HomePublisher } from '../slack/home-publisher';
import { HOME_ALERTS_SHOWN } from '../slack/views/home';
import type { Database, RequestsStore } from '../store';
import { SuppressionsStore } from '../store/suppressions-store';
import { ruleMetaById } from './digests';
import type { AlertParts } from './monitor';

/** The App Home tab: its data from the stores and the monitor, published through the bot's Web API client. */
export function buildHome(deps: {
  client: WebClient;
  access: AccessControl;
  database: Database;
  requests: RequestsStore;
  alertParts: AlertParts;
  monitor: () => Monitor;
  logger: Logger;
  now: () => Date;
}): HomePublisher {
  const suppressions = new SuppressionsStore(deps.database);
  const { alerts, mirror } = deps.alertParts;
  const ruleMeta = ruleMetaById();
  return new HomePublisher(
    deps.client,
    deps.access,
    () =>
      homeSnapshot(
        { alerts, mirror, ruleMeta, requests: deps.requests, suppressions, monitor: () => deps.monitor().current(), now: deps.now },
        HOME_ALERTS_SHOWN,
      ),
    deps.logger.child({ component: 'home' }),
  );
}
