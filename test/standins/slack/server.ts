/**
 * The Slack stand-in: one node:http server on 127.0.0.1 serving the Web API (/api/<method>),
 * response_urls (/actions/<team>/<id>/<secret>) and Socket Mode (/link/). Tests point the real
 * Bolt app's WebClient at `apiUrl` and drive it with `httpDriver` / `socketDriver`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { httpDriver, socketDriver, type DriverHost, type SlackDriver } from './driver';
import { RESPONSE_URL, SlackFaults, type FaultAnswer } from './faults';
import { handleResponseUrlPost, type RecordedResponse } from './response-url';
import { SocketModeServer, SOCKET_PATH, type DisconnectReason, type SentEnvelope } from './socket-mode';
import {
  StandInClock,
  Workspace,
  type ChannelInput,
  type EphemeralMessage,
  type ResponseUrlContext,
  type SlackChannel,
  type SlackUser,
  type StoredFile,
  type StoredMessage,
  type StoredView,
  type UserInput,
} from './state';
import { prepareBlockKitSchema } from './block-kit-schema';
import { manifestBotScopes, methodScopeFailure } from './scopes';
import { APP_TOKEN_METHODS, METHODS, type ApiBody, type Args } from './web-api';

export interface SlackStandInOptions {
  signingSecret: string;
  botToken: string;
  appToken?: string;
  teamId?: string;
  teamDomain?: string;
  botUserId?: string;
  botId?: string;
  appId?: string;
  /** Makes the workspace part of an Enterprise Grid org with this id (auth.test answers it as enterprise_id). */
  enterpriseId?: string;
  /** Base of the stand-in clock (default Date.now); `clock.advance(ms)` moves it forward. */
  now?: () => number;
  /** Interval of server pings on Socket Mode connections; Slack's client expects one within 30 s. */
  socketPingIntervalMs?: number;
  /** Clock of fault windows (storms, channel pace); real wall time by default, independent of `clock.advance`. */
  faultClock?: () => number;
  /** The bot token's scopes; the bot scopes of the repository's manifest.yml by default, as the app is installed. */
  botScopes?: readonly string[];
}

export interface RecordedCall {
  method: string;
  /** Arguments with JSON fields (blocks, view, attachments) decoded. */
  args: Args;
  status: number;
  /** The JSON answer; for an HTTP 500 storm (an HTML page) `{ok:false, error:'http_500'}` stands in for it. */
  response: ApiBody;
  at: number;
  /** Set when an injected fault answered instead of the method (the call was then not performed). */
  fault?: FaultAnswer['fault'];
}

export interface SlackStandIn {
  readonly url: string;
  /** For `clientOptions.slackApiUrl` (ends with `/api/`). */
  readonly apiUrl: string;
  readonly port: number;
  readonly clock: StandInClock;
  readonly workspace: Workspace;
  readonly calls: RecordedCall[];
  callsTo(method: string): RecordedCall[];
  /** Calls to `method` that succeeded (HTTP 200, ok:true): what the bot actually delivered, for "exactly once" assertions. */
  delivered(method: string): RecordedCall[];
  /** Storms, latency, channel pace, queued one-shot faults; see faults.ts. */
  readonly faults: SlackFaults;
  /** Files uploaded through files.getUploadURLExternal / the upload URL / files.completeUploadExternal, by id. */
  readonly files: Map<string, StoredFile>;
  /** Current state of every message the bot posted, with update history and thread_ts. */
  readonly messages: StoredMessage[];
  readonly ephemerals: EphemeralMessage[];
  readonly responses: RecordedResponse[];
  readonly views: Map<string, StoredView>;
  addUser(input: UserInput): SlackUser;
  addUsergroup(id: string, userIds: string[]): void;
  addChannel(input: ChannelInput): SlackChannel;
  setPlanUpgradeRequired(on: boolean): void;
  /** Reinstalls the app with these bot scopes (null: manifest.yml's again); every method checks them, as Slack does. */
  setBotScopes(scopes: readonly string[] | null): void;
  /** The bot token's scopes now. */
  readonly botScopes: ReadonlySet<string>;
  /** The next `times` calls to `method` get HTTP 429 with `Retry-After: retryAfter`. */
  rateLimit(method: string, options?: { retryAfter?: number; times?: number }): void;
  /** The next call to `method` answers `{ok:false, error}` (plus `extra` fields). */
  failNext(method: string, error: string, extra?: Record<string, unknown>): void;
  newResponseUrl(context?: ResponseUrlContext): string;
  /** A trigger_id as if Slack had just sent it with an interaction by `userId`. */
  issueTriggerId(userId: string): string;
  httpDriver(botUrl: string): SlackDriver;
  socketDriver(): SlackDriver;
  readonly socket: {
    disconnect(reason?: DisconnectReason): Promise<void>;
    waitForConnection(timeoutMs?: number): Promise<void>;
    readonly connectionCount: number;
    readonly connectionsOpened: number;
    readonly envelopes: SentEnvelope[];
  };
  waitFor<T>(fn: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  close(): Promise<void>;
}

/** Form fields Slack's Web API documents as JSON-encoded strings. */
const JSON_FIELDS = ['blocks', 'view', 'attachments', 'metadata'];

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  return (await readBytes(req)).toString('utf8');
}

