import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { Connection } from 'jsforce';
import { createLogger, type Logger } from '../../src/logger';
import { SalesforceActions } from '../../src/salesforce/actions';
import { SalesforceRest } from '../../src/salesforce/rest';
import type { ActionRequest, ActionKind } from '../../src/domain/requests';
import type { Org } from '../standins/salesforce/org';
import { BOT_USERNAME } from '../standins/salesforce/scenarios';
import { startSalesforce, type RecordedRequest, type SalesforceStandIn } from '../standins/salesforce/server';

export const API_VERSION = '62.0';

/**
 * A recording proxy between jsforce and the stand-in: it keeps every response body, so a test
 * can learn the temporary password Salesforce returns (which the bot must drop) and look for it.
 */
export interface Proxy {
  url: string;
  responses: { method: string; path: string; status: number; body: string }[];
  close(): Promise<void>;
}

async function startProxy(target: string): Promise<Proxy> {
  const responses: Proxy['responses'] = [];
  const upstream = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out = httpRequest(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (up) => {
          const body: Buffer[] = [];
          up.on('data', (c: Buffer) => body.push(c));
          up.on('end', () => {
            const text = Buffer.concat(body).toString('utf8');
            responses.push({ method: req.method ?? 'GET', path: req.url ?? '/', status: up.statusCode ?? 0, body: text });
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(text);
          });
        },
      );
      out.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      out.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    responses,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface SfFixture {
  sf: SalesforceStandIn;
  conn: Connection;
  rest: SalesforceRest;
  actions: SalesforceActions;
  logger: Logger;
  /** Everything the logger wrote. */
  logs: string[];
  proxy: Proxy | null;
  botSessionId: string;
  /** API calls (under /services/data) since the last reset. */
  calls(): RecordedRequest[];
  close(): Promise<void>;
}

/** `timeoutMs`: how long the bot waits for an answer (20 s in production); tests of late answers make it small. */
export async function sfFixture(org: Org, options: { botUserId: string | null; proxy?: boolean; batchSize?: number; timeoutMs?: number }): Promise<SfFixture> {
  const sf = await startSalesforce({ org });
  const proxy = options.proxy ? await startProxy(sf.url) : null;
  const token = sf.issueToken(BOT_USERNAME);
  const conn = new Connection({ instanceUrl: proxy?.url ?? sf.url, accessToken: token, version: API_VERSION });
  const rest = new SalesforceRest(conn, { apiVersion: API_VERSION, batchSize: options.batchSize ?? 2000, timeoutMs: options.timeoutMs ?? 5000 });
  const logs: string[] = [];
  const logger = createLogger(
    'debug',
    new Writable({
      write(chunk: Buffer, _enc, cb) {
        logs.push(chunk.toString('utf8'));
        cb();
      },
    }),
  );
  const actions = new SalesforceActions(rest, { botUserId: options.botUserId, logger });
  const botSessionId = sf.tokenInfo(token)?.sessionId ?? '';
  sf.resetRequests();
  return {
    sf,
    conn,
    rest,
    actions,
    logger,
    logs,
    proxy,
    botSessionId,
    calls: () => sf.apiCalls(),
    close: async () => {
      await proxy?.close();
      await sf.close();
    },
  };
}

/** Live AuthSession ids of a user in the stand-in org. */
export function liveSessionIds(org: Org, userId: string): string[] {
  return org.byReference('AuthSession', 'UsersId', userId).map((r) => r.Id as string);
}

let counter = 0;

/**
 * A request as stored, in state executing. Params are taken loosely on purpose: a stored request
 * may predate the current catalogue, and tests feed malformed ones to see the executor refuse them.
 */
export function makeRequest(
  kind: ActionKind,
  target: { userId: string; username?: string },
  params: Record<string, unknown> = {},
  now = new Date(),
): ActionRequest {
  counter += 1;
  const request: Omit<ActionRequest, 'kind' | 'params'> & { kind: ActionKind; params: Record<string, unknown> } = {
    id: `RTEST${counter.toString().padStart(6, '0')}`,
    kind,
    state: 'executing',
    target: { userId: target.userId, username: target.username ?? 'user@acme.com', name: 'Test User', email: target.username ?? 'user@acme.com' },
    params,
    reason: 'test',
    requestedBy: 'U1',
    requiredApprovals: kind === 'deactivate' ? 2 : 1,
    approvals: [],
    decidedBy: null,
    channelId: null,
    messageTs: null,
    evidence: null,
    result: null,
    createdAt: now,
    updatedAt: now,
    expiresAt: new Date(now.getTime() + 3600_000),
    verifyDueAt: null,
    verifiedAt: null,
    version: 1,
  };
  return request as ActionRequest;
}
