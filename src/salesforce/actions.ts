import type { Session } from '../domain/types';
import type { Logger } from '../logger';
import { fromErrorBody, SalesforceError, toSalesforceError } from './errors';
import { CHANGE_RETRY, isServerBusy, retriedText, withRetries, type Attempted, type ChangeRetryPolicy, type Retried } from './change-retry';
import { isLostAnswer, lostAnswerText, NotAppliedError, OutcomeUnknownError } from './lost-answer';
import { ApiMeter, MeteredRest } from './metered-rest';
import { grantsQuery, sessionsByIdQuery, sessionsQuery, userActiveQuery, userLoginByIdQuery, userLoginsQuery } from './queries';
import { toSession, type AuthSessionRow, type OauthTokenRow, type UserLoginRow } from './records';
import { subPage, type CompositeSubResponse, type SalesforceRest } from './rest';
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

/**
 * `lostAnswer` (on changes) is the code of an answer that never came (TIMEOUT, ECONNRESET, a
 * bodyless 5xx) when the result was read back from Salesforce instead. `unknown`: the answer was
 * lost and the read-back failed too.
 */
export type SessionResult =
  | { id: string; result: 'ended'; lostAnswer?: string; retried?: Retried }
  | { id: string; result: 'already_ended'; code: string }
  | { id: string; result: 'failed'; code: string; message: string }
  | { id: string; result: 'unknown'; code: string; message: string };

export interface FreezeResult {
  result: 'changed' | 'already';
  frozen: boolean;
  lostAnswer?: string;
  /** Set when Salesforce answered busy (5xx, 429) first and the change was sent again. */
  retried?: Retried;
}

export type GrantResult =
  | { appName: string; result: 'revoked'; lostAnswer?: string; retried?: Retried }
  | { appName: string; result: 'not_found' }
  | { appName: string; result: 'failed'; code: string; message: string }
  | { appName: string; result: 'unknown'; code: string; message: string };

type UnknownSession = Extract<SessionResult, { result: 'unknown' }>;

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
  /** Retries of changes that are safe to repeat, when Salesforce answers busy (default CHANGE_RETRY). */
  changeRetry?: ChangeRetryPolicy;
  /** Waits between those retries (tests may shorten them). */
  sleep?: (ms: number) => Promise<void>;
  /**
   * Why other users' OAuth grants cannot be read (IntegrationPermissions.grantsHidden), or null
   * when they can. Salesforce hides them without an error, so an empty answer would read as "no grants".
   */
  grantsHidden?: () => string | null;
}

