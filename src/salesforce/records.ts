import type { LoginEvent, OauthGrant, Place, Session, SfUser } from '../domain/types';
import { isSuccessStatus } from '../domain/login-status';

/** REST shapes of the rows the bot reads (fields as Salesforce names them). */
export interface GeoRow {
  City: string | null;
  Subdivision: string | null;
  Country: string | null;
  CountryIso: string | null;
  Latitude: number | null;
  Longitude: number | null;
}

export interface AuthSessionRow {
  Id: string;
  UsersId: string;
  SessionType: string;
  LoginType: string | null;
  SessionSecurityLevel: string | null;
  SourceIp: string | null;
  CreatedDate: string;
  LastModifiedDate: string;
  NumSecondsValid: number | null;
  ParentId: string | null;
  IsCurrent: boolean | null;
  LoginHistory: { LoginTime: string | null; Browser: string | null; Platform: string | null; Application: string | null; LoginType: string | null } | null;
  LoginGeo: GeoRow | null;
}

export interface UserRow {
  Id: string;
  Username: string;
  Name: string | null;
  Email: string | null;
  IsActive: boolean;
  UserType: string | null;
  Profile: { Name: string | null } | null;
}

export interface UserLoginRow {
  Id: string;
  UserId: string;
  IsFrozen: boolean | null;
}

export interface LoginHistoryRow {
  Id: string;
  UserId: string;
  LoginTime: string;
  Status: string | null;
  SourceIp: string | null;
  LoginType: string | null;
  Application: string | null;
  Browser: string | null;
  Platform: string | null;
  LoginGeo: GeoRow | null;
}

export interface OauthTokenRow {
  AppName: string | null;
  UseCount: number | null;
  LastUsedDate: string | null;
  CreatedDate: string | null;
  UserId: string;
  DeleteToken?: string | null;
}

/** Salesforce renders datetimes as `2026-11-26T10:00:00.000+0000`; ECMAScript wants `+00:00`. */
export function parseSfDate(value: string): Date {
  // Salesforce writes UTC as "+0000": the common case skips the regular expression (a million rows on a first start).
  const iso = value.endsWith('+0000') ? `${value.slice(0, -5)}Z` : value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new Error(`unparseable Salesforce datetime: ${value}`);
  return d;
}

/** A SOQL datetime literal (unquoted, UTC). */
export function soqlDateTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function toPlace(geo: GeoRow | null): Place | null {
  if (!geo) return null;
  return {
    city: geo.City,
    subdivision: geo.Subdivision,
    country: geo.Country,
    countryIso: geo.CountryIso,
    latitude: geo.Latitude,
    longitude: geo.Longitude,
  };
}

export function toSession(row: AuthSessionRow): Session {
  const lastModifiedAt = parseSfDate(row.LastModifiedDate);
  const secondsValid = row.NumSecondsValid ?? 0;
  const lh = row.LoginHistory;
  return {
    id: row.Id,
    userId: row.UsersId,
    // A root session names itself as parent; the domain uses null for "no parent".
    parentId: row.ParentId && row.ParentId !== row.Id ? row.ParentId : null,
    sessionType: row.SessionType,
    loginType: row.LoginType,
    securityLevel: row.SessionSecurityLevel,
    sourceIp: row.SourceIp,
    createdAt: parseSfDate(row.CreatedDate),
    lastModifiedAt,
    secondsValid,
    expiresAt: new Date(lastModifiedAt.getTime() + secondsValid * 1000),
    isCurrent: row.IsCurrent === true,
    login: lh
      ? {
          loginTime: lh.LoginTime ? parseSfDate(lh.LoginTime) : null,
          browser: lh.Browser,
          platform: lh.Platform,
          application: lh.Application,
          loginType: lh.LoginType,
        }
      : null,
    place: toPlace(row.LoginGeo),
  };
}

export function toUser(row: UserRow, login: UserLoginRow | undefined): SfUser {
  return {
    id: row.Id,
    username: row.Username,
    name: row.Name ?? row.Username,
    email: row.Email ?? '',
    isActive: row.IsActive,
    isFrozen: login ? login.IsFrozen === true : null,
    userLoginId: login?.Id ?? null,
    userType: row.UserType,
    profileName: row.Profile?.Name ?? null,
  };
}

export function toLoginEvent(row: LoginHistoryRow): LoginEvent {
  const status = row.Status ?? '';
  return {
    id: row.Id,
    userId: row.UserId,
    loginTime: parseSfDate(row.LoginTime),
    status,
    success: isSuccessStatus(status),
    sourceIp: row.SourceIp,
    loginType: row.LoginType,
    application: row.Application,
    browser: row.Browser,
    platform: row.Platform,
    place: toPlace(row.LoginGeo),
  };
}

export function toGrant(row: OauthTokenRow): OauthGrant {
  return {
    appName: row.AppName ?? '(unnamed app)',
    useCount: row.UseCount ?? 0,
    lastUsedAt: row.LastUsedDate ? parseSfDate(row.LastUsedDate) : null,
    createdAt: row.CreatedDate ? parseSfDate(row.CreatedDate) : null,
    deleteToken: row.DeleteToken ?? '',
  };
}
