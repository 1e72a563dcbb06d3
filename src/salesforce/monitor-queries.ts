import type { LoginEvent, Session } from '../domain/types';
import { GEO } from './queries';
import { soqlDateTime, toLoginEvent, toSession, type AuthSessionRow, type LoginHistoryRow } from './records';

/**
 * The SOQL of the monitor, and the rows it gets back. The monitor reads every live session of
 * the org and every recent login, so it selects only what the rules (src/rules, src/domain/
 * families.ts) look at: the display-only security level is left out. Browser, platform and
 * application are what the rules learn a person's devices from and tell a phone (placed by its
 * carrier, hundreds of km off) from a desk. Fields do not cost API calls (those count rows per
 * page), only bytes on the wire and in memory.
 */

/** ids and family links, types (integration or not), IP, age and expiry, the bot's own mark, the login's time, type, device and place. */
export const MONITOR_SESSION_FIELDS =
  'Id, UsersId, ParentId, SessionType, LoginType, SourceIp, CreatedDate, LastModifiedDate, NumSecondsValid, IsCurrent, ' +
  `LoginHistory.LoginTime, LoginHistory.LoginType, LoginHistory.Browser, LoginHistory.Platform, LoginHistory.Application, ${GEO}`;

/** Who, when, success or failure reason, IP, login type, device and place. */
export const MONITOR_LOGIN_FIELDS = `Id, UserId, LoginTime, Status, SourceIp, LoginType, Application, Browser, Platform, ${GEO}`;

/** An AuthSession row as MONITOR_SESSION_FIELDS selects it: the /sessions row without its security level. */
export type MonitorSessionRow = Omit<AuthSessionRow, 'SessionSecurityLevel'>;

/** A LoginHistory row as MONITOR_LOGIN_FIELDS selects it. */
export type MonitorLoginRow = LoginHistoryRow;

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
  const full: AuthSessionRow = { ...row, SessionSecurityLevel: null };
  return toSession(full);
}

/** A monitor row as a domain LoginEvent. */
export function monitorLogin(row: MonitorLoginRow): LoginEvent {
  return toLoginEvent(row);
}
