import type { GrantsCaveat, LoginEvent, OauthGrant, SfUser, UserActivity } from '../domain/types';
import { describeSalesforceError, SalesforceError, toSalesforceError } from './errors';
import { currentSessionOwnerQuery, grantsQuery, loginsQuery, sessionsQuery, userIdSource, userLoginsQuery, usersQuery, type UserSelector } from './queries';
import {
  toGrant,
  toLoginEvent,
  toSession,
  toUser,
  type AuthSessionRow,
  type LoginHistoryRow,
  type OauthTokenRow,
  type UserLoginRow,
  type UserRow,
} from './records';
import { subPage, type QueryPage, type SalesforceRest } from './rest';

export type { UserActivity };

/** OauthToken returns no more than 2,500 rows in all (object reference); more may exist past them. */
export const OAUTH_TOKEN_CAP = 2500;

/** A partial-list caveat when Salesforce's cap may have cut the grants short, else null. */
export function grantsCapCaveat(rows: number, totalSize: number): GrantsCaveat | null {
  if (rows < OAUTH_TOKEN_CAP && rows >= totalSize) return null;
  return {
    kind: 'partial',
    text: `Connected-app grants are partial: Salesforce returns no more than ${OAUTH_TOKEN_CAP.toLocaleString('en-US')} OAuth tokens, so this user may have more than the ${rows.toLocaleString('en-US')} listed.`,
  };
}

export interface ActivityOptions {
  now: Date;
  /** How far back the rules look at logins. */
  loginWindowHours: number;
  loginLimit: number;
}

/**
 * Reads what `/sessions` needs about a user. Users, freeze state, sessions, recent logins and
 * OAuth grants go out as one Composite call (one API request); only further pages of a very
 * long session list cost more requests.
 */
export class UserActivityReader {
  /**
   * `grantsHidden` says why other users' OAuth grants cannot be read (IntegrationPermissions), or
   * null when they can; without it the reader is told nothing and reads them (tools and tests that
   * set up the permission themselves).
   */
  constructor(
    private readonly rest: SalesforceRest,
    private readonly grantsHidden: () => string | null = () => null,
  ) {}

  async read(selector: UserSelector, options: ActivityOptions): Promise<UserActivity> {
    const since = new Date(options.now.getTime() - options.loginWindowHours * 3600_000);
    const hidden = this.grantsHidden();
    const results = await this.rest.compositeQueries({
      users: usersQuery(selector),
      logins: userLoginsQuery(selector),
      sessions: sessionsQuery(userIdSource(selector)),
      recent: loginsQuery(selector, since, options.loginLimit),
      // Rows Salesforce would hide are not worth a subrequest: an empty answer would prove nothing.
      ...(hidden ? {} : { grants: grantsQuery(userIdSource(selector), false) }),
    });
    const userRows = subPage<UserRow>(results.users).records;
    const loginRows = results.logins instanceof SalesforceError ? [] : subPage<UserLoginRow>(results.logins).records;
    const byUser = new Map(loginRows.map((r) => [r.UserId, r]));
    const users = userRows.map((u) => toUser(u, byUser.get(u.Id)));
    if (users.length === 0) return { users, sessions: [], recentLogins: [], grants: [], grantsCaveat: null };

    const sessionRows = await this.rest.rest(subPage<AuthSessionRow>(results.sessions));
    // A page may be shorter than asked ("no guarantee that the requested batch size is the actual batch size"): follow it.
    const recentRows = await this.rest.rest(subPage<LoginHistoryRow>(results.recent));
    const { grants, grantsCaveat } = hidden ? { grants: null, grantsCaveat: { kind: 'hidden' as const, text: hidden } } : await this.grantsFrom(results.grants);
    return {
      users,
      sessions: sessionRows.map(toSession),
      recentLogins: recentRows.map(toLoginEvent),
      grants,
      grantsCaveat,
    };
  }

  /** Every page of a grants answer, and whether Salesforce's 2,500-row cap may have cut it short. */
  private async grantsFrom(answer: QueryPage<unknown> | SalesforceError | undefined): Promise<Pick<UserActivity, 'grants' | 'grantsCaveat'>> {
    if (answer === undefined || answer instanceof SalesforceError) {
      const cause = answer ? `${answer.errorCode}: ${describeSalesforceError(answer)}` : 'no answer';
      return { grants: null, grantsCaveat: { kind: 'unreadable', text: `Connected-app grants could not be read (Salesforce answered ${cause}).` } };
    }
    try {
      const first = answer as QueryPage<OauthTokenRow>;
      const rows = await this.rest.rest(first);
      return { grants: rows.map(toGrant), grantsCaveat: grantsCapCaveat(rows.length, first.totalSize) };
    } catch (err) {
      const e = toSalesforceError(err);
      return {
        grants: null,
        grantsCaveat: {
          kind: 'unreadable',
          text: `Connected-app grants could not be read (Salesforce answered ${e.errorCode}: ${describeSalesforceError(e)}).`,
        },
      };
    }
  }

  /**
   * Login History: the matching users and up to `limit` of their logins since `since`, newest
   * first — users, freeze state and logins in one Composite call.
   */
  async loginHistory(selector: UserSelector, since: Date, limit: number): Promise<{ users: SfUser[]; events: LoginEvent[] }> {
    const results = await this.rest.compositeQueries({
      users: usersQuery(selector),
      logins: userLoginsQuery(selector),
      history: loginsQuery(selector, since, limit),
    });
    const events = await this.rest.rest(subPage<LoginHistoryRow>(results.history));
    return { users: this.usersFrom(results), events: events.map(toLoginEvent) };
  }

  /** OAuth grants; with delete tokens only when about to revoke (they are credentials). */
  async grants(userId: string, withDeleteTokens: boolean): Promise<OauthGrant[]> {
    const rows = await this.rest.queryAll<OauthTokenRow>(grantsQuery({ byId: userId }, withDeleteTokens));
    return rows.map(toGrant);
  }

  /** Users (with freeze state) matching a selector, in one Composite call. */
  async findUsers(selector: UserSelector): Promise<SfUser[]> {
    return this.usersFrom(await this.rest.compositeQueries({ users: usersQuery(selector), logins: userLoginsQuery(selector) }));
  }

  /** Users from a Composite answer, with freeze state when UserLogin could be read. */
  private usersFrom(results: Record<string, QueryPage<unknown> | SalesforceError>): SfUser[] {
    const loginRows = results.logins instanceof SalesforceError || !results.logins ? [] : subPage<UserLoginRow>(results.logins).records;
    const byUser = new Map(loginRows.map((r) => [r.UserId, r]));
    return subPage<UserRow>(results.users).records.map((u) => toUser(u, byUser.get(u.Id)));
  }

  /** The integration user, found through its own session (IsCurrent) when the flow did not say. */
  async currentUserId(): Promise<string | null> {
    const rows = await this.rest.queryAll<{ UsersId: string }>(currentSessionOwnerQuery());
    return rows[0]?.UsersId ?? null;
  }
}
