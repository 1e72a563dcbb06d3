import type { LoginEvent, Session } from '../domain/types';
import { GEO } from './queries';
import { soqlDateTime, toLoginEvent, toSession, type AuthSessionRow, type LoginHistoryRow } from './records';
import { idLiteral } from './soql';

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

/**
 * Every live session, by Id: a query locator expires after 15 idle minutes (and a user holds at
 * most 10), so a long scan must be able to pick up after the last Id it read (allSessionsAfterQuery).
 */
export function allSessionsQuery(): string {
  return `SELECT ${MONITOR_SESSION_FIELDS} FROM AuthSession ORDER BY Id`;
}

/** The rest of a full scan whose cursor is gone: sessions after the last Id read. */
export function allSessionsAfterQuery(lastId: string): string {
  return `SELECT ${MONITOR_SESSION_FIELDS} FROM AuthSession WHERE Id > ${idLiteral(lastId)} ORDER BY Id`;
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

/** What the monitor reads of OauthToken: never DeleteToken (a credential the monitor has no use for). */
export const MONITOR_GRANT_FIELDS = 'AppName, UserId, CreatedDate, LastUsedDate, UseCount';

/** The grants of these users (ids already checked), oldest first. */
export function grantsOfUsersQuery(userIds: readonly string[]): string {
  return `SELECT ${MONITOR_GRANT_FIELDS} FROM OauthToken WHERE UserId IN (${userIds.map((id) => `'${id}'`).join(', ')}) ORDER BY CreatedDate`;
}

/** Grants made at or after `since`, newest first (OauthToken answers 2,500 rows at most: the newest matter). */
export function grantsCreatedSinceQuery(since: Date): string {
  return `SELECT ${MONITOR_GRANT_FIELDS} FROM OauthToken WHERE CreatedDate >= ${soqlDateTime(since)} ORDER BY CreatedDate DESC`;
}