/**
 * The bytes of an upload: Slack takes them raw or multipart-encoded (the Node SDK sends a form
 * whose one file part holds them). Null for a form without a file part.
 */
async function uploadedBytes(req: IncomingMessage): Promise<Buffer | null> {
  const raw = await readBytes(req);
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) return raw;
  const form = await new Response(raw, { headers: { 'content-type': type } }).formData();
  for (const value of form.values()) {
    if (typeof value !== 'string') return Buffer.from(await value.arrayBuffer());
  }
  return null;
}

function decodeJsonFields(args: Args): Args {
  for (const key of JSON_FIELDS) {
    const v = args[key];
    if (typeof v !== 'string') continue;
    try {
      args[key] = JSON.parse(v) as unknown;
    } catch {
      // Left as a string: the method then reports invalid_blocks_format / invalid_arguments as Slack does.
    }
  }
  return args;
}

type Parsed = { args: Args } | { error: string };

function parseArgs(req: IncomingMessage, raw: string, url: URL): Parsed {
  const args: Args = Object.fromEntries(url.searchParams);
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (raw === '') return { args: decodeJsonFields(args) };
  if (type === '') return { error: 'missing_post_type' };
  if (type === 'application/x-www-form-urlencoded') {
    Object.assign(args, Object.fromEntries(new URLSearchParams(raw)));
    return { args: decodeJsonFields(args) };
  }
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return { error: 'invalid_json' };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { error: 'invalid_json' };
    // JSON bodies carry objects natively; a JSON-encoded string inside is decoded the same way.
    return { args: decodeJsonFields({ ...args, ...(body as Args) }) };
  }
  return { error: 'invalid_post_type' };
}

