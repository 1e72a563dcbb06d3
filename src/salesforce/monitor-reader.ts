import type { LoginEvent, OauthGrant, Session, SfUser } from '../domain/types';
import { usersByIdQuery } from './queries';
import { parseSfDate, soqlDateTime, toGrant, toUser, type OauthTokenRow, type UserRow } from './records';
import { isSalesforceId } from './soql';
import { ApiMeter, MeteredRest } from './metered-rest';
import {
  allSessionsAfterQuery,
  allSessionsQuery,
  grantsCreatedSinceQuery,
  grantsOfUsersQuery,
  loginsSinceQuery,
  monitorLogin,
  monitorSession,
  sessionsCreatedSinceQuery,
  type MonitorLoginRow,
  type MonitorSessionRow,
} from './monitor-queries';
import { COMPOSITE_MAX_COLLECTIONS } from './actions';
import { toSalesforceError } from './errors';
import { SalesforceRest, subPage, type QueryPage } from './rest';

/** Rows per query page: Salesforce's largest batch, so a scan costs ceil(rows / 2000) calls. */
export const MONITOR_PAGE_SIZE = 2000;
/** Ids in one `Id IN (…)` list: 500 × 20 characters keeps the SOQL well under its length limit. */
const USERS_PER_QUERY = 500;
const MIN_PAGE_SIZE = 200;

/** OauthToken answers no more than this many rows to one query (object reference). */
export const OAUTH_TOKEN_ROW_CAP = 2_500;

/** A grant with the user it belongs to. The monitor never reads DeleteToken: deleteToken is ''. */
export type UserGrant = OauthGrant & { userId: string };

export interface GrantsRead {
  grants: UserGrant[];
  calls: number;
  /** False when a query returned OauthToken's 2,500-row cap: more grants may exist than were read. */
  complete: boolean;
}

export interface PollWindow {
  /** Session watermark: the newest CreatedDate seen so far. */
  sessionsSince: Date;
  /** Login watermark: the newest LoginTime seen so far. */
  loginsSince: Date;
  /** Read this far behind each watermark, for rows Salesforce commits late; the caller dedupes by Id. */
  overlapMs: number;
}

export interface PollResult {
  /** Sessions created since (sessionsSince - overlap), oldest first. */
  sessions: Session[];
  /** Logins since (loginsSince - overlap), oldest first. */
  logins: LoginEvent[];
  /** REST calls spent: 1, plus one per further page when more than a page of rows is new. */
  calls: number;
  /** The newest CreatedDate among `sessions`; null when none came back. */
  newestSessionAt: Date | null;
  /** The newest LoginTime among `logins`; null when none came back. */
  newestLoginAt: Date | null;
}

export interface ScanResult {
  sessions: number;
  calls: number;
}

export interface BackfillProgress {
  rows: number;
  calls: number;
}

export interface BackfillResult extends BackfillProgress {
  newestLoginAt: Date | null;
}

/** Awaited before the next page is asked for, so a slow consumer (the store) holds back the reader. */
export type PageHandler<T> = (rows: T[]) => void | Promise<void>;

/**
 * How a read continues once its cursor is gone: the SOQL that reads on from the last row handled,
 * in the same order, and (for watermark queries) the row's watermark, to drop rows read twice.
 */
interface Resume<T> {
  after: (last: T) => string;
  edge?: (row: T) => string;
}

/** A Salesforce datetime cut to the whole second a SOQL literal can name. */
function watermarkSecond(value: string): string {
  return soqlDateTime(parseSfDate(value));
}

export interface MonitorReaderOptions {
  /** 200–2000 rows per page; the monitor uses 2000. */
  pageSize?: number;
}

/**
 * The monitor's reads of Salesforce, in domain types, each reporting the REST calls it spent
 * (they all count against the org's daily allowance). Knows nothing of Slack or of the store:
 * pages are handed to a callback and the caller decides what to keep.
 */
export class MonitorReader {
  private readonly rest: SalesforceRest;
  private readonly pageHeaders: Record<string, string>;

  /**
   * Reads go over a SalesforceRest of their own on the same jsforce Connection (same auth,
   * refresh and timeout), whose page size is the monitor's rather than the one /sessions uses.
   */
  constructor(rest: SalesforceRest, options: MonitorReaderOptions = {}) {
    const pageSize = options.pageSize ?? MONITOR_PAGE_SIZE;
    if (!Number.isInteger(pageSize) || pageSize < MIN_PAGE_SIZE || pageSize > MONITOR_PAGE_SIZE) {
      throw new RangeError(`monitor page size must be a whole number from ${MIN_PAGE_SIZE} to ${MONITOR_PAGE_SIZE}, got ${pageSize}`);
    }
    this.rest = new SalesforceRest(rest.conn, { ...rest.options, batchSize: pageSize });
    this.pageHeaders = { 'Sforce-Query-Options': `batchSize=${pageSize}` };
  }

