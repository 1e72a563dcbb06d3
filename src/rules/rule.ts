import type { Finding, FindingEvidence, LoginEvent, OauthGrant, Policy, SessionFamily, Severity } from '../domain/types';

/** What a finding's key names: session family roots, LoginHistory rows or connected-app grants. */
export type RuleSubject = Finding['subject'];

/** Where a rule's findings are shown: the `/sessions` answer, the alert monitor, or both. */
export type RuleSurface = 'sessions' | 'monitor';

/** Everything any rule may read about ONE user. Rules never read the clock: `now` is passed in. */
export interface RuleInput {
  userId: string;
  /** The user's sessions, grouped by login. */
  families: readonly SessionFamily[];
  /** The user's recent LoginHistory rows, newest first. */
  logins: readonly LoginEvent[];
  /** The user's connected-app grants. */
  grants: readonly OauthGrant[];
  policy: Policy;
  now: Date;
  /** The Salesforce user the bot logs in as: its sessions are never flagged. */
  botUserId: string;
  /**
   * True for an address on a trusted network (e.g. the corporate VPN exit), whose geo-IP place says
   * nothing about where the person is: such a login or session is never "distant" or "new".
   */
  trusted?: (ip: string) => boolean;
  /**
   * True for an address many colleagues sign in from (the org's VPN exits and offices, learned by
   * the monitor). Such a login is never the suspect one — it is the org's own network — but unlike a
   * trusted network its place is still where the last login was: an office's address places the
   * person at the office, so a stranger's login far away minutes later is still impossible travel.
   */
  shared?: (ip: string) => boolean;
  /**
   * Whether the user is an integration (its sessions are all API / OAuth): the monitor says so,
   * since an integration's tokens are held to the rotation policy and a person's phone app's are
   * not. Unknown (undefined) in `/sessions`, which shows every grant's age.
   */
  integration?: boolean;
}

export interface RuleMeta {
  /** Stable kebab-case id: findings, keys, stored alerts and tests refer to it. */
  id: string;
  /** What it detects, for a security engineer. */
  title: string;
  /** The usual severity of its findings. */
  severity: Severity;
  /** When a finding's severity differs from the default, in words (or that it never does). */
  severityNote: string;
  /** The Policy thresholds it uses. */
  reads: ReadonlyArray<keyof Policy>;
  /** One line for the person who gets the alert: what to check, what to do. */
  runbook: string;
  /** What its finding keys name (token-age names both sessions and grants). */
  subjects: readonly [RuleSubject, ...RuleSubject[]];
  surface: readonly [RuleSurface, ...RuleSurface[]];
  /**
   * Its findings change as time passes with no new row (a session growing old): the monitor's full
   * scan re-runs it for everyone. The others only change when the user's rows do.
   */
  changesWithTime?: boolean;
  /**
   * The person the finding is about can explain its medium findings ("yes, I am in Lisbon"): the
   * monitor asks them first and brings the alert to the channel only if they say no, do not answer
   * in time, or cannot be asked.
   */
  askFirst?: boolean;
}

/** One detection: pure, over one user's sessions, logins and grants. */
export interface Rule {
  meta: RuleMeta;
  evaluate(input: RuleInput): Finding[];
}

/** What an org-wide rule reads: logins of many people at once (e.g. every failure from one address). */
export interface OrgRuleInput {
  /** Logins of any users, any order. */
  logins: readonly LoginEvent[];
  policy: Policy;
  now: Date;
  botUserId: string;
  /** As RuleInput.trusted and RuleInput.shared. */
  trusted?: (ip: string) => boolean;
  shared?: (ip: string) => boolean;
}

/** A detection across people (password spraying): pure, over the logins of many users. */
export interface OrgRule {
  meta: RuleMeta;
  evaluate(input: OrgRuleInput): Finding[];
}

export interface FindingParts {
  rule: string;
  userId: string;
  subject: RuleSubject;
  /** The Salesforce rows the finding is about (see rowIdOfGrant for grants). */
  rowIds: readonly string[];
  severity: Severity;
  message: string;
  /** Session family roots to attach the finding to in `/sessions`; empty for user-level findings. */
  sessionIds?: string[];
  evidence?: FindingEvidence;
}

export function findingGroupKey(rule: string, userId: string): string {
  return `${rule}:${userId}`;
}

export function findingKey(rule: string, userId: string, rowIds: readonly string[]): string {
  const ids = [...new Set(rowIds)].sort();
  return `${findingGroupKey(rule, userId)}:${ids.join(',')}`;
}

export function makeFinding(parts: FindingParts): Finding {
  const { rule, userId, subject, rowIds, severity, message, sessionIds = [], evidence } = parts;
  const made: Finding = {
    rule,
    severity,
    message,
    sessionIds,
    userId,
    subject,
    key: findingKey(rule, userId, rowIds),
    groupKey: findingGroupKey(rule, userId),
  };
  if (evidence) made.evidence = evidence;
  return made;
}

/**
 * OauthGrant carries no Salesforce id, so a grant is named by its app and creation instant, which
 * never change for one grant. The app name is URI-encoded so its commas and colons cannot blur the
 * key's separators. The deleteToken is a credential and never part of a key.
 */
export function rowIdOfGrant(grant: OauthGrant): string {
  const created = grant.createdAt ? grant.createdAt.toISOString() : 'unknown';
  return `${encodeURIComponent(grant.appName.replace(/\s+/g, ' ').trim())}@${created}`;
}

/** Whether `ip` is on a trusted network; an unknown address never is. */
export function isTrustedIp(input: Pick<RuleInput, 'trusted'>, ip: string | null): boolean {
  const trimmed = ip?.trim();
  return Boolean(trimmed && input.trusted?.(trimmed));
}

/** Whether `ip` is one many colleagues sign in from (see RuleInput.shared); an unknown address never is. */
export function isSharedIp(input: Pick<RuleInput, 'shared'>, ip: string | null): boolean {
  const trimmed = ip?.trim().toLowerCase();
  return Boolean(trimmed && input.shared?.(trimmed));
}

/** Trusted or shared: an address that says nothing suspicious about the person by itself. */
export function isOrgNetwork(input: Pick<RuleInput, 'trusted' | 'shared'>, ip: string | null): boolean {
  return isTrustedIp(input, ip) || isSharedIp(input, ip);
}

/** Rows grouped by their user, in first-seen order (rules stay per-user even if handed a mix). */
export function groupByUser<T extends { userId: string }>(rows: readonly T[]): T[][] {
  const byUser = new Map<string, T[]>();
  for (const row of rows) {
    const list = byUser.get(row.userId);
    if (list) list.push(row);
    else byUser.set(row.userId, [row]);
  }
  return [...byUser.values()];
}
