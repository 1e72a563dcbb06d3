import { SalesforceRest } from './rest';

/**
 * Calls made on behalf of one operation. `rest` calls spend the org's daily API allowance;
 * `oauth` calls (token revocation) go to the OAuth endpoint, which Salesforce does not count.
 * jsforce's own transparent retries (GET/DELETE on 5xx) and 401 re-sends are not visible here,
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
   * A request jsforce must not retry on its own: for calls whose repetition has an effect
   * (a second password reset sends a second email and a new temporary password).
   */
  async requestOnce<T>(method: 'DELETE' | 'POST', url: string): Promise<T> {
    this.count(url);
    return this.bounded(this.conn.request<T>({ method, url }, { retry: { maxRetries: 0 } }));
  }

  private count(url: string): void {
    if (OAUTH_PATH.test(url)) this.meter.oauth += 1;
    else this.meter.rest += 1;
  }
}
