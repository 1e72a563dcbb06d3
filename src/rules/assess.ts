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
  Severity,
} from '../domain/types';
import { distantPlacesRule } from './distant-places';
import { failedThenSuccessFindings } from './failed-then-success';
import type { FamilyRule } from './rule';
import { sessionTimeoutRule } from './session-timeout';
import { substituteUserRule } from './substitute-user';
import { tokenAgeFindings, tokenAgeRule } from './token-age';

export const FAMILY_RULES: readonly FamilyRule[] = [
  distantPlacesRule,
  sessionTimeoutRule,
  tokenAgeRule,
  substituteUserRule,
];

export const SEVERITY_WEIGHT: Readonly<Record<Severity, number>> = { high: 100, medium: 30, low: 10 };

const MINUTE_MS = 60_000;

export interface AssessInput {
  sessions: readonly Session[];
  logins?: readonly LoginEvent[];
  grants?: readonly OauthGrant[];
  policy: Policy;
  now: Date;
  botUserId: string;
}

/**
 * Below 1 so it never outweighs a finding (the smallest weight is 10): among equally risky
 * families, the one used most recently comes first.
 */
function recencyTiebreak(lastActivity: Date, now: Date): number {
  const minutesAgo = Math.max(0, (now.getTime() - lastActivity.getTime()) / MINUTE_MS);
  return 1 / (2 + minutesAgo);
}

/**
 * Runs every rule over one user's sessions (and logins and grants, when given) and ranks the
 * session families riskiest first. Findings naming sessions are attached to those families;
 * failed-then-success is about the user and always lands in userFindings (also on the session it
 * names, if any); connected-app grants are user findings.
 */
export function assessSessions(input: AssessInput): SessionAssessment {
  const { sessions, logins = [], grants = [], policy, now, botUserId } = input;
  const families = groupFamilies(sessions);
  const ruleInput = { families, policy, now };
  const familyFindings = FAMILY_RULES.flatMap((rule) => rule.run(ruleInput));
  const loginFindings = failedThenSuccessFindings(logins, policy, families);

  const findingsByRoot = new Map<string, Finding[]>();
  const userFindings: Finding[] = [...loginFindings, ...tokenAgeFindings(grants, policy, now)];
  for (const f of [...familyFindings, ...loginFindings]) {
    if (f.sessionIds.length === 0 && !userFindings.includes(f)) userFindings.push(f);
    for (const id of new Set(f.sessionIds)) {
      const list = findingsByRoot.get(id);
      if (list) list.push(f);
      else findingsByRoot.set(id, [f]);
    }
  }

  const ranked = families.map((family) => {
    const findings = findingsByRoot.get(family.root.id) ?? [];
    const lastActivity = familyLastActivity(family);
    const weight = findings.reduce((sum, f) => sum + SEVERITY_WEIGHT[f.severity], 0);
    const assessed: AssessedFamily = {
      family,
      findings,
      risk: weight + recencyTiebreak(lastActivity, now),
      isBotOwn: family.root.userId === botUserId || familySessions(family).some((s) => s.isCurrent),
    };
    return { assessed, lastActivity: lastActivity.getTime() };
  });
  ranked.sort(
    (a, b) =>
      b.assessed.risk - a.assessed.risk ||
      b.lastActivity - a.lastActivity ||
      (a.assessed.family.root.id < b.assessed.family.root.id ? -1 : 1),
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
