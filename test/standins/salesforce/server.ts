import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { compositeRoute } from './composite-route';
import { Faults, type DeliveryFault } from './faults';
import { HttpReply, notFound, readBody, send, sfError } from './http';
import { licenceDenials, logFileBody } from './investigation';
import { deactivationRefusal } from './deactivation';
import { holds } from './permissions';
import { findUserByUsername, revokeEndpoint, tokenEndpoint, type ClientCredentialsConfig, type JwtConfig, type OAuthContext } from './oauth';
import type { Org } from './org';
import { QueryService } from './query-route';
import { methodNotAllowed, SObjectRoutes, type PasswordReset } from './sobject-routes';
import { TokenStore, type IssuedToken } from './tokens';

export interface SalesforceOptions {
  org: Org;
  clock?: () => Date;
  /** Versions served under /services/data/vNN.N; defaults to 31.0 … 66.0. */
  apiVersions?: string[];
  jwt?: JwtConfig;
  clientCredentials?: ClientCredentialsConfig;
  /** Daily API request allocation reported in Sforce-Limit-Info and /limits (default 15000, a Developer Edition). */
  apiLimit?: number;
  /** Clock of fault windows (storms, login refusals); real wall time by default, independent of `clock`. */
  faultClock?: () => number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** Raw query string without the `?`. */
  query: string;
  /** A few headers worth asserting on; Authorization is redacted. */
  headers: Record<string, string>;
  body: string;
  status: number;
  started: number;
  ended: number;
  /** User behind the bearer token, when it was valid. */
  userId?: string;
  /** Set when an injected fault shaped the answer; `status` is 0 when the connection was dropped without one. */
  fault?: 'storm' | 'login-refused' | DeliveryFault['kind'];
}

export interface SalesforceStandIn {
  url: string;
  org: Org;
  faults: Faults;
  requests: RecordedRequest[];
  passwordResets: PasswordReset[];
  /** Requests under /services/data/vNN.N (the ones Salesforce counts as API calls, plus rejected ones). */
  apiCalls(): RecordedRequest[];
  resetRequests(): void;
  /** POSTs to /services/oauth2/token since the last resetRequests(): how often the bot logged in (or tried to). */
  tokenRequests(): RecordedRequest[];
  /** API calls counted so far against the daily limit. */
  apiUsage(): number;
  /** Sets the daily usage counter (Sforce-Limit-Info, /limits), so a test can put the org near or at its limit. */
  setApiUsage(n: number): void;
  /** A valid access token for the user, as if it had logged in (for static-token configurations). */
  issueToken(username: string): string;
  /** Details of an access token the stand-in issued (its session, user, state). */
  tokenInfo(accessToken: string): IssuedToken | undefined;
  close(): Promise<void>;
}

const DEFAULT_VERSIONS = Array.from({ length: 36 }, (_, i) => `${31 + i}.0`);
/** URI limit from Salesforce's REST docs; Node's own header limit is raised above it. */
const MAX_URI_BYTES = 16_384;
const RECORDED_HEADERS = ['content-type', 'sforce-query-options', 'authorization', 'accept', 'user-agent'];

