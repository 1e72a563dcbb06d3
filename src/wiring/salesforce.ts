import type { Config } from '../config';
import type { Logger } from '../logger';
import { SalesforceActions } from '../salesforce/actions';
import type { BackoffPolicy } from '../salesforce/backoff';
import { createSalesforceClient, RefreshBreaker, type SalesforceClient } from '../salesforce/connection';
import { describeSalesforceError, toSalesforceError } from '../salesforce/errors';
import { describeVersionChoice, settleApiVersion } from '../salesforce/api-version';
import { IntegrationPermissions } from '../salesforce/permissions';
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
  /** The integration user's permissions, read at login: what they hide is said in the log and /healthz. */
  permissions: IntegrationPermissions;
  /** Logs in (retried in the background when Salesforce refuses) and learns the bot's own user and permissions. */
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
  const permissions = new IntegrationPermissions();
  const grantsHidden = (): string | null => permissions.grantsHidden();
  const activity = new UserActivityReader(rest, grantsHidden);
  const botRef: { value?: string | null } = {};
  const actions = new SalesforceActions(rest, { logger: logger.child({ component: 'actions' }), grantsHidden }, undefined, botRef);
  const readPermissions = async (): Promise<void> => {
    await permissions.read(rest, botRef.value ?? null, now());
    const missing = permissions.missing();
    const line = `Salesforce permissions: ${permissions.describe()}`;
    if (permissions.state().state === 'known' && missing.length === 0) logger.info({ missing: [] }, line);
    else logger.warn({ missing: missing.map((m) => m.label) }, line);
  };
  // The API version, settled once per process at the first successful login (one GET of the versions list).
  let versionSettled = false;
  const settleVersion = async (): Promise<void> => {
    if (versionSettled) return;
    const choice = await settleApiVersion(client.conn, config.salesforce.apiVersion, config.salesforce.apiVersionPinned === true);
    versionSettled = choice.kind !== 'fallback';
    const line = describeVersionChoice(choice);
    if (choice.kind === 'fallback') logger.warn({ apiVersion: choice.version }, line);
    else logger.info({ apiVersion: choice.version }, line);
  };
  // A login that succeeds later (after a refused one at start) still tells who the bot is, its
  // API version and what it may see — once, while that is still unknown.
  client.onLogin((who) => {
    if (who.userId) botRef.value = who.userId;
    if (started && (permissions.state().state === 'unknown' || !versionSettled) && !reading) {
      reading = settleVersion()
        .then(readPermissions)
        .finally(() => {
          reading = null;
        });
    }
  });
  let started = false;
  let reading: Promise<void> | null = null;
  return {
    client,
    rest,
    activity,
    actions,
    permissions,
    botUserId: () => botRef.value ?? null,
    async connect() {
      try {
        const who = await client.connect();
        await settleVersion();
        botRef.value = who.userId ?? (await activity.currentUserId());
        // One query at login: what the integration user may see is stated, not assumed.
        await readPermissions();
      } catch (err) {
        // Not final: the client retries in the background and each call logs in first.
        logger.error({ code: toSalesforceError(err).errorCode }, `could not connect to Salesforce at start: ${describeSalesforceError(err)}`);
      } finally {
        started = true;
      }
    },
  };
}
