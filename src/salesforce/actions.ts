import type { Session } from '../domain/types';
import type { Logger } from '../logger';
import { fromErrorBody, SalesforceError, toSalesforceError } from './errors';
import { ApiMeter, MeteredRest } from './metered-rest';
import { grantsQuery, sessionsByIdQuery, sessionsQuery, userLoginsQuery } from './queries';
import { toSession, type AuthSessionRow, type OauthTokenRow, type UserLoginRow } from './records';
import type { CompositeSubResponse, QueryPage, SalesforceRest } from './rest';
import { idLiteral, isSalesforceId } from './soql';
import { UserActivityReader } from './user-activity';

/** sObject Collections take at most 200 ids per call. */
export const COLLECTION_MAX_IDS = 200;
/** A Composite call may hold at most 5 query/collection subrequests. */
export const COMPOSITE_MAX_COLLECTIONS = 5;
/** Ids per `Id IN (…)` query, well under the 16 KB URI limit. */
const QUERY_MAX_IDS = 200;

/**
 * Item errors meaning "this session is not there any more": it expired, someone else ended it, or
 * a retried DELETE already removed it. MALFORMED_ID is only ever seen here for an id that passed our
 * own format check, i.e. a stale one.
 */
export const ALREADY_GONE_CODES: ReadonlySet<string> = new Set(['NOT_FOUND', 'INVALID_CROSS_REFERENCE_KEY', 'ENTITY_IS_DELETED', 'MALFORMED_ID']);

export type SessionResult =
  | { id: string; result: 'ended' }
  | { id: string; result: 'already_ended'; code: string }
  | { id: string; result: 'failed'; code: string; message: string };

export interface FreezeResult {
  result: 'changed' | 'already';
  frozen: boolean;
}

export type GrantResult =
  | { appName: string; result: 'revoked' }
  | { appName: string; result: 'not_found' }
  | { appName: string; result: 'failed'; code: string; message: string };

/** What Salesforce says about a user right now, read in one Composite call. */
export interface UserSnapshot {
  /** null when not asked for. */
  sessions: Session[] | null;
  /** App names of the remaining grants; null when not asked for or not readable (no Customize Application). */
  grants: string[] | null;
  /** null when not asked for or no UserLogin row. */
  isFrozen: boolean | null;
  isActive: boolean | null;
}

export interface SnapshotParts {
  sessions?: boolean;
  grants?: boolean;
  frozen?: boolean;
  active?: boolean;
}

export interface ActionsOptions {
  /** The integration user, when the login flow told us; otherwise found once through IsCurrent. */
  botUserId?: string | null;
  logger?: Logger;
}

interface CollectionItem {
  id?: string;
  success: boolean;
  errors?: { statusCode?: string; errorCode?: string; message?: string }[];
}

