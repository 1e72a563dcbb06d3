import {
  readRows,
  type ApiCallGroup,
  type EventLogInfo,
  type InvestigationWindow,
  type Readable,
  type SessionActivityRead,
  type SessionEvent,
  type SetupChange,
  type UnreadableCause,
  type Verification,
} from '../domain/investigation';
import type { LoginEvent } from '../domain/types';
import { SalesforceError } from './errors';
import { eventLogTime, parseEventLogCsv } from './event-log-csv';
import { eventLogFilesQuery, INVESTIGATION_ROWS, sessionEventsQuery, setupChangesQuery, verificationsQuery, windowLoginsQuery } from './queries';
import { parseSfDate, toLoginEvent, type LoginHistoryRow } from './records';
import type { QueryPage, SalesforceRest } from './rest';

/** Event types every org has without Event Monitoring (one day's retention). */
export const FREE_EVENT_TYPES: readonly string[] = ['Login', 'Logout', 'ApiTotalUsage'];
/** Verification prompts and logins shortly before the session count: MFA happens at login. */
const AROUND_LOGIN_MS = 60 * 60_000;
const DAY_MS = 86_400_000;
/** ApiTotalUsage files fetched at most per investigation: each is one API call. */
export const MAX_LOG_FILES = 3;

interface AuditRow {
  Id: string;
  Action: string;
  Section: string | null;
  Display: string | null;
  CreatedDate: string;
  CreatedById: string;
  CreatedBy: { Username: string } | null;
  DelegateUser: string | null;
}
interface VerificationRow {
  Id: string;
  VerificationTime: string;
  Activity: string | null;
  VerificationMethod: string | null;
  Status: string | null;
  Policy: string | null;
  SourceIp: string | null;
  LoginHistoryId: string | null;
}
interface SessionEventRow {
  EventDate: string;
  Operation: string | null;
  QueriedEntities: string | null;
  RowsProcessed: number | null;
  SourceIp: string | null;
  ReportId?: string | null;
}
interface EventLogRow {
  Id: string;
  EventType: string;
  LogDate: string;
  Interval: string | null;
  LogFileLength: number | null;
}

/** What each object needs, for the sentence shown when it is hidden from the bot. */
const NEEDS: Record<string, string> = {
  setup: 'Setup Audit Trail is hidden from the bot: its Salesforce user needs View Setup and Configuration',
  logins: 'Login History is hidden from the bot: its Salesforce user needs Manage Users',
  verifications: 'Verification History is hidden from the bot: its Salesforce user needs Manage Users',
  eventLogs: 'Event log files are hidden from the bot: its Salesforce user needs View Event Log Files',
  sessionEvents: 'Event Monitoring events are hidden from the bot: its Salesforce user needs View Real-Time Event Monitoring Data',
};

function unreadable<T>(source: keyof typeof NEEDS, err: SalesforceError): Readable<T> {
  // Salesforce hides an object the caller may not see (INVALID_TYPE) or refuses it (INSUFFICIENT_ACCESS…).
  const hidden = err.errorCode === 'INVALID_TYPE' || err.errorCode.startsWith('INSUFFICIENT_ACCESS');
  const cause: UnreadableCause = hidden ? 'permission' : 'salesforce';
  return { kind: 'unreadable', cause, detail: hidden ? `${NEEDS[source]} (${err.errorCode}).` : `Salesforce answered ${err.errorCode}: ${err.message}` };
}

function rowsOf<T, R>(source: keyof typeof NEEDS, result: QueryPage<unknown> | SalesforceError | undefined, map: (row: T) => R): Readable<R> {
  if (result === undefined) return { kind: 'unreadable', cause: 'salesforce', detail: 'Salesforce left this part of the Composite answer out.' };
  if (result instanceof SalesforceError) return unreadable(source, result);
  const records = result.records as T[];
  return readRows(records.slice(0, INVESTIGATION_ROWS).map(map), records.length > INVESTIGATION_ROWS || !result.done);
}

