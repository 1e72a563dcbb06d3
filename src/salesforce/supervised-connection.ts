import { AsyncLocalStorage } from 'node:async_hooks';
import { Connection, type ConnectionConfig, type HttpRequest } from 'jsforce';
import { StreamPromise } from 'jsforce/lib/util/promise';
import { createLazyStream } from 'jsforce/lib/util/stream';
import type { Duplex } from 'node:stream';

/** What the connection needs from whoever keeps the bot logged in. */
export interface SessionKeeper {
  /** True when calls may go out without waiting. */
  isUp(): boolean;
  /** Waits for a login (or fails fast) when the session is not up. */
  ready(): Promise<void>;
  /**
   * Obtains a new access token after Salesforce answered 401 to one sent by this connection.
   * Resolves once `conn.accessToken` holds the new token.
   */
  renew(): Promise<void>;
  /** Salesforce accepted a call. */
  accepted(): void;
}

type RequestOptions = Parameters<Connection['request']>[1];
type CallRequest = HttpRequest & { headers: Record<string, string> };
type RefreshCallback = (err: Error | null | undefined, accessToken?: string) => void;

/** The headers object of the call being made: jsforce writes each attempt's bearer token into it. */
const currentCall = new AsyncLocalStorage<{ headers: Record<string, string> }>();
const REFRESH_FAILED = 'Unable to refresh session due to: ';

/**
 * A jsforce Connection that never sends a call without a session: each call first waits for the
 * SessionKeeper (which logs in, or fails fast with the login's cause while Salesforce refuses it),
 * instead of jsforce throwing a TypeError for a missing instance URL.
 *
 * jsforce calls `refreshFn` for a 401 unless its clock shows a refresh finished after the request
 * was sent; within the same millisecond it cannot tell. This connection can: it compares the token
 * the 401'd request carried with the current one, and when they differ it hands back the current
 * token without asking Salesforce for another.
 */
export class SupervisedConnection extends Connection {
  private lastRefreshError: Error | null = null;

  private constructor(
    config: ConnectionConfig,
    private readonly keeper: SessionKeeper,
  ) {
    super(config);
  }

  static create(config: Omit<ConnectionConfig, 'refreshFn'>, keeper: SessionKeeper): SupervisedConnection {
    // jsforce takes refreshFn in the constructor, before `this` exists; it calls it only later.
    const late: { conn?: SupervisedConnection } = {};
    late.conn = new SupervisedConnection(
      {
        ...config,
        refreshFn: (_c, callback: RefreshCallback) => {
          if (late.conn) late.conn.refresh(callback);
          else callback(new Error('the Salesforce connection is not set up yet'));
        },
      },
      keeper,
    );
    return late.conn;
  }

  override request<R = unknown>(request: string | HttpRequest, options?: RequestOptions): StreamPromise<R> {
    // A headers object of our own per call, so the token jsforce writes into it is this call's.
    const req: CallRequest = typeof request === 'string' ? { method: 'GET', url: request, headers: {} } : { ...request, headers: { ...request.headers } };
    return StreamPromise.create(() => {
      const { stream, setStream } = createLazyStream();
      return { stream, promise: this.send<R>(req, options, setStream) };
    });
  }

  private async send<R>(req: CallRequest, options: RequestOptions, setStream: (s: Duplex) => void): Promise<R> {
    if (!this.keeper.isUp()) await this.keeper.ready();
    const inner = currentCall.run({ headers: req.headers }, () => super.request<R>(req, options));
    setStream(inner.stream());
    try {
      const result = await inner;
      this.keeper.accepted();
      return result;
    } catch (err) {
      throw this.original(err);
    }
  }

  private refresh(callback: RefreshCallback): void {
    const sent = currentCall.getStore()?.headers.Authorization?.replace(/^Bearer\s+/i, '');
    if (sent !== undefined && this.accessToken && sent !== this.accessToken) {
      // Another call already replaced the token this one was sent with: retry with the new one.
      callback(null, this.accessToken);
      return;
    }
    this.keeper.renew().then(
      () => callback(null, this.accessToken ?? undefined),
      (err: unknown) => {
        const error = err instanceof Error ? err : new Error(String(err));
        this.lastRefreshError = error;
        callback(error);
      },
    );
  }

  /** jsforce wraps a refresh failure in a plain Error; hand back ours, which names the cause. */
  private original(err: unknown): unknown {
    const last = this.lastRefreshError;
    if (last && err instanceof Error && err.message === `${REFRESH_FAILED}${last.message}`) return last;
    return err;
  }
}
