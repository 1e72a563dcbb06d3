import type { HttpRequest, HttpRequestOptions, HttpResponse } from 'jsforce/lib/types';
import { HttpAnswerError, parseRetryAfter } from './change-retry';
import { SalesforceError } from './errors';
import { SalesforceRest } from './rest';

/**
 * Calls made on behalf of one operation. `rest` calls spend the org's daily API allowance;
 * `oauth` calls (token revocation) go to the OAuth endpoint, which Salesforce does not count.
 * jsforce's own transparent retries of reads (GET on 5xx or a dropped connection) and 401
 * re-sends are not visible here; changes go through `requestOnce`, which jsforce never repeats,
 * so the figure is the number of requests the bot decided to make.
 */
export class ApiMeter {
  rest = 0;
  oauth = 0;
}

const OAUTH_PATH = /\/services\/oauth2\//;

/** A SalesforceRest that counts what goes through it into a meter. */
export class MeteredRest extends SalesforceRest {
  constructor(
    inner: SalesforceRest,
    readonly meter: ApiMeter,
  ) {
    super(inner.conn, inner.options);
  }

  override async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    this.count(url);
    return super.request<T>(method, url, body, headers);
  }

  /**
   * A call that changes something, sent exactly once: jsforce would otherwise repeat a DELETE
   * after a 5xx or a dropped connection, which hides whether the first one took effect (and a
   * second password reset sends a second e-mail). The caller decides what a lost answer means.
   */
  async requestOnce<T>(method: 'DELETE' | 'POST' | 'PATCH', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    this.count(url);
    const json = body !== undefined && typeof body !== 'string';
    // jsforce's errors keep the body's errorCode only; the status and Retry-After decide whether
    // (and when) a change may be sent again, so the last answer is watched on its way in.
    let last: HttpResponse | undefined;
    const transport = this.conn._transport;
    const watching = {
      httpRequest: (req: HttpRequest, opts?: HttpRequestOptions) => {
        const pending = transport.httpRequest(req, opts);
        pending.then(
          (res) => {
            last = res;
          },
          () => undefined,
        );
        return pending;
      },
    };
    try {
      return await this.bounded(
        this.conn.request<T>(
          {
            method,
            url,
            ...(body === undefined ? {} : { body: json ? JSON.stringify(body) : body }),
            headers: { ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
          },
          { retry: { maxRetries: 0 }, transport: watching },
        ),
      );
    } catch (err) {
      const answered = last;
      if (!(err instanceof SalesforceError) || err.status !== undefined || !answered || answered.statusCode < 400) throw err;
      throw new HttpAnswerError(err, answered.statusCode, parseRetryAfter(answered.headers['retry-after']));
    }
  }

  private count(url: string): void {
    if (OAUTH_PATH.test(url)) this.meter.oauth += 1;
    else this.meter.rest += 1;
  }
}