  /**
   * What is new since the watermarks: one Composite call carrying both queries, so a poll that
   * finds nothing costs one API call whatever the size of the org. Further pages are read only
   * when a query's first page came back full.
   */
  async poll(window: PollWindow): Promise<PollResult> {
    if (!Number.isFinite(window.overlapMs) || window.overlapMs < 0) {
      throw new RangeError(`poll overlap must be zero or more milliseconds, got ${window.overlapMs}`);
    }
    const { rest, meter } = this.metered();
    const answers = await rest.compositeQueries({
      sessions: sessionsCreatedSinceQuery(new Date(window.sessionsSince.getTime() - window.overlapMs)),
      logins: loginsSinceQuery(new Date(window.loginsSince.getTime() - window.overlapMs)),
    });
    const sessions: Session[] = [];
    const logins: LoginEvent[] = [];
    await this.eachPage(
      rest,
      subPage<MonitorSessionRow>(answers.sessions),
      (rows) => {
        for (const row of rows) sessions.push(monitorSession(row));
      },
      { after: (last) => sessionsCreatedSinceQuery(parseSfDate(last.CreatedDate)), edge: (row) => row.CreatedDate },
    );
    await this.eachPage(
      rest,
      subPage<MonitorLoginRow>(answers.logins),
      (rows) => {
        for (const row of rows) logins.push(monitorLogin(row));
      },
      { after: (last) => loginsSinceQuery(parseSfDate(last.LoginTime)), edge: (row) => row.LoginTime },
    );
    return {
      sessions,
      logins,
      calls: meter.rest,
      newestSessionAt: newest(sessions, (s) => s.createdAt),
      newestLoginAt: newest(logins, (l) => l.loginTime),
    };
  }

  /** Every live AuthSession, a page at a time: ceil(sessions / page size) calls. */
  async fullScan(onPage: PageHandler<Session>): Promise<ScanResult> {
    const { rest, meter } = this.metered();
    let count = 0;
    const first = await this.firstPage<MonitorSessionRow>(rest, allSessionsQuery());
    await this.eachPage(
      rest,
      first,
      async (rows) => {
        const sessions = rows.map(monitorSession);
        count += sessions.length;
        await onPage(sessions);
      },
      { after: (last) => allSessionsAfterQuery(last.Id) },
    );
    return { sessions: count, calls: meter.rest };
  }

  /**
   * Logins since `since`, oldest first, a page at a time; `onProgress` hears the running totals
   * after each page (a backfill of a large org takes hundreds of calls).
   */
  async backfillLogins(since: Date, onPage: PageHandler<LoginEvent>, onProgress?: (progress: BackfillProgress) => void): Promise<BackfillResult> {
    const { rest, meter } = this.metered();
    let rows = 0;
    let newestLoginAt: Date | null = null;
    const first = await this.firstPage<MonitorLoginRow>(rest, loginsSinceQuery(since));
    await this.eachPage(
      rest,
      first,
      async (page) => {
        const logins = page.map(monitorLogin);
        rows += logins.length;
        newestLoginAt = newest(logins, (l) => l.loginTime, newestLoginAt);
        await onPage(logins);
        onProgress?.({ rows, calls: meter.rest });
      },
      { after: (last) => loginsSinceQuery(parseSfDate(last.LoginTime)), edge: (row) => row.LoginTime },
    );
    return { rows, calls: meter.rest, newestLoginAt };
  }

  /**
   * Who the users behind new alerts are (name, username, e-mail, profile), in one query per
   * 500 ids: spent only when a poll found something to say, never on a quiet poll.
   */
  async usersById(ids: readonly string[]): Promise<{ users: SfUser[]; calls: number }> {
    const { rest, meter } = this.metered();
    const users: SfUser[] = [];
    const unique = [...new Set(ids)].filter(isSalesforceId);
    for (let i = 0; i < unique.length; i += USERS_PER_QUERY) {
      const rows = await rest.queryAll<UserRow>(usersByIdQuery(unique.slice(i, i + USERS_PER_QUERY)));
      users.push(...rows.map((row) => toUser(row, undefined)));
    }
    return { users, calls: meter.rest };
  }

