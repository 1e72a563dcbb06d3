import type { Config } from '../config';
import type { Logger } from '../logger';
import { SalesforceActions } from '../salesforce/actions';
import type { BackoffPolicy } from '../salesforce/backoff';
import { createSalesforceClient, RefreshBreaker, type SalesforceClient } from '../salesforce/connection';
import { describeSalesforceError, toSalesforceError } from '../salesforce/errors';
import { SalesforceRest } from '../salesforce/rest';
import { UserActivityReader } from '../salesforce/user-activity';

export interface SalesforceParts {
  client: SalesforceClient;
  /** The REST calls over the client's connection (the monitor reads through it too). */
  rest: SalesforceRest;
  activity: UserActivityReader;
  actions: SalesforceActions;
  /** The integration user: from the login flow, or found later through IsCurrent. */
  botUserId: () => string | null;
  /** Logs in (retried in the background when Salesforce refuses) and learns the bot's own user. */
  connect(): Promise<void>;
}

export interface SalesforceKnobs {
  queryBatchSize?: number;
  salesforceTimeoutMs?: number;
  /** Waits between login retries after a refused login (tests shorten it); LOGIN_BACKOFF by default. */
  salesforceLoginBackoff?: BackoffPolicy;
}

export function buildSalesforce(config: Config, knobs: SalesforceKnobs, logger: Logger, now: () => Date): SalesforceParts {
  const client = createSalesforceClient(config.salesforce, logger.child({ component: 'salesforce' }), {
    breaker: new RefreshBreaker(),
    now,
    ...(knobs.salesforceLoginBackoff ? { backoff: knobs.salesforceLoginBackoff } : {}),
  });
  const rest = new SalesforceRest(client.conn, {
    apiVersion: config.salesforce.apiVersion,
    batchSize: knobs.queryBatchSize ?? 2000,
    timeoutMs: knobs.salesforceTimeoutMs ?? 20_000,
  });
  const activity = new UserActivityReader(rest);
  const botRef: { value?: string | null } = {};
  const actions = new SalesforceActions(rest, { logger: logger.child({ component: 'actions' }) }, undefined, botRef);
  // A login that succeeds later (after a refused one at start) still tells who the bot is.
  client.onLogin((who) => {
    if (who.userId) botRef.value = who.userId;
  });
  return {
    client,
    rest,
    activity,
    actions,
    botUserId: () => botRef.value ?? null,
    async connect() {
      try {
        const who = await client.connect();
        botRef.value = who.userId ?? (await activity.currentUserId());
      } catch (err) {
        // Not final: the client retries in the background and each call logs in first.
        logger.error({ code: toSalesforceError(err).errorCode }, `could not connect to Salesforce at start: ${describeSalesforceError(err)}`);
      }
    },
  };
}
