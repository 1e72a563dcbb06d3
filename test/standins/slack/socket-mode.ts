/**
 * Slack's side of Socket Mode, on the stand-in's own HTTP server (path /link/). Follows the
 * protocol @slack/socket-mode 3.x expects: one-use ticket URLs from apps.connections.open, a
 * `hello` frame before anything else, envelopes acked by `{envelope_id, payload}`, server pings
 * (the client reconnects if none arrive for 30 s) and `disconnect` frames before a close.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';

export const SOCKET_PATH = '/link/';
/** Slack drops an unacknowledged envelope after 3 s, as over HTTP. */
export const ENVELOPE_ACK_TIMEOUT_MS = 3_000;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface EnvelopeAck {
  envelope_id: string;
  payload?: unknown;
}

export interface SentEnvelope {
  envelope_id: string;
  type: EnvelopeType;
  payload: unknown;
  ack?: EnvelopeAck;
}

interface Pending {
  resolve(ack: EnvelopeAck): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export type DisconnectReason = 'refresh_requested' | 'warning' | 'link_disabled' | 'too_many_websockets';

export class SocketModeServer {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly open: WebSocket[] = [];
  private readonly pending = new Map<string, Pending>();
  private readonly events = new EventEmitter();
  private nextTarget = 0;
  /** Every envelope sent, with the client's ack once it arrives. */
  readonly envelopes: SentEnvelope[] = [];
  /** Connections accepted so far, including closed ones: lets tests see reconnects. */
  connectionsOpened = 0;

  constructor(
    private readonly appId: string,
    private readonly pingIntervalMs = 10_000,
  ) {}

  get connectionCount(): number {
    return this.open.length;
  }

  issueTicket(): string {
    const ticket = randomBytes(16).toString('hex');
    this.tickets.add(ticket);
    return ticket;
  }

  /** Takes over an HTTP upgrade for /link/; returns false for any other path. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== SOCKET_PATH) return false;
    const ticket = url.searchParams.get('ticket');
    if (ticket === null || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return true;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    return true;
  }

  private accept(ws: WebSocket): void {
    this.open.push(ws);
    this.connectionsOpened += 1;
    const pinger = setInterval(() => ws.ping(Buffer.from(`ping-${Date.now()}`)), this.pingIntervalMs);
    pinger.unref();
    ws.on('message', (data) => this.onMessage(data));
    ws.on('close', () => {
      clearInterval(pinger);
      const i = this.open.indexOf(ws);
      if (i >= 0) this.open.splice(i, 1);
    });
    ws.on('error', () => ws.terminate());
    ws.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.open.length,
        debug_info: { host: 'applink-standin', build_number: 1, approximate_connection_time: 18060 },
        connection_info: { app_id: this.appId },
      }),
    );
    this.events.emit('connection');
  }

  private onMessage(data: unknown): void {
    let message: unknown;
    try {
      message = JSON.parse(String(data));
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const ack = message as EnvelopeAck;
    const pending = this.pending.get(ack.envelope_id);
    if (!pending) return;
    this.pending.delete(ack.envelope_id);
    clearTimeout(pending.timer);
    const sent = this.envelopes.find((e) => e.envelope_id === ack.envelope_id);
    if (sent) sent.ack = ack;
    pending.resolve(ack);
  }

  /** Resolves once at least one client has received `hello`. */
  waitForConnection(timeoutMs = 5_000): Promise<void> {
    if (this.open.length > 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.events.off('connection', onConnection);
        reject(new Error(`no Socket Mode connection within ${timeoutMs} ms (did the app call apps.connections.open?)`));
      }, timeoutMs);
      const onConnection = (): void => {
        clearTimeout(timer);
        resolve();
      };
      this.events.once('connection', onConnection);
    });
  }

  /** Sends an envelope to one connected client (round-robin, as Slack spreads load) and waits for its ack. */
  send(type: EnvelopeType, payload: unknown): Promise<EnvelopeAck> {
    const live = this.open.filter((ws) => ws.readyState === WebSocket.OPEN);
    if (live.length === 0) return Promise.reject(new Error('no Socket Mode client connected'));
    const target = live[this.nextTarget++ % live.length] as WebSocket;
    const envelopeId = randomUUID();
    this.envelopes.push({ envelope_id: envelopeId, type, payload });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(envelopeId);
        reject(new Error(`not acknowledged: envelope ${envelopeId} (${type}) got no ack within ${ENVELOPE_ACK_TIMEOUT_MS} ms`));
      }, ENVELOPE_ACK_TIMEOUT_MS);
      this.pending.set(envelopeId, { resolve, reject, timer });
      target.send(
        JSON.stringify({
          envelope_id: envelopeId,
          type,
          payload,
          accepts_response_payload: type !== 'events_api',
          retry_attempt: 0,
          retry_reason: '',
        }),
      );
    });
  }

  /** Sends `disconnect` to every client, then closes them; @slack/socket-mode reconnects by itself. */
  async disconnect(reason: DisconnectReason = 'refresh_requested'): Promise<void> {
    const closing = this.open.map(
      (ws) =>
        new Promise<void>((resolve) => {
          ws.once('close', () => resolve());
          ws.send(JSON.stringify({ type: 'disconnect', reason, debug_info: { host: 'applink-standin' } }), () => ws.close(1000));
        }),
    );
    await Promise.all(closing);
  }

  async close(): Promise<void> {
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error('Slack stand-in closed'));
    }
    this.pending.clear();
    // Close politely: Bolt's app.stop() does not wait for the close handshake, and an abrupt end
    // makes @slack/socket-mode arm a 30 s timer that keeps jest alive.
    await Promise.all(
      [...this.open].map(
        (ws) =>
          new Promise<void>((resolve) => {
            if (ws.readyState === WebSocket.CLOSED) return resolve();
            const force = setTimeout(() => ws.terminate(), 1_000);
            ws.once('close', () => {
              clearTimeout(force);
              resolve();
            });
            if (ws.readyState === WebSocket.OPEN) ws.close(1001, 'stand-in closing');
          }),
      ),
    );
    this.open.length = 0;
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