export async function startSalesforce(options: SalesforceOptions): Promise<SalesforceStandIn> {
  const { org } = options;
  const clock = options.clock ?? (() => new Date());
  const versions = options.apiVersions ?? DEFAULT_VERSIONS;
  const apiLimit = options.apiLimit ?? 15_000;
  const tokens = new TokenStore(org, clock);
  const faults = new Faults(() => tokens.all().map((t) => t.accessToken), options.faultClock);
  const queries = new QueryService(org, clock, () => licenceDenials(org, faults.deniedObjects));
  const sobjects = new SObjectRoutes(org, clock);
  const requests: RecordedRequest[] = [];
  let apiUsed = 0;
  let url = '';
  const oauth = (): OAuthContext => ({
    org,
    tokens,
    url,
    now: clock,
    ...(options.jwt ? { jwt: options.jwt } : {}),
    ...(options.clientCredentials ? { clientCredentials: options.clientCredentials } : {}),
  });

  const unauthorized = (): HttpReply => sfError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');

  async function handle(req: IncomingMessage, record: RecordedRequest): Promise<HttpReply> {
    const method = req.method ?? 'GET';
    const parsed = new URL(req.url ?? '/', 'http://stand-in');
    const path = parsed.pathname;
    const body = await readBody(req);
    record.body = path === '/services/oauth2/token' ? body.replace(/(client_secret=)[^&]*/, '$1[redacted]') : body;
    const delay = faults.delayFor(method, path);
    if (delay > 0) await sleep(delay);
    if ((req.url ?? '').length > MAX_URI_BYTES) return new HttpReply(414, 'URI Too Long');

    if (path === '/services/oauth2/token') {
      if (method !== 'POST') return methodNotAllowed(method, 'POST');
      const refused = faults.takeLoginRefusal();
      if (refused) record.fault = 'login-refused';
      return refused ?? faults.takeFailure(method, path) ?? tokenEndpoint(oauth(), new URLSearchParams(body), req.headers.authorization);
    }
    if (path === '/services/oauth2/revoke') {
      const injected = faults.takeFailure(method, path);
      const token = method === 'GET' ? parsed.searchParams.get('token') : new URLSearchParams(body).get('token');
      return injected ?? revokeEndpoint(oauth(), token);
    }
    if (path === '/services/data' || path === '/services/data/') {
      return new HttpReply(
        200,
        versions.map((v) => ({ label: `v${v}`, url: `/services/data/v${v}`, version: v })),
      );
    }
    const api = /^\/services\/data\/v(\d+\.\d)(\/.*)?$/.exec(path);
    if (!api) return notFound();
    // An outage answers before authentication and is not counted against the daily limit.
    const storm = faults.stormFor(method, path);
    if (storm) {
      record.fault = 'storm';
      return storm;
    }

    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    let caller = bearer ? tokens.valid(bearer) : undefined;
    if (caller) {
      for (const t of faults.countForExpiry() ?? []) {
        const issued = tokens.find(t);
        if (issued) issued.expired = true;
      }
      caller = tokens.valid(caller.accessToken);
    }
    if (!caller || faults.everythingUnauthorized) return unauthorized();
    record.userId = caller.userId;
    // A user without API Enabled gets a token but no API (permissions.ts).
    if (!holds(org, caller.userId, 'PermissionsApiEnabled')) return sfError(403, 'API_CURRENTLY_DISABLED', 'API is disabled for this User');
    if (apiUsed >= apiLimit || faults.takeLimitExceeded()) {
      return sfError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
    }
    apiUsed += 1;
    const version = api[1] as string;
    if (!versions.includes(version)) return notFound();
    const injected = faults.takeFailure(method, path);
    if (injected) return injected;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers[k] = v;
    return route(method, version, api[2] ?? '/', parsed.searchParams, headers, body, caller);
  }

  /**
   * Changes that need Manage Users: ending sessions, freezing (UserLogin), deactivating (User) and
   * password resets. Without it a single-record call is refused with 403; a Collections delete
   * answers 200 with each item refused, as Collections report per-item failures.
   */
  function userAdminRefusal(method: string, target: string, caller: IssuedToken, collectionIds: string | null): HttpReply | undefined {
    if (method === 'GET' || holds(org, caller.userId, 'PermissionsManageUsers')) return undefined;
    const guarded = ['authsession', 'userlogin', 'user', 'password'];
    if (!guarded.includes(target.toLowerCase())) return undefined;
    const message = 'insufficient access rights on object id';
    if (collectionIds !== null) {
      return new HttpReply(
        200,
        collectionIds.split(',').map((id) => ({ id, success: false, errors: [{ statusCode: 'INSUFFICIENT_ACCESS_OR_READONLY', message, fields: [] }] })),
      );
    }
    return sfError(403, 'INSUFFICIENT_ACCESS_OR_READONLY', message);
  }

  /** Every answer under /services/data carries the usage, as Salesforce's REST answers do (jsforce reads it into conn.limitInfo). */
  const limitHeaders = (path: string): Record<string, string> =>
    path.startsWith('/services/data') ? { 'sforce-limit-info': `api-usage=${apiUsed}/${apiLimit}` } : {};

  /** Sends the answer the way an injected delivery fault says: at once, late, or never (connection reset). */
  async function deliver(res: ServerResponse, record: RecordedRequest, reply: HttpReply, fault: DeliveryFault | undefined): Promise<void> {
    record.status = reply.status;
    const headers = limitHeaders(record.path);
    if (fault?.kind === 'dropped-after-effect') {
      record.status = 0;
      record.fault = fault.kind;
      record.ended = Date.now();
      res.socket?.destroy();
      return;
    }
    if (fault?.kind === 'slow-after-effect') {
      record.fault = fault.kind;
      await sleep(fault.delayMs);
    }
    if (fault?.kind === 'error-after-effect') {
      // The request was handled (its change made); only the answer is an error.
      record.fault = fault.kind;
      record.status = fault.status;
      record.ended = Date.now();
      send(res, sfError(fault.status, fault.errorCode, fault.message), headers);
      return;
    }
    record.ended = Date.now();
    // The client may have given up on a slow answer; writing to its closed socket is harmless but pointless.
    if (!res.destroyed) send(res, reply, headers);
  }

  function route(
    method: string,
    version: string,
    rest: string,
    params: URLSearchParams,
    headers: Record<string, string>,
    body: string,
    caller: IssuedToken,
  ): HttpReply {
    const seg = rest.split('/').filter(Boolean).map(decodeURIComponent);
    const only = (allowed: string, ...methods: string[]): HttpReply | undefined => (methods.includes(method) ? undefined : methodNotAllowed(method, allowed));
    const [s0, s1, s2, s3, ...extra] = seg;
    if ((s0 === 'query' || s0 === 'queryAll') && seg.length <= 2) {
      const refused = only('GET, HEAD', 'GET');
      if (refused) return refused;
      if (s1 !== undefined) return queries.more(s1, version);
      return queries.query(params.get('q'), { sessionId: caller.sessionId, apiVersion: version, userId: caller.userId }, headers['sforce-query-options']);
    }
    if (s0 === 'limits' && seg.length === 1) {
      return (
        only('GET, HEAD', 'GET') ??
        new HttpReply(200, {
          DailyApiRequests: { Max: apiLimit, Remaining: Math.max(0, apiLimit - apiUsed) },
          DailyBulkApiBatches: { Max: 15_000, Remaining: 15_000 },
          DataStorageMB: { Max: 5, Remaining: 5 },
        })
      );
    }
    if (s0 === 'composite' && seg.length === 1) {
      // Subrequests run as the caller, inside this one counted API call.
      return (
        only('POST', 'POST') ??
        compositeRoute(body, version, (m, r, p, h, b) =>
          // A composite inside a composite is not a valid subrequest.
          /^\/composite\/?$/.test(r)
            ? notFound()
            : // Blobs are binary, so the composite docs exclude sObject Blob Get (the wording of the refusal is the stand-in's).
              /^\/sobjects\/EventLogFile\/[^/]+\/LogFile$/i.test(r)
              ? sfError(400, 'INVALID_API_INPUT', 'sObject Blob Get is not supported in a composite request')
              : route(m, version, r, p, h, b, caller),
        )
      );
    }
    if (s0 === 'composite' && s1 === 'sobjects' && seg.length === 2) {
      return (
        only('DELETE', 'DELETE') ??
        userAdminRefusal(method, 'AuthSession', caller, params.get('ids')) ??
        sobjects.deleteCollection(params.get('ids'), params.get('allOrNone'))
      );
    }
    if (s0 === 'sobjects' && s1 !== undefined && s2 !== undefined && extra.length === 0) {
      const refused = userAdminRefusal(method, s3 === 'password' ? 'password' : s1, caller, null);
      if (refused) return refused;
      if (s3 === 'password' && s1.toLowerCase() === 'user') return sobjects.password(method, s2);
      if (s3 === 'LogFile' && s1 === 'EventLogFile') return logFileBody(org, method, s2, caller.userId);
      if (s3 !== undefined) return notFound();
      if (method === 'GET') return sobjects.retrieve(s1, s2, version, caller.sessionId);
      if (method === 'DELETE') return sobjects.deleteOne(s1, s2);
      if (method === 'PATCH') return deactivationRefusal(org, s1, s2, body) ?? sobjects.update(s1, s2, body);
      return methodNotAllowed(method, 'GET, HEAD, PATCH, DELETE');
    }
    return notFound();
  }

  const server: Server = createServer({ maxHeaderSize: 4 * MAX_URI_BYTES }, (req: IncomingMessage, res: ServerResponse) => {
    const parsed = new URL(req.url ?? '/', 'http://stand-in');
    const headers: Record<string, string> = {};
    for (const h of RECORDED_HEADERS) {
      const v = req.headers[h];
      if (typeof v === 'string') headers[h] = h === 'authorization' ? v.replace(/\s+.*$/, ' [redacted]') : v;
    }
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: parsed.search.replace(/^\?/, ''),
      headers,
      body: '',
      status: 0,
      started: Date.now(),
      ended: 0,
    };
    requests.push(record);
    const fault = faults.takeDeliveryFault(record.method, record.path);
    if (fault?.kind === 'dropped-before-effect') {
      record.fault = fault.kind;
      // Read the whole request first, so the client sees a reset rather than a failed write.
      req.resume();
      req.on('end', () => {
        record.ended = Date.now();
        req.socket.destroy();
      });
      return;
    }
    handle(req, record)
      .then((reply) => deliver(res, record, reply, fault))
      .catch((e: unknown) => {
        record.status = 500;
        record.ended = Date.now();
        if (!res.destroyed)
          send(
            res,
            sfError(500, 'UNKNOWN_EXCEPTION', `stand-in failure: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
            limitHeaders(record.path),
          );
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    org,
    faults,
    requests,
    passwordResets: sobjects.passwordResets,
    // The versions list needs no authentication and is not counted against the allowance either.
    apiCalls: () => requests.filter((r) => r.path.startsWith('/services/data/v')),
    resetRequests: () => {
      requests.length = 0;
    },
    tokenRequests: () => requests.filter((r) => r.method === 'POST' && r.path === '/services/oauth2/token'),
    apiUsage: () => apiUsed,
    setApiUsage: (n) => {
      apiUsed = n;
    },
    issueToken: (username) => {
      const user = findUserByUsername(org, username);
      if (!user) throw new Error(`no user ${username} in the stand-in org`);
      return tokens.issue(user, 'static').accessToken;
    },
    tokenInfo: (accessToken) => tokens.find(accessToken),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
}
