import { Connection } from 'jsforce';
import type { SalesforceAuth } from '../config';
import type { Logger } from '../logger';
import { jwtAudience, signJwtAssertion } from './jwt';

export interface SalesforceSettings {
  loginUrl: string;
  apiVersion: string;
  auth: SalesforceAuth;
}

export interface SalesforceClient {
  conn: Connection;
  /** Logs in (or checks a static token); resolves the integration user's id. */
  connect(): Promise<{ userId: string | null; orgId: string | null }>;
}

/**
 * jsforce re-runs `refreshFn` on every 401 and retries without limit; if Salesforce keeps
 * refusing a freshly minted token (wrong instance, revoked app) that loop never ends. The
 * breaker allows a few refreshes per window, then fails the request with a clear message.
 */
export class RefreshBreaker {
  private times: number[] = [];
  constructor(
    private readonly maxRefreshes = 3,
    private readonly windowMs = 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  allow(): boolean {
    const now = this.clock();
    this.times = this.times.filter((t) => now - t < this.windowMs);
    if (this.times.length >= this.maxRefreshes) return false;
    this.times.push(now);
    return true;
  }
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export function createSalesforceClient(
  settings: SalesforceSettings,
  logger: Logger,
  options: { breaker?: RefreshBreaker; now?: () => Date } = {},
): SalesforceClient {
  const breaker = options.breaker ?? new RefreshBreaker();
  const now = options.now ?? (() => new Date());
  const { auth } = settings;

  const grant = (): { grant_type: string; [name: string]: string } => {
    switch (auth.kind) {
      case 'jwt':
        return {
          grant_type: JWT_GRANT,
          assertion: signJwtAssertion(
            { clientId: auth.clientId, username: auth.username, audience: jwtAudience(settings.loginUrl), now: now() },
            auth.privateKeyPem,
          ),
        };
      case 'client_credentials':
        return { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret };
      case 'static':
        throw new Error('static token');
    }
  };

  const refreshFn = (c: Connection, callback: (err: Error | null | undefined, accessToken?: string) => void): void => {
    if (auth.kind === 'static') {
      callback(new Error('the static Salesforce access token (SF_ACCESS_TOKEN) was refused; issue a new one or configure the JWT flow'));
      return;
    }
    if (!breaker.allow()) {
      logger.error('salesforce re-authentication refused by the circuit breaker (too many 401s in a row)');
      callback(new Error('Salesforce keeps rejecting fresh logins (401 after re-authentication); check the connected app and the integration user'));
      return;
    }
    logger.info({ flow: auth.kind }, 'salesforce session expired; re-authenticating');
    c.authorize(grant()).then(
      () => callback(null, c.accessToken ?? undefined),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
    );
  };

  const conn =
    auth.kind === 'static'
      ? new Connection({ instanceUrl: auth.instanceUrl, accessToken: auth.accessToken, version: settings.apiVersion, refreshFn })
      : new Connection({ loginUrl: settings.loginUrl, version: settings.apiVersion, refreshFn });

  return {
    conn,
    async connect() {
      if (auth.kind === 'static') return { userId: null, orgId: null };
      const info = await conn.authorize(grant());
      logger.info({ flow: auth.kind, instanceUrl: conn.instanceUrl, userId: info.id }, 'connected to Salesforce');
      return { userId: info.id, orgId: info.organizationId };
    },
  };
}