const toChange = (r: AuditRow): SetupChange => ({
  id: r.Id,
  at: parseSfDate(r.CreatedDate),
  action: r.Action,
  section: r.Section,
  display: r.Display,
  createdById: r.CreatedById,
  createdByUsername: r.CreatedBy?.Username ?? null,
  delegateUser: r.DelegateUser,
});
const toVerification = (r: VerificationRow): Verification => ({
  id: r.Id,
  at: parseSfDate(r.VerificationTime),
  activity: r.Activity,
  method: r.VerificationMethod,
  status: r.Status,
  policy: r.Policy,
  sourceIp: r.SourceIp,
  loginHistoryId: r.LoginHistoryId,
});
const toLogInfo = (r: EventLogRow): EventLogInfo => ({
  id: r.Id,
  eventType: r.EventType,
  logDate: parseSfDate(r.LogDate),
  interval: r.Interval,
  length: r.LogFileLength ?? 0,
});

export interface InvestigationParams {
  userId: string;
  username: string;
  window: InvestigationWindow;
  /** Fetch the ApiTotalUsage CSV bodies (one API call per file, at most MAX_LOG_FILES). */
  withApiCalls: boolean;
}

/**
 * Reads what a session did: Setup Audit Trail, Login History, Verification History and the list
 * of event log files in ONE Composite call (four queries); the ApiTotalUsage bodies, when asked
 * for, cost one call per file, because Salesforce does not allow a blob inside a Composite call.
 */
export class InvestigationReader {
  /**
   * @param loginHistoryHidden why other users' Login History cannot be seen (without Manage Users
   *   Salesforce shows only the caller's own rows, with no error), or null when it can.
   */
  constructor(
    private readonly rest: SalesforceRest,
    private readonly loginHistoryHidden: () => string | null = () => null,
  ) {}

  async read(params: InvestigationParams): Promise<SessionActivityRead> {
    const { userId, username, window } = params;
    // SOQL datetimes have whole seconds: widen the end so a change in the last second is kept.
    const to = new Date(window.to.getTime() + 1000);
    const aroundLogin = new Date(window.from.getTime() - AROUND_LOGIN_MS);
    const results = await this.rest.compositeQueries({
      setup: setupChangesQuery(userId, username, window.from, to),
      logins: windowLoginsQuery(userId, aroundLogin, to),
      verifications: verificationsQuery(userId, aroundLogin, to),
      // Free files cover whole days: the one that holds the login starts at its midnight.
      eventLogs: eventLogFilesQuery(new Date(Math.floor(window.from.getTime() / DAY_MS) * DAY_MS - DAY_MS)),
    });
    let calls = 1;
    const eventLogs = rowsOf<EventLogRow, EventLogInfo>('eventLogs', results.eventLogs, toLogInfo);
    const eventMonitoring =
      eventLogs.kind === 'unreadable' ? 'unknown' : eventLogs.rows.some((f) => !FREE_EVENT_TYPES.includes(f.eventType)) ? 'licensed' : 'not-licensed';
    let apiCalls: Readable<ApiCallGroup> | null = null;
    if (params.withApiCalls && eventLogs.kind === 'read') {
      const files = eventLogs.rows
        .filter((f) => f.eventType === 'ApiTotalUsage' && f.logDate.getTime() + (f.interval === 'Hourly' ? 3600_000 : DAY_MS) >= window.from.getTime())
        .slice(0, MAX_LOG_FILES);
      const lines: Array<Record<string, string>> = [];
      try {
        for (const f of files) {
          calls += 1;
          const body = await this.rest.request<unknown>('GET', `${this.rest.base}/sobjects/EventLogFile/${f.id}/LogFile`);
          lines.push(...logLines(body));
        }
        apiCalls = readRows(groupApiCalls(lines, userId, window));
      } catch (e) {
        const err = e instanceof SalesforceError ? e : new SalesforceError('UNKNOWN', e instanceof Error ? e.message : String(e));
        apiCalls = unreadable('eventLogs', err);
      }
    }
    const loginsHidden = this.loginHistoryHidden();
    let sessionEvents: Readable<SessionEvent> | null = null;
    if (params.withApiCalls && eventMonitoring === 'licensed') {
      calls += 1;
      sessionEvents = await this.sessionEvents(userId, window, to);
    }
    return {
      sessionEvents,
      setupChanges: rowsOf<AuditRow, SetupChange>('setup', results.setup, toChange),
      logins: loginsHidden
        ? { kind: 'unreadable', cause: 'permission', detail: loginsHidden }
        : rowsOf<LoginHistoryRow, LoginEvent>('logins', results.logins, toLoginEvent),
      verifications: rowsOf<VerificationRow, Verification>('verifications', results.verifications, toVerification),
      eventLogs,
      apiCalls,
      eventMonitoring,
      calls,
    };
  }

