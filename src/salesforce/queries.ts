import type { UserSelector } from '../domain/types';
import { soqlDateTime } from './records';
import { idLiteral, literal } from './soql';

/**
 * The SOQL the bot sends, in one place. Users are selected either by Id or by an exact
 * (case-insensitive, as SOQL compares text) match on Username or Email.
 */
export type { UserSelector };

/** The LoginGeo place fields, shared by every query that shows where a session or login came from. */
export const GEO = 'LoginGeo.City, LoginGeo.Subdivision, LoginGeo.Country, LoginGeo.CountryIso, LoginGeo.Latitude, LoginGeo.Longitude';

export const SESSION_FIELDS =
  'Id, UsersId, SessionType, LoginType, SessionSecurityLevel, SourceIp, CreatedDate, LastModifiedDate, ' +
  'NumSecondsValid, ParentId, IsCurrent, LoginHistory.LoginTime, LoginHistory.Browser, LoginHistory.Platform, ' +
  `LoginHistory.Application, LoginHistory.LoginType, ${GEO}`;

const LOGIN_FIELDS = `Id, UserId, LoginTime, Status, SourceIp, LoginType, Application, Browser, Platform, ${GEO}`;

/** A condition on the User object selecting the target(s). */
function userCondition(selector: UserSelector): string {
  return 'byId' in selector
    ? `Id = ${idLiteral(selector.byId)}`
    : `Username = ${literal(selector.byEmailOrUsername)} OR Email = ${literal(selector.byEmailOrUsername)}`;
}

/** `<field> = 'id'` or a semi-join on the user condition, so dependent rows need no second trip. */
function userIdFilter(field: string, selector: UserSelector): string {
  return 'byId' in selector ? `${field} = ${idLiteral(selector.byId)}` : `${field} IN (SELECT Id FROM User WHERE ${userCondition(selector)})`;
}

export const MAX_MATCHING_USERS = 25;
const USER_FIELDS = 'Id, Username, Name, Email, IsActive, UserType, Profile.Name';

/** Users by id (the monitor names the users behind its alerts). */
export function usersByIdQuery(ids: readonly string[]): string {
  return `SELECT ${USER_FIELDS} FROM User WHERE Id IN (${ids.map(idLiteral).join(', ')})`;
}

export function usersQuery(selector: UserSelector): string {
  return `SELECT ${USER_FIELDS} FROM User ` + `WHERE ${userCondition(selector)} ORDER BY IsActive DESC, Username LIMIT ${MAX_MATCHING_USERS + 1}`;
}

/** Whether a user is active (deactivation is checked by reading it back). */
export function userActiveQuery(userId: string): string {
  return `SELECT Id, IsActive FROM User WHERE Id = ${idLiteral(userId)}`;
}

/** One UserLogin row by its own id (a freeze is checked by reading it back). */
export function userLoginByIdQuery(userLoginId: string): string {
  return `SELECT Id, IsFrozen FROM UserLogin WHERE Id = ${idLiteral(userLoginId)}`;
}

export function userLoginsQuery(selector: UserSelector): string {
  return `SELECT Id, UserId, IsFrozen FROM UserLogin WHERE ${userIdFilter('UserId', selector)}`;
}

export function sessionsQuery(selector: UserSelector): string {
  return `SELECT ${SESSION_FIELDS} FROM AuthSession WHERE ${userIdFilter('UsersId', selector)} ORDER BY CreatedDate DESC, Id`;
}

export function sessionsByIdQuery(ids: readonly string[]): string {
  return `SELECT ${SESSION_FIELDS} FROM AuthSession WHERE Id IN (${ids.map(idLiteral).join(', ')})`;
}

/** Status cannot be filtered in SOQL (not filterable), so failures are classified in code. */
export function loginsQuery(selector: UserSelector, since: Date, limit: number): string {
  return (
    `SELECT ${LOGIN_FIELDS} FROM LoginHistory WHERE ${userIdFilter('UserId', selector)} ` +
    `AND LoginTime >= ${soqlDateTime(since)} ORDER BY LoginTime DESC LIMIT ${limit}`
  );
}

export function grantsQuery(selector: UserSelector, withDeleteToken: boolean): string {
  const fields = `AppName, UseCount, LastUsedDate, CreatedDate, UserId${withDeleteToken ? ', DeleteToken' : ''}`;
  return `SELECT ${fields} FROM OauthToken WHERE ${userIdFilter('UserId', selector)} ORDER BY AppName`;
}

export function currentSessionOwnerQuery(): string {
  return 'SELECT UsersId FROM AuthSession WHERE IsCurrent = true LIMIT 1';
}
