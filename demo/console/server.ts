/**
 * The demo console's HTTP server on loopback: the page (bundled at start, no external assets), a
 * JSON snapshot per viewer, server-sent events when anything changed, and the POST endpoints the
 * page uses to act as a Slack user.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SlackDriver } from '../../test/standins/slack/driver';
import type { SlackStandIn } from '../../test/standins/slack/server';
import type { StoredFile } from '../../test/standins/slack/state';
import type { ConsoleAssets } from './bundle';
import { ConsoleFeed } from './feed';
import { InteractionError, Interactions } from './interactions';
import { API_PATHS, CHANGED_EVENT, type ApiAnswer, type Person } from './protocol';
import { readActionRequest, readAttackerRequest, readCloseRequest, readCommandRequest, readHomeRequest, readSubmitRequest } from './requests';
import { buildSnapshot } from './snapshot';

export interface AttackerSwitch {
  readonly attacker: boolean;
  setAttacker(on: boolean): void;
}

export interface ConsoleOptions {
  slack: SlackStandIn;
  driver: SlackDriver;
  people: readonly Person[];
  workspaceName: string;
  activity: AttackerSwitch;
  assets: ConsoleAssets;
  /** 0 picks a free port. */
  port: number;
  /** How often the server looks for changes to announce (ms). */
  watchIntervalMs?: number;
}

export interface ConsoleServer {
  url: string;
  port: number;
  readonly feed: ConsoleFeed;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;
const PING_MS = 15_000;

function indexHtml(workspaceName: string): string {
  const title = `${workspaceName} — Session Warden demo`.replace(/[<>&"]/g, '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/app.css">
</head>
<body>
<div id="root"></div>
<script src="/app.js"></script>
</body>
</html>
`;
}

function send(res: ServerResponse, status: number, body: string | Buffer, type: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json; charset=utf-8');
}

function readJson(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new InteractionError('Request body too large', 413));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        reject(new InteractionError('The request body is not JSON'));
      }
    });
    req.on('error', reject);
  });
}

function imageType(file: StoredFile): string {
  if (/\.png$/i.test(file.filename)) return 'image/png';
  if (/\.jpe?g$/i.test(file.filename)) return 'image/jpeg';
  return 'application/octet-stream';
}

export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const { slack } = options;
  const feed = new ConsoleFeed(slack);
  const interactions = new Interactions(slack.workspace, options.driver, feed);
  const fileTimes = new Map<string, string>();
  const fileTs = (file: StoredFile): string => {
    let ts = fileTimes.get(file.id);
    if (ts === undefined) {
      ts = slack.workspace.nextTs();
      fileTimes.set(file.id, ts);
    }
    return ts;
  };
  // Every change to the workspace is a Web API call or a response_url post; the console adds its own.
  // Only counters go in: the page drops a snapshot whose version is lower than the one it shows.
  let attackerSwitches = 0;
  const version = (): number => slack.calls.length + slack.responses.length + feed.version + attackerSwitches;

  const streams = new Set<ServerResponse>();
  let announced = version();
  const watch = setInterval(() => {
    const now = version();
    if (now === announced) return;
    announced = now;
    for (const s of streams) s.write(`event: ${CHANGED_EVENT}\ndata: ${JSON.stringify({ version: now })}\n\n`);
  }, options.watchIntervalMs ?? 100);
  const ping = setInterval(() => {
    for (const s of streams) s.write(': ping\n\n');
  }, PING_MS);

  const openEvents = (req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: 1000\nevent: ${CHANGED_EVENT}\ndata: ${JSON.stringify({ version: version() })}\n\n`);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  };

  const post = async (path: string, body: unknown): Promise<void> => {
    switch (path) {
      case API_PATHS.command:
        return interactions.command(readCommandRequest(body));
      case API_PATHS.action:
        return interactions.action(readActionRequest(body));
      case API_PATHS.submit:
        return interactions.submit(readSubmitRequest(body));
      case API_PATHS.close:
        return interactions.close(readCloseRequest(body));
      case API_PATHS.home:
        return interactions.home(readHomeRequest(body));
      case API_PATHS.attacker:
        options.activity.setAttacker(readAttackerRequest(body).on);
        attackerSwitches += 1;
        return;
      default:
        throw new InteractionError(`No such console endpoint: POST ${path}`, 404);
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'POST') {
      const answer: ApiAnswer = { ok: true };
      await post(url.pathname, await readJson(req));
      return sendJson(res, 200, answer);
    }
    if (req.method !== 'GET') return send(res, 405, 'method not allowed', 'text/plain; charset=utf-8');
    if (url.pathname === '/') return send(res, 200, indexHtml(options.workspaceName), 'text/html; charset=utf-8');
    if (url.pathname === '/app.js') return send(res, 200, options.assets.js, 'text/javascript; charset=utf-8');
    if (url.pathname === '/app.css') return send(res, 200, options.assets.css, 'text/css; charset=utf-8');
    if (url.pathname === API_PATHS.events) return openEvents(req, res);
    if (url.pathname === API_PATHS.state) {
      const viewer = url.searchParams.get('viewer') ?? options.people[0]?.id ?? '';
      if (!options.people.some((p) => p.id === viewer)) throw new InteractionError(`Unknown viewer ${viewer}`);
      const snapshot = buildSnapshot(
        {
          ws: slack.workspace,
          feed,
          people: options.people,
          workspaceName: options.workspaceName,
          attacker: options.activity.attacker,
          version: version(),
          fileTs,
        },
        viewer,
      );
      return sendJson(res, 200, snapshot);
    }
    if (url.pathname.startsWith(API_PATHS.files)) {
      const file = slack.files.get(url.pathname.slice(API_PATHS.files.length));
      if (!file?.bytes) return send(res, 404, 'no such file', 'text/plain; charset=utf-8');
      return send(res, 200, file.bytes, imageType(file));
    }
    return send(res, 404, 'not found', 'text/plain; charset=utf-8');
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const status = e instanceof InteractionError ? e.status : 500;
      // Anything else is a fault of the console itself; say so rather than blame Slack or the bot.
      const error = e instanceof InteractionError ? e.message : `The demo console failed: ${e instanceof Error ? e.message : String(e)}`;
      if (!res.headersSent) sendJson(res, status, { ok: false, error } satisfies ApiAnswer);
      else res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    feed,
    close: async () => {
      clearInterval(watch);
      clearInterval(ping);
      for (const s of streams) s.end();
      streams.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
