import { familyLastActivity, familySessions, groupFamilies } from '../domain/families';
import { countryCode } from '../domain/geo';
import { isSuccessStatus } from '../domain/login-status';
import type {
  AssessedFamily,
  Finding,
  LoginEvent,
  LoginSummary,
  OauthGrant,
  Policy,
  Session,
  SessionAssessment,
  SessionFamily,
  Severity,
} from '../domain/types';
import { evaluateRules, rulesFor } from './registry';
import { isBotOwnFamily } from '../domain/families';
import type { RuleInput, RuleSubject } from './rule';

export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { high: 100, medium: 30, low: 10 };

/** User findings list what happened at the keyboard (logins) before standing risks (grants). */
const USER_FINDING_ORDER: Readonly<Record<RuleSubject, number>> = { logins: 0, grants: 1, sessions: 2 };

const MINUTE_MS = 60_000;

export interface AssessInput {
  sessions: readonly Session[];
  logins?: readonly LoginEvent[];
  grants?: readonly OauthGrant[];
  /**
   * Whose grants these are (OauthGrant names no user). Without it, the one user the sessions and
   * logins belong to; when that is not exactly one user, grant findings carry an empty userId.
   */
  userId?: string;
  policy: Policy;
  now: Date;
  botUserId: string;
  trusted?: RuleInput['trusted'];
  shared?: RuleInput['shared'];
}

/**
 * Below 1 so it never outweighs a finding (the smallest weight is 10): among equally risky
 * families, the one used most recently comes first.
 */
function recencyTiebreak(lastActivity: Date, now: Date): number {
  const minutesAgo = Math.max(0, (now.getTime() - lastActivity.getTime()) / MINUTE_MS);
  return 1 / (2 + minutesAgo);
}

/** Each user's families and logins, users in first-seen order; `grantOwner` gets the grants. */
function ruleInputs(input: AssessInput, families: readonly SessionFamily[]): RuleInput[] {
  const { logins = [], grants = [], policy, now, botUserId, trusted, shared } = input;
  const familiesOf = new Map<string, SessionFamily[]>();
  const loginsOf = new Map<string, LoginEvent[]>();
  for (const family of families) {
    const list = familiesOf.get(family.root.userId);
    if (list) list.push(family);
    else familiesOf.set(family.root.userId, [family]);
  }
  for (const event of logins) {
    const list = loginsOf.get(event.userId);
    if (list) list.push(event);
    else loginsOf.set(event.userId, [event]);
  }
  const users = [...new Set([...familiesOf.keys(), ...loginsOf.keys()])];
  const grantOwner = input.userId ?? (users.length === 1 ? users[0] : undefined) ?? '';
  if (grants.length > 0 && !users.includes(grantOwner)) users.push(grantOwner);
  return users.map((userId) => ({
    userId,
    families: familiesOf.get(userId) ?? [],
    logins: loginsOf.get(userId) ?? [],
    grants: userId === grantOwner ? grants : [],
    policy,
    now,
    botUserId,
    ...(trusted ? { trusted } : {}),
    ...(shared ? { shared } : {}),
  }));
}

/**
 * Runs the rules shown in `/sessions` over one user's sessions (and logins and grants, when given)
 * and ranks the session families riskiest first. Findings naming sessions are attached to those
 * families; findings about logins or grants are about the user and always land in userFindings
 * (login findings also on the session they name, if any).
 */
export function assessSessions(input: AssessInput): SessionAssessment {
  const { now, botUserId } = input;
  const families = groupFamilies(input.sessions);
  const shownHere = rulesFor('sessions');
  const findings = ruleInputs(input, families).flatMap((ruleInput) => evaluateRules(ruleInput, shownHere));

  const findingsByRoot = new Map<string, Finding[]>();
  const userFindings: Finding[] = [];
  for (const f of findings) {
    if (f.subject !== 'sessions' || f.sessionIds.length === 0) userFindings.push(f);
    for (const id of new Set(f.sessionIds)) {
      const list = findingsByRoot.get(id);
      if (list) list.push(f);
      else findingsByRoot.set(id, [f]);
    }
  }
  // Stable: rule order is kept within a subject.
  userFindings.sort((a, b) => USER_FINDING_ORDER[a.subject] - USER_FINDING_ORDER[b.subject]);

  const ranked = families.map((family) => {
    const findings = findingsByRoot.get(family.root.id) ?? [];
    const lastActivity = familyLastActivity(family);
    const weight = findings.reduce((sum, f) => sum + SEVERITY_WEIGHT[f.severity], 0);
    const assessed: AssessedFamily = {
      family,
      findings,
      risk: weight + recencyTiebreak(lastActivity, now),
      isBotOwn: isBotOwnFamily(family, botUserId),
    };
    return { assessed, lastActivity: lastActivity.getTime() };
  });
  ranked.sort(
    (a, b) => b.assessed.risk - a.assessed.risk || b.lastActivity - a.lastActivity || (a.assessed.family.root.id < b.assessed.family.root.id ? -1 : 1),
  );

  const countries = new Set<string>();
  let oldest: Date | null = null;
  let sessionCount = 0;
  for (const family of families) {
    for (const s of familySessions(family)) {
      sessionCount += 1;
      const iso = countryCode(s.place);
      if (iso) countries.add(iso);
      if (!oldest || s.createdAt < oldest) oldest = s.createdAt;
    }
  }

  return {
    families: ranked.map((r) => r.assessed),
    userFindings,
    totals: {
      sessions: sessionCount,
      families: families.length,
      countries: [...countries].sort(),
      oldestCreatedAt: oldest,
    },
  };
}

/** Counts for a user's login history; a login is a failure unless its Status is "Success". */
export function summarizeLogins(events: readonly LoginEvent[]): LoginSummary {
  const countries = new Set<string>();
  const ips = new Set<string>();
  let failures = 0;
  for (const event of events) {
    if (!isSuccessStatus(event.status)) failures += 1;
    const iso = countryCode(event.place);
    if (iso) countries.add(iso);
    const ip = event.sourceIp?.trim();
    if (ip) ips.add(ip.toLowerCase());
  }
  return { total: events.length, failures, countries: [...countries].sort(), distinctIps: ips.size };
}
