import { trustedNetworks } from '../domain/networks';
import type { GrantsCaveat, LoginEvent, LoginSummary, SessionAssessment, UserSelector } from '../domain/types';
import { assessSessions, summarizeLogins } from '../rules/assess';
import { matchOne, type ActivitySource, type OperationSettings, type UserMatch } from './ports';

/** Salesforce returns up to 2,000 rows per call, so the summary covers the whole window for the price of one request. */
const SUMMARY_ROWS = 2000;
const RULE_LOGIN_ROWS = 200;

export interface UserSessions {
  assessment: SessionAssessment;
  botUserId: string;
  /** False for the bot's own Salesforce user: nothing is offered against it. */
  canAct: boolean;
  /** Why the user's OAuth grants are not known in full (the grant rules then saw none or some); null when they are. */
  grantsCaveat: GrantsCaveat | null;
}

export interface UserLoginHistory {
  events: LoginEvent[];
  summary: LoginSummary;
  days: number;
}

export interface LookupDeps {
  activity: ActivitySource;
  settings: OperationSettings;
  botUserId: () => string | null;
  now: () => Date;
}

/**
 * How far back the rules look at logins: the login history window (the rules compare with the
 * person's own earlier logins, as the monitor does), at least the failed-login window and a day.
 */
export function ruleLoginWindowHours(settings: OperationSettings): number {
  return Math.max(24, settings.policy.failedLoginWindowMinutes / 60, settings.loginHistoryDays * 24);
}

/** A user's live sessions, assessed by the rules, riskiest first. One Composite call for most users. */
export async function lookupSessions(deps: LookupDeps, selector: UserSelector): Promise<UserMatch<UserSessions>> {
  const now = deps.now();
  const activity = await deps.activity.read(selector, { now, loginWindowHours: ruleLoginWindowHours(deps.settings), loginLimit: RULE_LOGIN_ROWS });
  const match = matchOne(activity.users, selector);
  if (match.kind !== 'found') return match;
  const { user } = match;
  const botUserId = deps.botUserId() ?? '';
  const assessment = assessSessions({
    sessions: activity.sessions.filter((s) => s.userId === user.id),
    logins: activity.recentLogins.filter((l) => l.userId === user.id),
    grants: activity.grants ?? [],
    policy: deps.settings.policy,
    now,
    botUserId,
    trusted: trustedNetworks(deps.settings.trustedNetworks ?? []),
  });
  return { kind: 'found', user, assessment, botUserId, canAct: user.id !== botUserId, grantsCaveat: activity.grantsCaveat };
}

/** The user's logins of the last `days` days (user lookup and logins in one round trip). */
export async function lookupLoginHistory(
  deps: LookupDeps,
  selector: UserSelector,
  days = deps.settings.loginHistoryDays,
): Promise<UserMatch<UserLoginHistory>> {
  const since = new Date(deps.now().getTime() - days * 86_400_000);
  const { users, events: all } = await deps.activity.loginHistory(selector, since, SUMMARY_ROWS);
  const match = matchOne(users, selector);
  if (match.kind !== 'found') return match;
  const events = all.filter((e) => e.userId === match.user.id);
  return { kind: 'found', user: match.user, events, summary: summarizeLogins(events), days };
}
