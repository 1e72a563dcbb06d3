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
}

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
    this.cursors.set(locator, { records, totalSize: result.totalSize, batchSize });
    return this.page(locator, 0, caller.apiVersion);
  }

  /** `GET /query/<locator>-<offset>`. */
  more(locatorWithOffset: string, apiVersion: string): HttpReply {
    const m = /^(01g[A-Za-z0-9]{15})-(\d+)$/.exec(locatorWithOffset);
    const cursor = m ? this.cursors.get(m[1] as string) : undefined;
    const offset = m ? Number(m[2]) : NaN;
    if (!m || !cursor || offset > cursor.records.length) return sfError(400, 'INVALID_QUERY_LOCATOR', 'invalid query locator');
    return this.page(m[1] as string, offset, apiVersion);
  }

  private page(locator: string, offset: number, apiVersion: string): HttpReply {
    const cursor = this.cursors.get(locator) as Cursor;
    const end = offset + cursor.batchSize;
    const records = cursor.records.slice(offset, end);
    if (end >= cursor.records.length) return new HttpReply(200, { totalSize: cursor.totalSize, done: true, records });
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
