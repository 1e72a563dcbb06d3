import type { LoginEvent, Session } from '../domain/types';
import { GEO } from './queries';
import { soqlDateTime, toLoginEvent, toSession, type AuthSessionRow, type LoginHistoryRow } from './records';

/**
 * The SOQL of the monitor, and the rows it gets back. The monitor reads every live session of
 * the org and every recent login, so it selects only what the rules (src/rules, src/domain/
 * families.ts) look at: the display-only fields of `/sessions` (browser, platform, application,
 * security level) are left out. Fewer fields do not save API calls (those count rows per page),
 * but they shrink each 2,000-row page on the wire and in memory.
 */

/** ids and family links, types (integration or not), IP, age and expiry, the bot's own mark, login time and place. */
export const MONITOR_SESSION_FIELDS =
  'Id, UsersId, ParentId, SessionType, LoginType, SourceIp, CreatedDate, LastModifiedDate, NumSecondsValid, IsCurrent, ' +
  `LoginHistory.LoginTime, LoginHistory.LoginType, ${GEO}`;

/** Who, when, success or failure reason, IP, login type and place. */
export const MONITOR_LOGIN_FIELDS = `Id, UserId, LoginTime, Status, SourceIp, LoginType, ${GEO}`;

/** An AuthSession row as MONITOR_SESSION_FIELDS selects it: the /sessions row without its display-only fields. */
export type MonitorSessionRow = Omit<AuthSessionRow, 'SessionSecurityLevel' | 'LoginHistory'> & {
  LoginHistory: { LoginTime: string | null; LoginType: string | null } | null;
};

/** A LoginHistory row as MONITOR_LOGIN_FIELDS selects it: without application, browser and platform. */
export type MonitorLoginRow = Omit<LoginHistoryRow, 'Application' | 'Browser' | 'Platform'>;

/** Sessions created at or after `since`, oldest first; Id breaks ties so pages are stable. */
export function sessionsCreatedSinceQuery(since: Date): string {
  return `SELECT ${MONITOR_SESSION_FIELDS} FROM AuthSession WHERE CreatedDate >= ${soqlDateTime(since)} ORDER BY CreatedDate, Id`;
}

/** Logins at or after `since`, oldest first, ties by Id. */
export function loginsSinceQuery(since: Date): string {
  return `SELECT ${MONITOR_LOGIN_FIELDS} FROM LoginHistory WHERE LoginTime >= ${soqlDateTime(since)} ORDER BY LoginTime, Id`;
}

/** Every live session. No ORDER BY: the mirror is keyed by Id, and an unordered scan is the cheapest for Salesforce to page. */
export function allSessionsQuery(): string {
  return `SELECT ${MONITOR_SESSION_FIELDS} FROM AuthSession`;
}

/** A monitor row as a domain Session; the fields the monitor does not select are null. */
export function monitorSession(row: MonitorSessionRow): Session {
  const full: AuthSessionRow = {
    ...row,
    SessionSecurityLevel: null,
    LoginHistory: row.LoginHistory
      ? { LoginTime: row.LoginHistory.LoginTime, LoginType: row.LoginHistory.LoginType, Browser: null, Platform: null, Application: null }
      : null,
  };
  return toSession(full);
}

/** A monitor row as a domain LoginEvent; application, browser and platform are null. */
export function monitorLogin(row: MonitorLoginRow): LoginEvent {
  const full: LoginHistoryRow = { ...row, Application: null, Browser: null, Platform: null };
  return toLoginEvent(full);
}
