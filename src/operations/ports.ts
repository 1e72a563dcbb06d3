import type { LoginEvent, Policy, SfUser, UserActivity, UserSelector } from '../domain/types';

/**
 * What the operations read from Salesforce, over domain types. The composition root hands in the
 * Salesforce reader; operations and every surface above them stay free of Salesforce code.
 */
export interface ActivitySource {
  read(selector: UserSelector, options: { now: Date; loginWindowHours: number; loginLimit: number }): Promise<UserActivity>;
  loginHistory(selector: UserSelector, since: Date, limit: number): Promise<{ users: SfUser[]; events: LoginEvent[] }>;
  findUsers(selector: UserSelector): Promise<SfUser[]>;
}

/** Settings the operations read; a slice of Config so tests can build them by hand. */
export interface OperationSettings {
  policy: Policy;
  /** TRUSTED_NETWORKS: CIDR ranges whose geo-IP place says nothing about where a person is. */
  trustedNetworks?: readonly string[];
  loginHistoryDays: number;
  loginHistoryLimit: number;
  requestTtlMinutes: number;
}

/** A user named by a person: exactly one match, several to pick from, or none. */
export type UserMatch<T> = ({ kind: 'found'; user: SfUser } & T) | { kind: 'pick'; users: SfUser[]; query: string } | { kind: 'not_found'; query: string };

export function describeSelector(selector: UserSelector): string {
  return 'byId' in selector ? selector.byId : selector.byEmailOrUsername;
}

/** One user out of a selector's matches, or why not. */
export function matchOne(users: SfUser[], selector: UserSelector): UserMatch<object> {
  const query = describeSelector(selector);
  if (users.length > 1) return { kind: 'pick', users, query };
  const [user] = users;
  return user ? { kind: 'found', user } : { kind: 'not_found', query };
}
