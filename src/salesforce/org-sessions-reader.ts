import type { Session } from '../domain/types';
import { ApiMeter, MeteredRest } from './metered-rest';
import { MONITOR_PAGE_SIZE } from './monitor-reader';
import { MONITOR_SESSION_FIELDS, monitorSession, type MonitorSessionRow } from './monitor-queries';
import { SalesforceRest, type QueryPage } from './rest';

/**
 * The monitor's session fields plus the holder's name and username through the `Users`
 * relationship, so naming the people costs no second query.
 */
export const ORG_SESSION_FIELDS = `${MONITOR_SESSION_FIELDS}, Users.Name, Users.Username`;

/** Every live session of the org. No ORDER BY: the view sorts in memory, and an unordered read is the cheapest to page. */
export function orgSessionsQuery(): string {
  return `SELECT ${ORG_SESSION_FIELDS} FROM AuthSession`;
}

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
  /** Pages that came back with fewer rows than asked while more were left. */
  shortPages: number;
}

type OrgSessionRow = MonitorSessionRow & { Users: { Name: string | null; Username: string | null } | null };

/**
 * Reads every live AuthSession for the org view, 2,000 rows a call (Salesforce's largest batch),
 * and counts the calls. Salesforce treats the batch size as a wish: a page that comes back
 * shorter while more rows are left is counted, so the view can say why it cost more.
 */
export class OrgSessionsReader {
  private readonly rest: SalesforceRest;
  private readonly headers = { 'Sforce-Query-Options': `batchSize=${MONITOR_PAGE_SIZE}` };

  constructor(rest: SalesforceRest) {
    // Its own page size on the bot's connection: /sessions of one user may use a smaller one.
    this.rest = new SalesforceRest(rest.conn, { ...rest.options, batchSize: MONITOR_PAGE_SIZE });
  }

  async liveSessions(): Promise<LiveSessionsRead> {
    const meter = new ApiMeter();
    const rest = new MeteredRest(this.rest, meter);
    const sessions: Session[] = [];
    const people = new Map<string, SessionHolder>();
    let shortPages = 0;
    let page = await rest.request<QueryPage<OrgSessionRow>>('GET', `${rest.base}/query?q=${encodeURIComponent(orgSessionsQuery())}`, undefined, this.headers);
    for (;;) {
      for (const row of page.records) {
        sessions.push(monitorSession(row));
        if (!people.has(row.UsersId)) people.set(row.UsersId, { userId: row.UsersId, name: row.Users?.Name ?? null, username: row.Users?.Username ?? null });
      }
      if (page.done || !page.nextRecordsUrl) break;
      if (page.records.length < MONITOR_PAGE_SIZE) shortPages += 1;
      page = await rest.request<QueryPage<OrgSessionRow>>('GET', page.nextRecordsUrl, undefined, this.headers);
    }
    return { sessions, people: [...people.values()], calls: meter.rest, shortPages };
  }
}
