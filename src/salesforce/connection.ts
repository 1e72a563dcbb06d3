import { OAuth2, type Connection } from 'jsforce';
import type { SalesforceAuth } from '../config';
import type { Logger } from '../logger';
import type { BackoffPolicy } from './backoff';
import { SalesforceError } from './errors';
import { jwtAudience, signJwtAssertion } from './jwt';
import { LoginSupervisor, type LoginHealth, type LoginIdentity, type LoginState } from './login-supervisor';
import { RefreshBreaker } from './refresh-breaker';
import { SupervisedConnection } from './supervised-connection';
import { loginFailureFrom, StatusRecordingTransport } from './token-endpoint';

export { RefreshBreaker };
export type { LoginHealth, LoginIdentity, LoginState };

export interface SalesforceSettings {
  loginUrl: string;
  apiVersion: string;
  auth: SalesforceAuth;
}

export interface SalesforceClient {
  /** Every call through it waits for a login, or fails fast with a LOGIN_FAILED SalesforceError while down. */
  conn: Connection;
  /**
   * The login at start (static token: nothing to do). Throws the login's cause when it fails;
   * the client then keeps retrying in the background, so it is never final.
   */
  connect(): Promise<LoginIdentity>;
  /** For /healthz. */
  health(): LoginHealth;
  state(): LoginState;
  /** After every successful login, e.g. to learn the bot's user id when the login at start failed. */
  onLogin(listener: (who: LoginIdentity) => void): void;
  /** Cancels background login retries (at shutdown). */
  stop(): void;
}

export interface SalesforceClientOptions {
  breaker?: RefreshBreaker;
  now?: () => Date;
  backoff?: BackoffPolicy;
  random?: () => number;
}

const JWT_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

type Grant = { grant_type: string; [name: string]: string };

function grantFor(settings: SalesforceSettings, auth: Exclude<SalesforceAuth, { kind: 'static' }>, now: Date): Grant {
  if (auth.kind === 'client_credentials') {
    return { grant_type: 'client_credentials', client_id: auth.clientId, client_secret: auth.clientSecret };
  }
  const claims = { clientId: auth.clientId, username: auth.username, audience: jwtAudience(settings.loginUrl, auth.audience), now };
  return { grant_type: JWT_GRANT, assertion: signJwtAssertion(claims, auth.privateKeyPem) };
}

export function createSalesforceClient(settings: SalesforceSettings, logger: Logger, options: SalesforceClientOptions = {}): SalesforceClient {
  const now = options.now ?? (() => new Date());
  const { auth } = settings;
  const tokenTransport = new StatusRecordingTransport();
  let conn: SupervisedConnection | undefined;

  const login = async (): Promise<LoginIdentity> => {
    if (auth.kind === 'static' || !conn) return { userId: null, orgId: null };
    try {
      const info = await conn.authorize(grantFor(settings, auth, now()));
      return { userId: info.id, orgId: info.organizationId };
    } catch (err) {
      throw loginFailureFrom(err, tokenTransport.lastStatus);
    }
  };

  const supervisor = new LoginSupervisor(login, {
    logger: logger.child({ flow: auth.kind }),
    ...(options.breaker ? { breaker: options.breaker } : {}),
    ...(options.backoff ? { backoff: options.backoff } : {}),
    ...(options.random ? { random: options.random } : {}),
    now,
  });

  const staticTokenRefused = (): SalesforceError =>
    new SalesforceError(
      'STATIC_TOKEN_REFUSED',
      'the static Salesforce access token (SF_ACCESS_TOKEN) was refused; issue a new one or configure the JWT flow',
      401,
    );

  const keeper = {
    isUp: () => supervisor.isUp(),
    ready: () => supervisor.ready(),
    accepted: () => supervisor.noteAccepted(),
    renew: async (): Promise<void> => {
      if (auth.kind !== 'static') return supervisor.relogin();
      const refused = staticTokenRefused();
      supervisor.noteRejected(refused);
      throw refused;
    },
  };

  if (auth.kind === 'static') {
    conn = SupervisedConnection.create({ instanceUrl: auth.instanceUrl, accessToken: auth.accessToken, version: settings.apiVersion }, keeper);
  } else {
    const oauth2 = new OAuth2({ loginUrl: settings.loginUrl });
    oauth2._transport = tokenTransport;
    conn = SupervisedConnection.create({ loginUrl: settings.loginUrl, version: settings.apiVersion, oauth2 }, keeper);
  }

  return {
    conn,
    connect: () => supervisor.connect(),
    health: () => supervisor.health(),
    state: () => supervisor.state(),
    onLogin: (listener) => supervisor.onLogin(listener),
    stop: () => supervisor.stop(),
  };
}