function requireId(id: string): string {
  if (!isSalesforceId(id)) throw new SalesforceError('MALFORMED_ID', `not a Salesforce id: ${JSON.stringify(id).slice(0, 40)}`);
  return id;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function firstPage<T>(result: QueryPage<unknown> | SalesforceError | undefined): QueryPage<T> {
  if (result === undefined) throw new SalesforceError('UNKNOWN', 'composite sub-response missing');
  if (result instanceof SalesforceError) throw result;
  return result as QueryPage<T>;
}

/** Removes a secret from a message before it can reach a log, the audit trail or Slack. */
function scrub(message: string, secret: string): string {
  return secret.length > 0 ? message.split(secret).join('[redacted]') : message;
}

/**
 * The Salesforce side of the response actions. Every method spends as few API calls as the
 * REST API allows; `metered(meter)` gives a view that counts them for one operation.
 */
export class SalesforceActions {
  private readonly rest: MeteredRest;
  private readonly botId: { value?: string | null };

  constructor(
    rest: SalesforceRest,
    private readonly options: ActionsOptions = {},
    meter: ApiMeter = new ApiMeter(),
    botIdCache?: { value?: string | null },
  ) {
    this.rest = new MeteredRest(rest, meter);
    this.botId = botIdCache ?? (options.botUserId !== undefined && options.botUserId !== null ? { value: options.botUserId } : {});
  }

  /** The same actions, counting calls into `meter` (the bot-user cache is shared). */
  metered(meter: ApiMeter): SalesforceActions {
    return new SalesforceActions(this.rest, this.options, meter, this.botId);
  }

  get meter(): ApiMeter {
    return this.rest.meter;
  }

  private get base(): string {
    return this.rest.base;
  }

  /** The integration user's id (one query the first time when the login flow did not say). */
  async botUserId(): Promise<string | null> {
    if (this.botId.value === undefined) this.botId.value = await new UserActivityReader(this.rest).currentUserId();
    return this.botId.value;
  }

  /**
   * Ends sessions with sObject Collections deletes of ≤200 ids; up to five such deletes travel in
   * one Composite call (one API request). Ids for which `protect` answers true (the bot's own
   * sessions) are refused here whatever the caller asked. Results are in the order of the
   * (de-duplicated) ids.
   */
  async removeSessions(ids: readonly string[], protect: (id: string) => boolean): Promise<SessionResult[]> {
    const unique = [...new Set(ids)];
    const results = new Map<string, SessionResult>();
    const toDelete: string[] = [];
    for (const id of unique) {
      if (!isSalesforceId(id)) results.set(id, { id, result: 'failed', code: 'MALFORMED_ID', message: 'not a Salesforce session id' });
      else if (protect(id)) {
        results.set(id, { id, result: 'failed', code: 'PROTECTED_SESSION', message: "the bot's own session is never ended" });
        this.options.logger?.warn({ sessionId: id }, "refused to end one of the bot's own sessions");
      } else toDelete.push(id);
    }
    for (const group of chunk(chunk(toDelete, COLLECTION_MAX_IDS), COMPOSITE_MAX_COLLECTIONS)) {
      for (const r of await this.deleteGroup(group)) results.set(r.id, r);
    }
    return unique.map((id) => results.get(id) as SessionResult);
  }

  private collectionUrl(ids: readonly string[]): string {
    return `${this.base}/composite/sobjects?ids=${ids.join(',')}&allOrNone=false`;
  }

  private async deleteGroup(group: string[][]): Promise<SessionResult[]> {
    try {
      if (group.length === 1) {
        const ids = group[0] as string[];
        const items = await this.rest.request<CollectionItem[]>('DELETE', this.collectionUrl(ids));
        return classify(ids, items);
      }
      const res = await this.rest.request<{ compositeResponse: CompositeSubResponse[] }>('POST', `${this.base}/composite`, {
        allOrNone: false,
        compositeRequest: group.map((ids, i) => ({ method: 'DELETE', url: this.collectionUrl(ids), referenceId: `chunk${i}` })),
      });
      const byRef = new Map(res.compositeResponse.map((s) => [s.referenceId, s]));
      return group.flatMap((ids, i) => {
        const sub = byRef.get(`chunk${i}`);
        if (!sub) return allFailed(ids, new SalesforceError('UNKNOWN', 'composite sub-response missing'));
        if (sub.httpStatusCode >= 200 && sub.httpStatusCode < 300) return classify(ids, sub.body as CollectionItem[]);
        return allFailed(ids, fromErrorBody(sub.body, sub.httpStatusCode));
      });
    } catch (err) {
      return allFailed(group.flat(), toSalesforceError(err));
    }
  }

  /** Sessions by id (whoever owns them), for checking ownership before a delete. */
  async sessionsById(ids: readonly string[]): Promise<Session[]> {
    const valid = [...new Set(ids)].filter(isSalesforceId);
    const out: Session[] = [];
    for (const part of chunk(valid, QUERY_MAX_IDS)) {
      out.push(...(await this.rest.queryAll<AuthSessionRow>(sessionsByIdQuery(part))).map(toSession));
    }
    return out;
  }

  /**
   * Freezes or unfreezes through UserLogin. With the UserLogin id known (read when the request
   * was made) it is one PATCH — setting the same value twice is harmless; without it, one query
   * first, and no PATCH when the user is already in that state.
   */
  async freeze(userId: string, frozen: boolean, knownUserLoginId?: string): Promise<FreezeResult> {
    requireId(userId);
    if (knownUserLoginId) {
      await this.rest.request('PATCH', `${this.base}/sobjects/UserLogin/${requireId(knownUserLoginId)}`, { IsFrozen: frozen });
      return { result: 'changed', frozen };
    }
    const rows = await this.rest.queryAll<UserLoginRow>(userLoginsQuery({ byId: userId }));
    const row = rows[0];
    if (!row) throw new SalesforceError('NOT_FOUND', 'the user has no UserLogin row (freeze is not available for this user)');
    if ((row.IsFrozen === true) === frozen) return { result: 'already', frozen };
    await this.rest.request('PATCH', `${this.base}/sobjects/UserLogin/${requireId(row.Id)}`, { IsFrozen: frozen });
    return { result: 'changed', frozen };
  }

  /**
   * Invalidates the password; Salesforce emails the user a reset link. The response carries a
   * temporary password, which is dropped unread: it is never logged, stored, returned or shown.
   * Sent without jsforce's retry, since a repeated reset would mail the user twice.
   */
  async resetPassword(userId: string): Promise<{ result: 'reset' }> {
    await this.rest.requestOnce<unknown>('DELETE', `${this.base}/sobjects/User/${requireId(userId)}/password`);
    return { result: 'reset' };
  }

  /**
   * Revokes the user's connected-app grants (all, or those of the named apps) with each grant's
   * DeleteToken at the OAuth revoke endpoint. The tokens stay inside this method.
   */
  async revokeGrants(userId: string, appNames?: readonly string[]): Promise<GrantResult[]> {
    const rows = await this.rest.queryAll<OauthTokenRow>(grantsQuery({ byId: requireId(userId) }, true));
    const wanted = appNames ? new Set(appNames) : null;
    const results: GrantResult[] = [];
    const revokeUrl = `${this.rest.conn.instanceUrl}/services/oauth2/revoke`;
    for (const row of rows) {
      const appName = row.AppName ?? '(unnamed app)';
      if (wanted && !wanted.has(appName)) continue;
      const token = row.DeleteToken ?? '';
      if (!token) {
        results.push({ appName, result: 'failed', code: 'NO_DELETE_TOKEN', message: 'Salesforce returned no DeleteToken for this grant' });
        continue;
      }
      try {
        await this.rest.request('POST', revokeUrl, new URLSearchParams({ token }).toString(), {
          'content-type': 'application/x-www-form-urlencoded',
        });
        results.push({ appName, result: 'revoked' });
      } catch (err) {
        const e = oauthError(err);
        results.push({ appName, result: 'failed', code: e.errorCode, message: scrub(e.message, token) });
      }
    }
    for (const name of wanted ?? []) {
      if (!results.some((r) => r.appName === name)) results.push({ appName: name, result: 'not_found' });
    }
    return results;
  }

  async deactivate(userId: string): Promise<{ result: 'deactivated' }> {
    await this.rest.request('PATCH', `${this.base}/sobjects/User/${requireId(userId)}`, { IsActive: false });
    return { result: 'deactivated' };
  }

  async remainingSessions(userId: string): Promise<Session[]> {
    return new UserActivityReader(this.rest).sessions(requireId(userId));
  }

  /** App names of the grants left (no delete tokens). */
  async remainingGrants(userId: string): Promise<string[]> {
    const grants = await new UserActivityReader(this.rest).grants(requireId(userId), false);
    return grants.map((g) => g.appName);
  }

  /** Sessions, grants, freeze and active state in one Composite call (plus pages of a long session list). */
  async snapshot(userId: string, parts: SnapshotParts): Promise<UserSnapshot> {
    const id = { byId: requireId(userId) };
    const queries: Record<string, string> = {};
    if (parts.sessions) queries.sessions = sessionsQuery(id);
    if (parts.grants) queries.grants = grantsQuery(id, false);
    if (parts.frozen) queries.login = userLoginsQuery(id);
    if (parts.active) queries.user = `SELECT Id, IsActive FROM User WHERE Id = ${idLiteral(userId)}`;
    const out: UserSnapshot = { sessions: null, grants: null, isFrozen: null, isActive: null };
    if (Object.keys(queries).length === 0) return out;
    const res = await this.rest.compositeQueries(queries);
    if (parts.sessions) out.sessions = (await this.rest.rest(firstPage<AuthSessionRow>(res.sessions))).map(toSession);
    if (parts.grants && !(res.grants instanceof SalesforceError)) {
      out.grants = (await this.rest.rest(firstPage<OauthTokenRow>(res.grants))).map((g) => g.AppName ?? '(unnamed app)');
    }
    if (parts.frozen) {
      const row = firstPage<UserLoginRow>(res.login).records[0];
      out.isFrozen = row ? row.IsFrozen === true : null;
    }
    if (parts.active) {
      const row = firstPage<{ IsActive: boolean }>(res.user).records[0];
      out.isActive = row ? row.IsActive === true : null;
    }
    return out;
  }
}

/** Collections answers in request order; failed items may omit their id, so match by position. */
function classify(ids: readonly string[], items: readonly CollectionItem[] | null | undefined): SessionResult[] {
  return ids.map((id, i): SessionResult => {
    const item: CollectionItem | undefined = items?.[i];
    if (!item) return { id, result: 'failed', code: 'NO_RESULT', message: 'Salesforce returned no result for this id' };
    if (item.success) return { id, result: 'ended' };
    const error = item.errors?.[0];
    const code = error?.statusCode ?? error?.errorCode ?? 'UNKNOWN';
    if (ALREADY_GONE_CODES.has(code)) return { id, result: 'already_ended', code };
    return { id, result: 'failed', code, message: error?.message ?? 'Salesforce did not say why' };
  });
}

/**
 * jsforce does not read OAuth-shaped error bodies (`{error, error_description}`): it reports
 * ERROR_HTTP_<status> with the raw body as the message. Recover the OAuth code from it.
 */
function oauthError(err: unknown): SalesforceError {
  const e = toSalesforceError(err);
  if (!e.errorCode.startsWith('ERROR_HTTP_')) return e;
  try {
    const body = JSON.parse(e.message) as { error?: unknown; error_description?: unknown };
    if (typeof body.error === 'string') {
      return new SalesforceError(body.error, typeof body.error_description === 'string' ? body.error_description : body.error, e.status);
    }
  } catch {
    // Not JSON: keep jsforce's answer.
  }
  return e;
}

function allFailed(ids: readonly string[], err: SalesforceError): SessionResult[] {
  return ids.map((id) => ({ id, result: 'failed', code: err.errorCode, message: err.message }));
}
