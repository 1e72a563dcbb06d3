import type { Connection } from 'jsforce';
import { SalesforceError, fromErrorBody, toSalesforceError } from './errors';

export interface QueryPage<T> {
  totalSize: number;
  done: boolean;
  records: T[];
  nextRecordsUrl?: string;
}

/** One query's first page out of a Composite answer; its error is thrown as it came. */
export function subPage<T>(result: QueryPage<unknown> | SalesforceError | undefined): QueryPage<T> {
  if (result === undefined) throw new SalesforceError('UNKNOWN', 'composite sub-response missing');
  if (result instanceof SalesforceError) throw result;
  return result as QueryPage<T>;
}

const REFERENCE = /(@\{[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+|\[\d+\])*\})/;

/** URL-encodes a query but leaves Composite references (`@{users.records[0].Id}`) as Salesforce reads them. */
export function encodeWithReferences(soql: string): string {
  return soql
    .split(REFERENCE)
    .map((part, i) => (i % 2 === 1 ? part : encodeURIComponent(part)))
    .join('');
}

export interface CompositeSubResponse {
  body: unknown;
  httpStatusCode: number;
  referenceId: string;
}

export interface RestOptions {
  apiVersion: string;
  /** Records per query page (Sforce-Query-Options batchSize, 200–2000). */
  batchSize: number;
  timeoutMs: number;
}

/**
 * The few REST calls the bot makes, over jsforce's Connection (which adds auth and the
 * 401 → refresh → retry cycle). Every call is bounded by a timeout so a stalled Salesforce
 * cannot hang a Slack handler.
 */
export class SalesforceRest {
  constructor(
    readonly conn: Connection,
    readonly options: RestOptions,
  ) {}

  /** Follows the connection's version, which the login may have settled after this was built (api-version.ts). */
  get base(): string {
    return `/services/data/v${this.conn.version || this.options.apiVersion}`;
  }

  private get queryHeaders(): Record<string, string> {
    return { 'Sforce-Query-Options': `batchSize=${this.options.batchSize}` };
  }

  async request<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    return this.bounded(
      this.conn.request<T>({
        method,
        url,
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        headers: { ...(body === undefined || typeof body === 'string' ? {} : { 'content-type': 'application/json' }), ...headers },
      }),
    );
  }

  /** Waits for a jsforce call at most `timeoutMs`, and normalises whatever it throws. */
  protected async bounded<T>(call: PromiseLike<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SalesforceError('TIMEOUT', `Salesforce did not answer within ${this.options.timeoutMs} ms`)), this.options.timeoutMs);
    });
    try {
      return await Promise.race([Promise.resolve(call), timeout]);
    } catch (err) {
      throw toSalesforceError(err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** One query, every page followed (counts are never silently truncated). */
  async queryAll<T>(soql: string): Promise<T[]> {
    const first = await this.request<QueryPage<T>>('GET', `${this.base}/query?q=${encodeURIComponent(soql)}`, undefined, this.queryHeaders);
    return this.rest(first);
  }

  /** Follows nextRecordsUrl until done, appending to the records of `first`. */
  async rest<T>(first: QueryPage<T>): Promise<T[]> {
    const records = [...first.records];
    let page = first;
    while (!page.done && page.nextRecordsUrl) {
      page = await this.request<QueryPage<T>>('GET', page.nextRecordsUrl, undefined, this.queryHeaders);
      records.push(...page.records);
    }
    return records;
  }

  /**
   * Several independent queries in one Composite call, which Salesforce counts as one API
   * request (≤ 5 queries per call). Each result is a first page or a SalesforceError.
   */
  async compositeQueries(queries: Record<string, string>): Promise<Record<string, QueryPage<unknown> | SalesforceError>> {
    const compositeRequest = Object.entries(queries).map(([referenceId, soql]) => ({
      method: 'GET',
      url: `${this.base}/query?q=${encodeWithReferences(soql)}`,
      referenceId,
      httpHeaders: this.queryHeaders,
    }));
    const res = await this.request<{ compositeResponse: CompositeSubResponse[] }>('POST', `${this.base}/composite`, {
      allOrNone: false,
      compositeRequest,
    });
    const out: Record<string, QueryPage<unknown> | SalesforceError> = {};
    for (const sub of res.compositeResponse) {
      out[sub.referenceId] =
        sub.httpStatusCode >= 200 && sub.httpStatusCode < 300 ? (sub.body as QueryPage<unknown>) : fromErrorBody(sub.body, sub.httpStatusCode);
    }
    return out;
  }
}