  /** The session's Event Monitoring events: one Composite call, matched to the session by its addresses. */
  private async sessionEvents(userId: string, window: InvestigationWindow, to: Date): Promise<Readable<SessionEvent>> {
    const results = await this.rest.compositeQueries({
      api: sessionEventsQuery('ApiEvent', userId, window.from, to),
      report: sessionEventsQuery('ReportEvent', userId, window.from, to),
    });
    const ips = new Set(window.sourceIps);
    const toEvent =
      (source: SessionEvent['source']) =>
      (r: SessionEventRow): SessionEvent => ({
        source,
        at: parseSfDate(r.EventDate),
        operation: r.Operation,
        entities: r.QueriedEntities,
        rows: r.RowsProcessed,
        sourceIp: r.SourceIp,
        reportId: r.ReportId ?? null,
      });
    const api = rowsOf<SessionEventRow, SessionEvent>('sessionEvents', results.api, toEvent('ApiEvent'));
    const report = rowsOf<SessionEventRow, SessionEvent>('sessionEvents', results.report, toEvent('ReportEvent'));
    if (api.kind === 'unreadable') return api;
    if (report.kind === 'unreadable') return report;
    const mine = (e: SessionEvent) => ips.size === 0 || (e.sourceIp !== null && ips.has(e.sourceIp));
    const rows = [...api.rows, ...report.rows].filter(mine).sort((a, b) => b.at.getTime() - a.at.getTime());
    return readRows(rows, api.truncated || report.truncated);
  }
}

/** jsforce parses a `text/csv` answer into records keyed by the header; any other type arrives as text. */
function logLines(body: unknown): Array<Record<string, string>> {
  if (typeof body === 'string') return parseEventLogCsv(body);
  if (Array.isArray(body)) {
    return body
      .filter((r): r is Record<string, unknown> => typeof r === 'object' && r !== null)
      .map((r) => {
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(r)) out[k] = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
        return out;
      });
  }
  throw new SalesforceError('UNEXPECTED_BODY', 'Salesforce answered the event log file with something that is not CSV');
}

/**
 * API Total Usage lines of the user, from the session's addresses, inside the window, grouped by
 * what they touched. The free log has no session key: this is a match by user, address, app and
 * time, not proof that these calls came through this session.
 */
export function groupApiCalls(lines: ReadonlyArray<Record<string, string>>, userId: string, window: InvestigationWindow): ApiCallGroup[] {
  const user15 = userId.slice(0, 15);
  const ips = new Set(window.sourceIps);
  const groups = new Map<string, ApiCallGroup>();
  for (const line of lines) {
    const lineUser = (line.USER_ID_DERIVED || line.USER_ID || '').slice(0, 15);
    if (lineUser !== user15) continue;
    const clientIp = line.CLIENT_IP || null;
    if (ips.size > 0 && (!clientIp || !ips.has(clientIp))) continue;
    const at = eventLogTime(line);
    if (!at || at < window.from || at > window.to) continue;
    const g: Omit<ApiCallGroup, 'count' | 'first' | 'last'> = {
      entity: line.ENTITY_NAME || null,
      method: line.HTTP_METHOD || null,
      family: line.API_FAMILY || null,
      resource: line.API_RESOURCE || null,
      app: line.CONNECTED_APP_NAME || line.CLIENT_NAME || null,
      clientIp,
    };
    const key = JSON.stringify([g.entity, g.method, g.family, g.app, g.clientIp]);
    const existing = groups.get(key);
    if (existing) {
      existing.count += 1;
      if (!existing.first || at < existing.first) existing.first = at;
      if (!existing.last || at > existing.last) existing.last = at;
    } else groups.set(key, { ...g, count: 1, first: at, last: at });
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || String(a.entity).localeCompare(String(b.entity)));
}
