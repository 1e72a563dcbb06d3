import { randomBytes } from 'node:crypto';
import { HttpReply, sfError } from './http';
import type { Org } from './org';
import { permissionDenials, rowVisibility } from './permissions';
import { executeSoql, SoqlError, type JsonObject } from './soql';

/** Salesforce's batch size bounds for `Sforce-Query-Options: batchSize=N`. */
export const MIN_BATCH = 200;
export const MAX_BATCH = 2000;

interface Cursor {
  records: JsonObject[];
  totalSize: number;
  batchSize: number;
  /** Rows of the first page: shorter than asked when the last page would not be full anyway. */
  firstPage: number;
  /** Whose cursor it is (a user holds at most 10) and when it was last read (it expires after 15 idle minutes). */
  owner: string;
  lastUsedMs: number;
}

/**
 * Query locators "expire automatically after 15 minutes of inactivity", and "a user can have up
 * to 10 query cursors open at a time … the oldest of the 10 cursors is released"; using an
 * expired or released one is INVALID_QUERY_LOCATOR (SOAP API Developer Guide, QueryLocator;
 * Salesforce Help 000384958). Clock-driven: the stand-in's clock, not wall time.
 */
export const CURSOR_IDLE_MS = 15 * 60_000;
export const CURSORS_PER_USER = 10;

export interface QueryCaller {
  sessionId: string;
  apiVersion: string;
  /** The user behind the token: what it may see depends on its permissions (permissions.ts). */
  userId?: string;
}

/**
 * OauthToken answers 500 rows a call and no more than 2,500 in all, whatever batch size is asked
 * for ("A query() call returns up to 500 rows. A queryMore() call returns 500 more, up to 2500
 * total. No more records are returned after 2500", OauthToken, SOAP API Developer Guide). The
 * stand-in reports the true count in totalSize; the docs do not say what Salesforce puts there.
 */
export const OAUTH_TOKEN_BATCH = 500;
export const OAUTH_TOKEN_CAP = 2500;

/** Query results, with server-side cursors that snapshot the rows at query time. */
export class QueryService {
  private readonly cursors = new Map<string, Cursor>();

  constructor(
    private readonly org: Org,
    private readonly now: () => Date,
    private readonly denied: () => ReadonlyMap<string, string>,
  ) {}

  query(soql: string | null, caller: QueryCaller, queryOptions: string | undefined): HttpReply {
    if (!soql) return sfError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
    let result;
    try {
      result = executeSoql(this.org, soql, {
        now: this.now(),
        callerSessionId: caller.sessionId,
        deniedObjects: caller.userId ? permissionDenials(this.org, caller.userId, this.denied()) : this.denied(),
        apiVersion: caller.apiVersion,
        ...(caller.userId ? { visible: rowVisibility(this.org, caller.userId) } : {}),
      });
    } catch (e) {
      if (e instanceof SoqlError) return sfError(e.errorCode.startsWith('INSUFFICIENT_ACCESS') ? 403 : 400, e.errorCode, e.message);
      throw e;
    }
    const oauthTokens = result.objectName === 'OauthToken';
    const batchSize = oauthTokens ? OAUTH_TOKEN_BATCH : parseBatchSize(queryOptions);
    const records = oauthTokens ? result.records.slice(0, OAUTH_TOKEN_CAP) : result.records;
    if (records.length <= batchSize) {
      return new HttpReply(200, { totalSize: result.totalSize, done: true, records });
    }
    const locator = `01g${randomBytes(8).toString('hex').slice(0, 12).toUpperCase()}AAA`;
    // "There is no guarantee that the requested batch size will be the actual batch size": the
    // first page gives up the slack the last page would have had, so the number of calls stays
    // the documented one while a page shorter than asked does not mean "done".
    const pages = Math.ceil(records.length / batchSize);
    const firstPage = batchSize - (pages * batchSize - records.length);
    const owner = caller.userId ?? caller.sessionId;
    this.releaseOldestBeyondLimit(owner);
    this.cursors.set(locator, { records, totalSize: result.totalSize, batchSize, firstPage, owner, lastUsedMs: this.now().getTime() });
    return this.page(locator, 0, caller.apiVersion);
  }

  /** Makes room for one more cursor of `owner`: the oldest of ten is released. */
  private releaseOldestBeyondLimit(owner: string): void {
    const mine = [...this.cursors.entries()].filter(([, c]) => c.owner === owner);
    // Map iteration is insertion order, so the first ones are the oldest.
    for (const [locator] of mine.slice(0, Math.max(0, mine.length - (CURSORS_PER_USER - 1)))) this.cursors.delete(locator);
  }

  /** `GET /query/<locator>-<offset>`. */
  more(locatorWithOffset: string, apiVersion: string): HttpReply {
    const m = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(locatorWithOffset);
    const cursor = m ? this.cursors.get(m[1] as string) : undefined;
    const offset = m ? Number(m[2]) : NaN;
    if (!m || !cursor || offset > cursor.records.length) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    const nowMs = this.now().getTime();
    if (nowMs - cursor.lastUsedMs > CURSOR_IDLE_MS) {
      this.cursors.delete(m[1] as string);
      return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    }
    cursor.lastUsedMs = nowMs;
    return this.page(m[1] as string, offset, apiVersion);
  }

  private page(locator: string, offset: number, apiVersion: string): HttpReply {
    const cursor = this.cursors.get(locator) as Cursor;
    const end = offset + (offset === 0 ? cursor.firstPage : cursor.batchSize);
    const records = cursor.records.slice(offset, end);
    if (end >= cursor.records.length) {
      // A cursor read to its end is closed and no longer counts against the caller's ten.
      this.cursors.delete(locator);
      return new HttpReply(200, { totalSize: cursor.totalSize, done: true, records });
    }
    return new HttpReply(200, {
      totalSize: cursor.totalSize,
      done: false,
      nextRecordsUrl: `/services/data/v${apiVersion}/query/${locator}-${end}`,
      records,
    });
  }
}

/** Salesforce clamps the requested batch size to [200, 2000]; anything unreadable means the default. */
export function parseBatchSize(header: string | undefined): number {
  const m = /batchSize\s*=\s*(\d+)/i.exec(header ?? '');
  if (!m) return MAX_BATCH;
  return Math.min(MAX_BATCH, Math.max(MIN_BATCH, Number(m[1])));
}