/** The code of a grant step the bot refuses because Salesforce would not show it the grants. */
export const GRANTS_HIDDEN = 'GRANTS_HIDDEN';

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
   * Sends a change that is safe to repeat, again while Salesforce answers busy (5xx with or
   * without a SERVER_UNAVAILABLE body, 429), spaced by the backoff or the Retry-After asked for.
   */
  private retrying<T>(what: string, attempt: () => Promise<T>, toError: (err: unknown) => SalesforceError = toSalesforceError): Promise<Attempted<T>> {
    return withRetries(attempt, toError, {
      policy: this.options.changeRetry ?? CHANGE_RETRY,
      sleep: this.options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
      onRetry: (err, retry, waitMs) =>
        this.options.logger?.warn(
          { change: what, code: err.errorCode, status: err.status, retry, waitMs },
          'Salesforce answered busy to a change; sending it again',
        ),
    });
  }

  /**
   * Ends sessions with sObject Collections deletes of ≤200 ids; up to five such deletes travel in
   * one Composite call (one API request). Ids for which `protect` answers true (the bot's own
   * sessions) are refused here whatever the caller asked. Results are in the order of the
   * (de-duplicated) ids.
   *
   * A delete whose answer is lost (timeout, dropped connection, bodyless 5xx) is settled by
   * reading the ids back in one query: those gone count as ended; those still listed are
   * deleted once more — ending a session is idempotent, so the repeat can do no harm — and that
   * second answer is final. Only when the read-back fails are ids left `unknown`.
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
    const answered = await this.sendDeletes(group);
    const lost = answered.filter((r): r is UnknownSession => r.result === 'unknown');
    if (lost.length === 0) return answered;
    const settled = new Map((await this.settleLostDeletes(lost)).map((r) => [r.id, r]));
    return answered.map((r) => settled.get(r.id) ?? r);
  }

  /**
   * One Collections delete, or a Composite of up to five, sent again while Salesforce answers
   * busy (ending a session twice is harmless). Ids whose answer was lost, or still busy after
   * the retries, come back `unknown` for the read-back. After a retry, an id Salesforce no longer
   * knows was ended by an earlier attempt that was answered busy: it counts as ended.
   */
  private async sendDeletes(group: string[][]): Promise<SessionResult[]> {
    const sent = await this.retrying('end sessions', async () => {
      if (group.length === 1) {
        const ids = group[0] as string[];
        return classify(ids, await this.rest.requestOnce<CollectionItem[]>('DELETE', this.collectionUrl(ids)));
      }
      const res = await this.rest.requestOnce<{ compositeResponse: CompositeSubResponse[] }>('POST', `${this.base}/composite`, {
        allOrNone: false,
        compositeRequest: group.map((ids, i) => ({ method: 'DELETE', url: this.collectionUrl(ids), referenceId: `chunk${i}` })),
      });
      const byRef = new Map(res.compositeResponse.map((s) => [s.referenceId, s]));
      return group.flatMap((ids, i) => {
        const sub = byRef.get(`chunk${i}`);
        if (!sub) return allFailed(ids, new SalesforceError('UNKNOWN', 'composite sub-response missing'));
        if (sub.httpStatusCode >= 200 && sub.httpStatusCode < 300) return classify(ids, sub.body as CollectionItem[]);
        return unanswered(ids, fromErrorBody(sub.body, sub.httpStatusCode));
      });
    });
    if (!sent.ok) return unanswered(group.flat(), sent.error, sent.retried);
    const retried = sent.retried;
    if (!retried) return sent.value;
    return sent.value.map((r): SessionResult => {
      if (r.result === 'ended' || (r.result === 'already_ended' && ALREADY_GONE_CODES.has(r.code))) return { id: r.id, result: 'ended', retried };
      return r;
    });
  }

  /** Reads back ids whose delete lost its answer; deletes once more those still listed. */
  private async settleLostDeletes(lost: readonly UnknownSession[]): Promise<SessionResult[]> {
    const lostCode = new Map(lost.map((r) => [r.id, r.code]));
    let listed: Set<string>;
    try {
      listed = await this.listedSessionIds([...lostCode.keys()]);
    } catch (err) {
      const readBack = toSalesforceError(err);
      return lost.map((r) => ({ ...r, message: `${lostAnswerText(r.code)}, and reading Salesforce back failed too (${readBack.errorCode})` }));
    }
    const gone: SessionResult[] = [];
    const left: string[] = [];
    for (const [id, code] of lostCode) {
      if (listed.has(id)) left.push(id);
      else gone.push({ id, result: 'ended', lostAnswer: code });
    }
    if (left.length === 0) return gone;
    this.options.logger?.warn(
      { sessions: left.length, lostAnswer: lost[0]?.code },
      'sessions still listed after a delete whose answer was lost; deleting them once more',
    );
    const repeated = (await this.sendDeletes(chunk(left, COLLECTION_MAX_IDS))).map((r): SessionResult =>
      r.result === 'unknown'
        ? { ...r, message: `${lostAnswerText(r.code)} twice: the session was still listed after the first delete, and the answer to the second was lost too` }
        : r,
    );
    return [...gone, ...repeated];
  }

  /** Which of these (≤ 1,000) sessions Salesforce still lists: one query, or one Composite of up to five. */
  private async listedSessionIds(ids: readonly string[]): Promise<Set<string>> {
    const soql = (part: readonly string[]): string => `SELECT Id FROM AuthSession WHERE Id IN (${part.map(idLiteral).join(', ')})`;
    const parts = chunk(ids, QUERY_MAX_IDS);
    const rows: { Id: string }[] = [];
    if (parts.length === 1) rows.push(...(await this.rest.queryAll<{ Id: string }>(soql(parts[0] as string[]))));
    else {
      const res = await this.rest.compositeQueries(Object.fromEntries(parts.map((part, i) => [`ids${i}`, soql(part)])));
      for (let i = 0; i < parts.length; i += 1) rows.push(...(await this.rest.rest(subPage<{ Id: string }>(res[`ids${i}`]))));
    }
    return new Set(rows.map((r) => r.Id));
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
   * Sends a change that is safe to repeat, again while Salesforce answers busy. When its answer
   * is lost, or still busy after the retries (an instance under load may make the change and
   * answer 503 all the same), Salesforce is asked whether it took effect (one query): yes → the
   * lost answer's code is returned; no → the change is sent once more (it is safe to repeat), and
   * a second "no" is a NotAppliedError; the read-back failing → OutcomeUnknownError. Salesforce's
   * own refusals are thrown as they are.
   */
  private async change(send: () => Promise<unknown>, tookEffect: () => Promise<boolean>, what: string): Promise<{ lostAnswer?: string; retried?: Retried }> {
    let retries = 0;
    /** The last answer that made the change be sent again: what the step line names. */
    let cause: { code: string; status?: number } | null = null;
    const note = (): { retried?: Retried } => (retries > 0 && cause ? { retried: { count: retries, ...cause } } : {});
    // At most two rounds: a change read back as not made is safe to repeat, and a second doubt is final.
    for (let round = 1; ; round += 1) {
      const sent = await this.retrying(what, send);
      if (sent.retried) {
        retries += sent.retried.count;
        cause = { code: sent.retried.code, ...(sent.retried.status !== undefined ? { status: sent.retried.status } : {}) };
      }
      if (sent.ok) return note();
      const lost = sent.error;
      if (!isLostAnswer(lost) && !isServerBusy(lost)) throw lost;
      let done: boolean;
      try {
        done = await tookEffect();
      } catch (readErr) {
        throw new OutcomeUnknownError(lost, toSalesforceError(readErr), note().retried);
      }
      this.options.logger?.warn(
        { change: what, lostAnswer: lost.errorCode, retries, round, readBack: done ? 'done' : 'not done' },
        'answer to a change was lost or busy; read Salesforce back',
      );
      if (done) return { lostAnswer: lost.errorCode, ...note() };
      if (round === 2) throw new NotAppliedError(lost, note().retried);
      // Proven not made: sent once more.
      retries += 1;
      cause = { code: lost.errorCode, ...(lost.status !== undefined ? { status: lost.status } : {}) };
    }
  }

  /**
   * Freezes or unfreezes through UserLogin. With the UserLogin id known (read when the request
   * was made) it is one PATCH — setting the same value twice is harmless; without it, one query
   * first, and no PATCH when the user is already in that state. A lost answer costs one query
   * reading IsFrozen back.
   */
  async freeze(userId: string, frozen: boolean, knownUserLoginId?: string): Promise<FreezeResult> {
    requireId(userId);
    let loginId = knownUserLoginId ? requireId(knownUserLoginId) : undefined;
    if (!loginId) {
      const rows = await this.rest.queryAll<UserLoginRow>(userLoginsQuery({ byId: userId }));
      const row = rows[0];
      if (!row) throw new SalesforceError('NOT_FOUND', 'the user has no UserLogin row (freeze is not available for this user)');
      if ((row.IsFrozen === true) === frozen) return { result: 'already', frozen };
      loginId = requireId(row.Id);
    }
    const id = loginId;
    const sent = await this.change(
      () => this.rest.requestOnce('PATCH', `${this.base}/sobjects/UserLogin/${id}`, { IsFrozen: frozen }),
      async () => (await this.rest.queryAll<UserLoginRow>(userLoginByIdQuery(id)))[0]?.IsFrozen === frozen,
      frozen ? 'freeze' : 'unfreeze',
    );
    return { result: 'changed', frozen, ...sent };
  }

  /**
   * Invalidates the password; Salesforce emails the user a reset link. The response carries a
   * temporary password, which is dropped unread: it is never logged, stored, returned or shown.
   * Sent without jsforce's retry, since a repeated reset would mail the user twice. A reset
   * leaves nothing to read back, so a lost answer is an OutcomeUnknownError — probably done,
   * never repeated.
   */
  async resetPassword(userId: string): Promise<{ result: 'reset' }> {
    const url = `${this.base}/sobjects/User/${requireId(userId)}/password`;
    try {
      await this.rest.requestOnce<unknown>('DELETE', url);
    } catch (err) {
      const e = toSalesforceError(err);
      throw isLostAnswer(e) ? new OutcomeUnknownError(e, null) : e;
    }
    return { result: 'reset' };
  }

  /**
   * Revokes the user's connected-app grants (all, or those of the named apps) with each grant's
   * DeleteToken at the OAuth revoke endpoint. The tokens stay inside this method. Grants whose
   * answer was lost are settled afterwards by reading the grants back once (one query for all).
   */
  async revokeGrants(userId: string, appNames?: readonly string[]): Promise<GrantResult[]> {
    this.refuseHiddenGrants();
    const rows = await this.rest.queryAll<OauthTokenRow>(grantsQuery({ byId: requireId(userId) }, true));
    const wanted = appNames ? new Set(appNames) : null;
    const results: GrantResult[] = [];
    const lost: { index: number; token: string; code: string }[] = [];
    const revokeUrl = `${this.rest.conn.instanceUrl}/services/oauth2/revoke`;
    for (const row of rows) {
      const appName = row.AppName ?? '(unnamed app)';
      if (wanted && !wanted.has(appName)) continue;
      const token = row.DeleteToken ?? '';
      if (!token) {
        results.push({ appName, result: 'failed', code: 'NO_DELETE_TOKEN', message: 'Salesforce returned no DeleteToken for this grant' });
        continue;
      }
      // Revoking a token twice is harmless: sent again while Salesforce answers busy.
      const sent = await this.retrying(
        'revoke a grant',
        () => this.rest.requestOnce('POST', revokeUrl, new URLSearchParams({ token }).toString(), { 'content-type': 'application/x-www-form-urlencoded' }),
        oauthError,
      );
      if (sent.ok) {
        results.push({ appName, result: 'revoked', ...(sent.retried ? { retried: sent.retried } : {}) });
        continue;
      }
      const e = sent.error;
      // After a busy answer, "invalid token" may mean an earlier attempt revoked it: read back too.
      if (isLostAnswer(e) || isServerBusy(e) || sent.retried)
        lost.push({ index: results.length, token, code: sent.retried && !isServerBusy(e) ? sent.retried.code : e.errorCode });
      results.push({ appName, result: 'failed', code: e.errorCode, message: scrub(e.message, token) });
    }
    if (lost.length > 0) await this.settleLostRevokes(userId, lost, results);
    for (const name of wanted ?? []) {
      if (!results.some((r) => r.appName === name)) results.push({ appName: name, result: 'not_found' });
    }
    return results;
  }

  /**
   * Replaces, in `results`, the grants whose revoke answer was lost: gone → revoked, still there
   * → failed (read back: not done), unreadable → unknown. Matched by DeleteToken, which never leaves.
   */
  private async settleLostRevokes(userId: string, lost: readonly { index: number; token: string; code: string }[], results: GrantResult[]): Promise<void> {
    let left: Set<string> | null = null;
    let readBack: SalesforceError | null = null;
    try {
      const rows = await this.rest.queryAll<OauthTokenRow>(grantsQuery({ byId: userId }, true));
      left = new Set(rows.map((r) => r.DeleteToken ?? '').filter((t) => t.length > 0));
    } catch (err) {
      readBack = toSalesforceError(err);
    }
    for (const { index, token, code } of lost) {
      const appName = (results[index] as GrantResult).appName;
      if (left === null) {
        const message = `${lostAnswerText(code)}, and reading Salesforce back failed too (${readBack?.errorCode ?? 'UNKNOWN'})`;
        results[index] = { appName, result: 'unknown', code, message };
      } else if (left.has(token)) results[index] = { appName, result: 'failed', code, message: `${lostAnswerText(code)}; read back: the grant is still there` };
      else results[index] = { appName, result: 'revoked', lostAnswer: code };
    }
    this.options.logger?.warn(
      { grants: lost.length, lostAnswer: lost[0]?.code, readBack: readBack?.errorCode ?? 'read' },
      'answers to grant revocations were lost; read Salesforce back',
    );
  }

  /** One PATCH (repeated while Salesforce answers busy); a lost answer costs one query reading IsActive back. */
  async deactivate(userId: string): Promise<{ result: 'deactivated'; lostAnswer?: string; retried?: Retried }> {
    const id = requireId(userId);
    const sent = await this.change(
      () => this.rest.requestOnce('PATCH', `${this.base}/sobjects/User/${id}`, { IsActive: false }),
      async () => (await this.rest.queryAll<{ IsActive: boolean }>(userActiveQuery(id)))[0]?.IsActive === false,
      'deactivate',
    );
    return { result: 'deactivated', ...sent };
  }

  /** The user's sessions now (one query, every page followed). */
  async remainingSessions(userId: string): Promise<Session[]> {
    return (await this.rest.queryAll<AuthSessionRow>(sessionsQuery({ byId: requireId(userId) }))).map(toSession);
  }

  /** Throws GRANTS_HIDDEN with the reason when Salesforce would show the bot only its own grants. */
  private refuseHiddenGrants(): void {
    const hidden = this.options.grantsHidden?.() ?? null;
    if (hidden) throw new SalesforceError(GRANTS_HIDDEN, hidden);
  }

  /** App names of the grants left (no delete tokens). */
  async remainingGrants(userId: string): Promise<string[]> {
    this.refuseHiddenGrants();
    const grants = await new UserActivityReader(this.rest).grants(requireId(userId), false);
    return grants.map((g) => g.appName);
  }

  /** Sessions, grants, freeze and active state in one Composite call (plus pages of a long session list). */
  async snapshot(userId: string, parts: SnapshotParts): Promise<UserSnapshot> {
    const id = { byId: requireId(userId) };
    const queries: Record<string, string> = {};
    if (parts.sessions) queries.sessions = sessionsQuery(id);
    // Hidden grants stay null (not readable) rather than an empty list that would read as "all revoked".
    if (parts.grants && !this.options.grantsHidden?.()) queries.grants = grantsQuery(id, false);
    if (parts.frozen) queries.login = userLoginsQuery(id);
    if (parts.active) queries.user = userActiveQuery(userId);
    const out: UserSnapshot = { sessions: null, grants: null, isFrozen: null, isActive: null };
    if (Object.keys(queries).length === 0) return out;
    const res = await this.rest.compositeQueries(queries);
    if (parts.sessions) out.sessions = (await this.rest.rest(subPage<AuthSessionRow>(res.sessions))).map(toSession);
    if (parts.grants && res.grants !== undefined && !(res.grants instanceof SalesforceError)) {
      out.grants = (await this.rest.rest(subPage<OauthTokenRow>(res.grants))).map((g) => g.AppName ?? '(unnamed app)');
    }
    if (parts.frozen) {
      const row = subPage<UserLoginRow>(res.login).records[0];
      out.isFrozen = row ? row.IsFrozen === true : null;
    }
    if (parts.active) {
      const row = subPage<{ IsActive: boolean }>(res.user).records[0];
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

/**
 * A delete that got no usable answer: failed when Salesforce said no, unknown (to be read back)
 * when the answer was lost or Salesforce was still busy after the retries.
 */
function unanswered(ids: readonly string[], err: SalesforceError, retried?: Retried): SessionResult[] {
  if (!isLostAnswer(err) && !isServerBusy(err)) return allFailed(ids, err);
  const message = retried ? `${lostAnswerText(err.errorCode)} ${retriedText(retried)}` : lostAnswerText(err.errorCode);
  return ids.map((id) => ({ id, result: 'unknown', code: err.errorCode, message }));
}