function send(res: ServerResponse, status: number, body: string, contentType: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

export async function startSlack(options: SlackStandInOptions): Promise<SlackStandIn> {
  prepareBlockKitSchema();
  const clock = new StandInClock(options.now);
  const ws = new Workspace(
    {
      teamId: options.teamId ?? 'T0WARDEN',
      teamDomain: options.teamDomain ?? 'warden',
      botUserId: options.botUserId ?? 'UBOT0001',
      botId: options.botId ?? 'BBOT0001',
      appId: options.appId ?? 'AWARDEN01',
      ...(options.enterpriseId ? { enterpriseId: options.enterpriseId } : {}),
    },
    clock,
  );
  ws.addChannel({ id: 'C0GENERAL', name: 'general', members: [] });
  const socket = new SocketModeServer(ws.ids.appId, options.socketPingIntervalMs);
  const calls: RecordedCall[] = [];
  const responses: RecordedResponse[] = [];
  const faults = new SlackFaults(options.faultClock);
  let base = '';
  let scopes: ReadonlySet<string> = new Set(options.botScopes ?? manifestBotScopes());

  const authenticate = (method: string, token: string | undefined): ApiBody | null => {
    if (token === undefined || token === '') return { ok: false, error: 'not_authed' };
    const isBot = token === options.botToken;
    const isApp = options.appToken !== undefined && token === options.appToken;
    if (!isBot && !isApp) return { ok: false, error: 'invalid_auth' };
    if (APP_TOKEN_METHODS.has(method) !== isApp) return { ok: false, error: 'not_allowed_token_type' };
    return null;
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL, method: string): Promise<void> => {
    const raw = await readBody(req);
    const parsed = parseArgs(req, raw, url);
    const args = 'args' in parsed ? parsed.args : {};
    const record = (status: number, response: ApiBody, headers: Record<string, string> = {}): void => {
      calls.push({ method, args, status, response, at: clock.now() });
      send(res, status, JSON.stringify(response), 'application/json; charset=utf-8', headers);
    };
    const delay = faults.delayFor(method);
    if (delay > 0) await sleep(delay);
    if ('error' in parsed) return record(200, { ok: false, error: parsed.error });
    const handler = METHODS[method];
    if (!handler) return record(200, { ok: false, error: 'unknown_method' });
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : typeof args.token === 'string' ? args.token : undefined;
    const authError = authenticate(method, token);
    if (authError) return record(200, authError);
    const channel = typeof args.channel === 'string' ? args.channel : undefined;
    const injected = faults.answerFor(method, channel);
    if (injected) {
      const response = injected.contentType.startsWith('application/json')
        ? (JSON.parse(injected.body) as ApiBody)
        : { ok: false, error: `http_${injected.status}` };
      calls.push({ method, args, status: injected.status, response, at: clock.now(), fault: injected.fault });
      return send(res, injected.status, injected.body, injected.contentType, injected.headers);
    }
    // App-level tokens carry their own scopes (connections:write), not the bot's.
    const scopeFailure = APP_TOKEN_METHODS.has(method) ? null : methodScopeFailure(method, scopes);
    if (scopeFailure) return record(200, scopeFailure);
    const response = handler(
      {
        ws,
        openSocketUrl: () => `ws://127.0.0.1:${port}${SOCKET_PATH}?ticket=${socket.issueTicket()}`,
        uploadUrl: (fileId) => `${base}/upload/v1/${fileId}`,
        scopes,
      },
      args,
    );
    if (method === 'chat.postMessage' && response.ok && channel !== undefined) faults.notePosted(channel);
    faults.notePerformed(method);
    return record(200, response);
  };

  const handleResponseUrl = async (req: IncomingMessage, res: ServerResponse, url: URL, id: string, secret: string): Promise<void> => {
    const raw = await readBody(req);
    const delay = faults.delayFor(RESPONSE_URL);
    if (delay > 0) await sleep(delay);
    const grant = ws.responseUrls.get(id);
    // A faulty response_url neither uses up the URL nor touches the original message.
    const injected = faults.answerFor(RESPONSE_URL);
    const reply = injected ?? handleResponseUrlPost(ws, grant, secret, raw);
    let body: unknown = raw;
    try {
      body = JSON.parse(raw);
    } catch {
      // Recorded as the raw text.
    }
    responses.push({
      urlId: id,
      url: `${base}${url.pathname}`,
      body,
      status: reply.status,
      reply: reply.body,
      at: clock.now(),
      context: grant?.context ?? {},
      ...(injected ? { fault: injected.fault } : {}),
    });
    send(res, reply.status, reply.body, reply.contentType, injected?.headers);
  };

  // Slack's upload host answers "OK - <bytes>" with HTTP 200; an id it never issued is a 404.
  const handleUpload = async (req: IncomingMessage, res: ServerResponse, fileId: string): Promise<void> => {
    const file = ws.files.get(fileId);
    if (!file) return send(res, 404, 'file not found', 'text/plain; charset=utf-8');
    const bytes = await uploadedBytes(req);
    if (bytes === null || bytes.length === 0) return send(res, 400, 'no file data', 'text/plain; charset=utf-8');
    file.bytes = bytes;
    send(res, 200, `OK - ${bytes.length}`, 'text/plain; charset=utf-8');
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^\/api\/([A-Za-z0-9._]+)$/.exec(url.pathname);
    const action = /^\/actions\/([A-Z0-9]+)\/(\d+)\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    const upload = /^\/upload\/v1\/([A-Z0-9]+)$/.exec(url.pathname);
    const work =
      api?.[1] !== undefined
        ? handleApi(req, res, url, api[1])
        : upload?.[1] !== undefined && req.method === 'POST'
          ? handleUpload(req, res, upload[1])
          : action?.[2] !== undefined && action[3] !== undefined && req.method === 'POST'
            ? handleResponseUrl(req, res, url, action[2], action[3])
            : Promise.resolve(send(res, 404, 'not found', 'text/plain; charset=utf-8'));
    work.catch((e: unknown) => {
      if (!res.headersSent) send(res, 500, String(e), 'text/plain; charset=utf-8');
    });
  });
  server.on('upgrade', (req: IncomingMessage, sock, head: Buffer) => {
    if (!socket.handleUpgrade(req, sock, head)) sock.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  const newResponseUrl = (context: ResponseUrlContext = {}): string => {
    const grant = ws.issueResponseUrl(context);
    return `${base}/actions/${ws.ids.teamId}/${grant.id}/${grant.secret}`;
  };
  const host: DriverHost = { ws, signingSecret: options.signingSecret, newResponseUrl, socket };

  return {
    url: base,
    apiUrl: `${base}/api/`,
    port,
    clock,
    workspace: ws,
    calls,
    callsTo: (method) => calls.filter((c) => c.method === method),
    delivered: (method) => calls.filter((c) => c.method === method && c.status === 200 && c.response.ok),
    faults,
    messages: ws.messages,
    files: ws.files,
    ephemerals: ws.ephemerals,
    responses,
    views: ws.views,
    addUser: (input) => ws.addUser(input),
    addUsergroup: (id, userIds) => ws.addUsergroup(id, userIds),
    addChannel: (input) => ws.addChannel(input),
    setPlanUpgradeRequired: (on) => {
      ws.planUpgradeRequired = on;
    },
    setBotScopes: (list) => {
      scopes = new Set(list ?? manifestBotScopes());
    },
    get botScopes() {
      return scopes;
    },
    rateLimit: (method, options) => faults.rateLimit(method, options),
    failNext: (method, error, extra = {}) => faults.failNext(method, error, extra),
    newResponseUrl,
    issueTriggerId: (userId) => ws.issueTrigger(userId),
    httpDriver: (botUrl) => httpDriver(host, botUrl),
    socketDriver: () => socketDriver(host),
    socket: {
      disconnect: (reason) => socket.disconnect(reason),
      waitForConnection: (timeoutMs) => socket.waitForConnection(timeoutMs),
      get connectionCount() {
        return socket.connectionCount;
      },
      get connectionsOpened() {
        return socket.connectionsOpened;
      },
      envelopes: socket.envelopes,
    },
    waitFor: <T>(fn: () => T | undefined | null | false, timeoutMs = 5_000, what = 'condition') =>
      new Promise<T>((resolve, reject) => {
        const started = Date.now();
        const tick = (): void => {
          let value: T | undefined | null | false;
          try {
            value = fn();
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
            return;
          }
          if (value) return resolve(value);
          if (Date.now() - started >= timeoutMs) {
            const recent = calls.slice(-5).map((c) => `${c.method} -> ${c.response.ok ? 'ok' : c.response.error}`);
            reject(
              new Error(
                `waitFor(${what}) timed out after ${timeoutMs} ms. Last Web API calls: ${recent.join(', ') || 'none'}; ` +
                  `response_url posts: ${responses.length}; messages: ${ws.messages.length}`,
              ),
            );
            return;
          }
          setTimeout(tick, 10);
        };
        tick();
      }),
    close: async () => {
      await socket.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
