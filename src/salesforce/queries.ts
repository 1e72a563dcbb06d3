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

/**
 * Where a dependent query finds the user's id: a literal id, or a Composite reference to the first
 * row of an earlier `users` subrequest. Semi-joins (`UsersId IN (SELECT Id FROM User …)`) are
 * documented for LoginHistory but not confirmed on AuthSession and OauthToken, so those two take the
 * id resolved inside the same Composite call instead — no extra round trip either way.
 */
export type UserIdSource = { byId: string } | { byReference: string };

/** The id of the first user the Composite subrequest `users` found (`@{users.records[0].Id}`). */
export const FIRST_FOUND_USER: UserIdSource = { byReference: '@{users.records[0].Id}' };

/** A selector by id is its own source; any other reads the id out of the `users` subrequest. */
export function userIdSource(selector: UserSelector): UserIdSource {
  return 'byId' in selector ? selector : FIRST_FOUND_USER;
}

function userIdEquals(field: string, source: UserIdSource): string {
  return 'byId' in source ? `${field} = ${idLiteral(source.byId)}` : `${field} = '${source.byReference}'`;
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

export function sessionsQuery(source: UserIdSource): string {
  return `SELECT ${SESSION_FIELDS} FROM AuthSession WHERE ${userIdEquals('UsersId', source)} ORDER BY CreatedDate DESC, Id`;
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

export function grantsQuery(source: UserIdSource, withDeleteToken: boolean): string {
  const fields = `AppName, UseCount, LastUsedDate, CreatedDate, UserId${withDeleteToken ? ', DeleteToken' : ''}`;
  return `SELECT ${fields} FROM OauthToken WHERE ${userIdEquals('UserId', source)} ORDER BY AppName`;
}

export function currentSessionOwnerQuery(): string {
  return 'SELECT UsersId FROM AuthSession WHERE IsCurrent = true LIMIT 1';
}

// --- Investigation (what a session did) ---------------------------------------------------------

/** Rows the investigation reads per source; one more tells the bot the list was cut. */
export const INVESTIGATION_ROWS = 200;

/**
 * Setup changes made from the account, or as someone else through a Login-As by it (DelegateUser
 * holds the Login-As admin's username), inside the window. One query: both fields are filterable.
 */
export function setupChangesQuery(userId: string, username: string, from: Date, to: Date): string {
  return (
    'SELECT Id, Action, Section, Display, CreatedDate, CreatedById, CreatedBy.Username, DelegateUser FROM SetupAuditTrail ' +
    `WHERE (CreatedById = ${idLiteral(userId)} OR DelegateUser = ${literal(username)}) ` +
    `AND CreatedDate >= ${soqlDateTime(from)} AND CreatedDate <= ${soqlDateTime(to)} ORDER BY CreatedDate LIMIT ${INVESTIGATION_ROWS + 1}`
  );
}

export function windowLoginsQuery(userId: string, from: Date, to: Date): string {
  return (
    `SELECT ${LOGIN_FIELDS} FROM LoginHistory WHERE UserId = ${idLiteral(userId)} ` +
    `AND LoginTime >= ${soqlDateTime(from)} AND LoginTime <= ${soqlDateTime(to)} ORDER BY LoginTime DESC LIMIT ${INVESTIGATION_ROWS + 1}`
  );
}

export function verificationsQuery(userId: string, from: Date, to: Date): string {
  return (
    'SELECT Id, VerificationTime, Activity, VerificationMethod, Status, Policy, SourceIp, LoginHistoryId FROM VerificationHistory ' +
    `WHERE UserId = ${idLiteral(userId)} AND VerificationTime >= ${soqlDateTime(from)} AND VerificationTime <= ${soqlDateTime(to)} ` +
    `ORDER BY VerificationTime DESC LIMIT ${INVESTIGATION_ROWS + 1}`
  );
}

/**
 * Real-Time Event Monitoring events of the user in the window (ApiEvent, ReportEvent). They are big
 * objects; filtering on UserId and EventDate is what the bot relies on (the index fields of these
 * objects are not confirmed), and the session's addresses are matched in code.
 */
export function sessionEventsQuery(object: 'ApiEvent' | 'ReportEvent', userId: string, from: Date, to: Date): string {
  const extra = object === 'ReportEvent' ? ', ReportId' : '';
  return (
    `SELECT EventDate, Operation, QueriedEntities, RowsProcessed, SourceIp, LoginHistoryId${extra} FROM ${object} ` +
    `WHERE UserId = ${idLiteral(userId)} AND EventDate >= ${soqlDateTime(from)} AND EventDate <= ${soqlDateTime(to)} ` +
    `ORDER BY EventDate DESC LIMIT ${INVESTIGATION_ROWS + 1}`
  );
}

/** Every event log file since `from`, of any type, so the answer also says whether the org has Event Monitoring. */
export function eventLogFilesQuery(from: Date): string {
  return (
    'SELECT Id, EventType, LogDate, Interval, LogFileLength FROM EventLogFile ' +
    `WHERE LogDate >= ${soqlDateTime(from)} ORDER BY LogDate DESC LIMIT ${INVESTIGATION_ROWS + 1}`
  );
}
