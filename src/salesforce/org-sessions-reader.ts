import type { Session } from '../domain/types';
import { ApiMeter, MeteredRest } from './metered-rest';
import { MONITOR_PAGE_SIZE } from './monitor-reader';
import { MONITOR_SESSION_FIELDS, monitorSession, type MonitorSessionRow } from './monitor-queries';
import { SalesforceError } from './errors';
import { parseSfDate, soqlDateTime } from './records';
import { SalesforceRest, subPage, type QueryPage } from './rest';

/**
 * The monitor's session fields plus the holder's name and username through the `Users`
 * relationship, so naming the people costs no second query.
 */
export const ORG_SESSION_FIELDS = `${MONITOR_SESSION_FIELDS}, Users.Name, Users.Username`;

/** Every live session of the org. No ORDER BY: the view sorts in memory, and an unordered read is the cheapest to page. */
export function orgSessionsQuery(): string {
  return `SELECT ${ORG_SESSION_FIELDS} FROM AuthSession`;
}

/**
 * Connected-app tokens created before `before`, oldest first, with their holder's name. The first
 * page only: OauthToken answers 500 rows a batch (2,500 at most in all), and the view needs the
 * oldest and a count, not every row — more than one page is reported as "at least".
 */
export function oldTokensQuery(before: Date): string {
  return `SELECT AppName, UserId, User.Name, User.Username, CreatedDate, LastUsedDate FROM OauthToken WHERE CreatedDate < ${soqlDateTime(before)} ORDER BY CreatedDate`;
}

/** One connected-app token, as the org view reads it (never its DeleteToken: that is a credential). */
export interface OldToken {
  appName: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** The old tokens, or why they could not be read. */
export type OldTokensRead = { rows: OldToken[]; complete: boolean } | { problem: string };

/** A session holder as the read named them (null when the relationship came back empty). */
export interface SessionHolder {
  userId: string;
  name: string | null;
  username: string | null;
}

export interface LiveSessionsRead {
  sessions: Session[];
  people: SessionHolder[];
  calls: number;
  /** Calls beyond one per 2,000 sessions: Salesforce sent pages shorter than asked (the batch size is a request, not a promise). */
  extraCalls: number;
  tokens: OldTokensRead;
}

type OrgSessionRow = MonitorSessionRow & { Users: { Name: string | null; Username: string | null } | null };
interface OldTokenRow {
  AppName: string | null;
  UserId: string;
  User: { Name: string | null; Username: string | null } | null;
  CreatedDate: string | null;
  LastUsedDate: string | null;
}

/**
 * Reads every live AuthSession for the org view, 2,000 rows a call (Salesforce's largest batch),
 * and counts the calls. Salesforce treats the batch size as a wish: when its pages come back
 * shorter than asked and that costs more calls, the extra calls are counted so the view can say why.
 */
export class OrgSessionsReader {
  private readonly rest: SalesforceRest;
  private readonly headers = { 'Sforce-Query-Options': `batchSize=${MONITOR_PAGE_SIZE}` };

  constructor(rest: SalesforceRest) {
    // Its own page size on the bot's connection: /sessions of one user may use a smaller one.
    this.rest = new SalesforceRest(rest.conn, { ...rest.options, batchSize: MONITOR_PAGE_SIZE });
  }

  /**
   * Every live session, and the tokens created before `tokensCreatedBefore`: the sessions' first
   * page and the tokens go out as one Composite request (one API call), each further page of
   * sessions is one more.
   */
  async liveSessions(options: { tokensCreatedBefore: Date }): Promise<LiveSessionsRead> {
    const meter = new ApiMeter();
    const rest = new MeteredRest(this.rest, meter);
    const sessions: Session[] = [];
    const people = new Map<string, SessionHolder>();
    const name = (userId: string, user: { Name: string | null; Username: string | null } | null): void => {
      if (!people.has(userId) || (user && !people.get(userId)?.name))
        people.set(userId, { userId, name: user?.Name ?? null, username: user?.Username ?? null });
    };
    const first = await rest.compositeQueries({ sessions: orgSessionsQuery(), tokens: oldTokensQuery(options.tokensCreatedBefore) });
    let pages = 1;
    let page = subPage<OrgSessionRow>(first.sessions);
    for (;;) {
      for (const row of page.records) {
        sessions.push(monitorSession(row));
        name(row.UsersId, row.Users);
      }
      if (page.done || !page.nextRecordsUrl) break;
      pages += 1;
      page = await rest.request<QueryPage<OrgSessionRow>>('GET', page.nextRecordsUrl, undefined, this.headers);
    }
    let tokens: OldTokensRead;
    if (first.tokens instanceof SalesforceError || first.tokens === undefined) {
      // Reading other people's tokens needs Customize Application; the sessions stand without them.
      // Salesforce's own code and words: the generic wording of describeSalesforceError is about sessions, not tokens.
      const err = first.tokens ?? new SalesforceError('UNKNOWN', 'the Composite answer had no OauthToken part');
      tokens = { problem: `${err.errorCode}: ${err.message}` };
    } else {
      const tokenPage = subPage<OldTokenRow>(first.tokens);
      const rows: OldToken[] = [];
      for (const row of tokenPage.records) {
        if (!row.CreatedDate) continue;
        name(row.UserId, row.User);
        rows.push({
          appName: row.AppName ?? '(unnamed app)',
          userId: row.UserId,
          createdAt: parseSfDate(row.CreatedDate),
          lastUsedAt: row.LastUsedDate ? parseSfDate(row.LastUsedDate) : null,
        });
      }
      tokens = { rows, complete: tokenPage.done };
    }
    // A short page alone costs nothing (Salesforce may shorten the first and fill the rest); more pages than 2,000 rows need does.
    const extraCalls = Math.max(0, pages - Math.max(1, Math.ceil(sessions.length / MONITOR_PAGE_SIZE)));
    return { sessions, people: [...people.values()], calls: meter.rest, extraCalls, tokens };
  }
}