  /**
   * Connected-app grants for the monitor, once per full scan: every grant of the integration users
   * (held to the rotation policy), and the grants made since `createdSince` with their users' other
   * grants (is the app new to them?). OauthToken answers no more than 2,500 rows to one query;
   * `complete` is false when a query hit that cap, so what was not returned stays unknown.
   */
  async grants(request: { integrationUserIds: readonly string[]; createdSince: Date }): Promise<GrantsRead> {
    const { rest, meter } = this.metered();
    const out = new Map<string, UserGrant>();
    let complete = true;
    const keep = (rows: readonly OauthTokenRow[]): void => {
      if (rows.length >= OAUTH_TOKEN_ROW_CAP) complete = false;
      for (const row of rows) {
        const grant: UserGrant = { ...toGrant(row), userId: row.UserId };
        out.set(`${grant.userId}|${grant.appName}|${grant.createdAt?.toISOString() ?? ''}`, grant);
      }
    };
    const integrations = [...new Set(request.integrationUserIds)].filter(isSalesforceId);
    // The day's new grants and the integration users' grants do not depend on each other: they share
    // Composite calls (five queries each), so a full scan spends one call on them in most orgs, not two.
    const queries: Array<[string, string]> = [['recent', grantsCreatedSinceQuery(request.createdSince)]];
    for (let i = 0; i < integrations.length; i += USERS_PER_QUERY) {
      queries.push([`integrations${i / USERS_PER_QUERY}`, grantsOfUsersQuery(integrations.slice(i, i + USERS_PER_QUERY))]);
    }
    let recent: OauthTokenRow[] = [];
    for (let i = 0; i < queries.length; i += COMPOSITE_MAX_COLLECTIONS) {
      const answers = await rest.compositeQueries(Object.fromEntries(queries.slice(i, i + COMPOSITE_MAX_COLLECTIONS)));
      for (const [name] of queries.slice(i, i + COMPOSITE_MAX_COLLECTIONS)) {
        const rows = await rest.rest(subPage<OauthTokenRow>(answers[name]));
        if (name === 'recent') recent = rows;
        keep(rows);
      }
    }
    const granted = [...new Set(recent.map((row) => row.UserId))].filter((id) => isSalesforceId(id) && !integrations.includes(id));
    for (let i = 0; i < granted.length; i += USERS_PER_QUERY) {
      keep(await rest.queryAll<OauthTokenRow>(grantsOfUsersQuery(granted.slice(i, i + USERS_PER_QUERY))));
    }
    return { grants: [...out.values()], calls: meter.rest, complete };
  }

  /** A fresh meter per operation, so each result reports its own calls. */
  private metered(): { rest: MeteredRest; meter: ApiMeter } {
    const meter = new ApiMeter();
    return { rest: new MeteredRest(this.rest, meter), meter };
  }

  private firstPage<T>(rest: SalesforceRest, soql: string): Promise<QueryPage<T>> {
    return rest.request<QueryPage<T>>('GET', `${rest.base}/query?q=${encodeURIComponent(soql)}`, undefined, this.pageHeaders);
  }

  /**
   * Hands each page to `handle` before asking for the next, so at most one page of raw rows is
   * held at a time (SalesforceRest.rest would gather them all). Pages are followed while
   * Salesforce says the query is not done, whatever their size (a page may be shorter than
   * asked). A cursor that expired or was released (INVALID_QUERY_LOCATOR: 15 idle minutes, or
   * an eleventh cursor of the integration user) is not fatal: the query starts again after the
   * last row read, from `resume`, in the same order, so no row is lost or read twice.
   */
  private async eachPage<T extends { Id: string }>(rest: SalesforceRest, first: QueryPage<T>, handle: PageHandler<T>, resume: Resume<T>): Promise<void> {
    let page = first;
    // Rows already handled that share the last row's watermark: a SOQL datetime literal has whole
    // seconds, so a resumed `>=` query reads them again and they are dropped here.
    const edge = { value: '', ids: new Set<string>() };
    const noteHandled = (rows: readonly T[]): void => {
      if (!resume.edge) return;
      let raw: string | null = null;
      let value = '';
      for (const row of rows) {
        // Rows come in time order, many to a second: each distinct time text is converted once.
        const text = resume.edge(row);
        if (text !== raw) {
          raw = text;
          value = watermarkSecond(text);
        }
        if (edge.value !== value) {
          edge.value = value;
          edge.ids = new Set();
        }
        edge.ids.add(row.Id);
      }
    };
    let last = page.records.at(-1);
    await handle(page.records);
    noteHandled(page.records);
    while (!page.done && page.nextRecordsUrl) {
      let rows: T[];
      try {
        page = await rest.request<QueryPage<T>>('GET', page.nextRecordsUrl, undefined, this.pageHeaders);
        rows = page.records;
      } catch (err) {
        if (toSalesforceError(err).errorCode !== 'INVALID_QUERY_LOCATOR' || last === undefined) throw err;
        page = await this.firstPage<T>(rest, resume.after(last));
        const seen = edge.ids;
        rows = page.records.filter((r) => !seen.has(r.Id));
      }
      last = page.records.at(-1) ?? last;
      await handle(rows);
      noteHandled(rows);
    }
  }
}

function newest<T>(items: readonly T[], at: (item: T) => Date, start: Date | null = null): Date | null {
  let latest = start;
  for (const item of items) {
    const t = at(item);
    if (latest === null || t > latest) latest = t;
  }
  return latest;
}
