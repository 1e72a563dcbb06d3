import { formatDuration, formatUtcTime, plural } from '../domain/format';
import { placeLabel } from '../domain/geo';
import { isSuccessStatus } from '../domain/login-status';
import type { Finding, LoginEvent } from '../domain/types';
import { loginPlace } from './evidence';
import { makeFinding, type OrgRule, type OrgRuleInput } from './rule';

export const PASSWORD_SPRAYING_RULE_ID = 'password-spraying';

const MINUTE_MS = 60_000;
/** A sprayer's own successes are the few accounts it broke; a VPN exit's are the whole office. */
const MAX_SUCCESS_SHARE = 0.34;

interface Burst {
  ip: string;
  failures: LoginEvent[];
  users: Set<string>;
}

/** Failures from one address, cut into bursts wherever the address was quiet for a whole window. */
function burstsOf(ip: string, failures: readonly LoginEvent[], windowMs: number): Burst[] {
  const bursts: Burst[] = [];
  let current: Burst | null = null;
  let lastAt = Number.NEGATIVE_INFINITY;
  for (const event of failures) {
    const at = event.loginTime.getTime();
    if (!current || at - lastAt > windowMs) {
      current = { ip, failures: [], users: new Set() };
      bursts.push(current);
    }
    current.failures.push(event);
    current.users.add(event.userId);
    lastAt = at;
  }
  return bursts;
}

/**
 * Password spraying: one address failing to sign in as many different people (policy.sprayMinUsers
 * within failedLoginWindowMinutes of each other), the shape of an attacker trying a few common
 * passwords against a list of accounts. Each person sees one or two failures, which no per-person
 * rule would call an attack. An address many colleagues also sign in from successfully (an office
 * or VPN exit where people mistype) is not spraying: the sprayer's successes are the few accounts
 * it broke. The finding names the address, how many people it tried and whoever then signed in
 * from it (the person the alert is about; empty when nobody got in). The key is the address and
 * the burst's first failure, so a burst that grows edits one alert.
 */
export function passwordSprayingFindings(input: OrgRuleInput): Finding[] {
  const { policy, botUserId } = input;
  const windowMs = policy.failedLoginWindowMinutes * MINUTE_MS;
  const byIp = new Map<string, LoginEvent[]>();
  for (const event of input.logins) {
    const ip = event.sourceIp?.trim().toLowerCase();
    if (!ip || event.userId === botUserId) continue;
    const list = byIp.get(ip);
    if (list) list.push(event);
    else byIp.set(ip, [event]);
  }
  const findings: Finding[] = [];
  for (const [ip, events] of byIp) {
    if (input.trusted?.(ip) || input.shared?.(ip)) continue;
    events.sort((a, b) => a.loginTime.getTime() - b.loginTime.getTime() || (a.id < b.id ? -1 : 1));
    const failures = events.filter((e) => !isSuccessStatus(e.status));
    for (const burst of burstsOf(ip, failures, windowMs)) {
      if (burst.users.size < policy.sprayMinUsers) continue;
      const first = burst.failures[0];
      const last = burst.failures[burst.failures.length - 1];
      if (!first || !last) continue;
      const from = first.loginTime.getTime();
      const until = last.loginTime.getTime() + windowMs;
      const successes = events.filter((e) => isSuccessStatus(e.status) && e.loginTime.getTime() >= from && e.loginTime.getTime() <= until);
      const succeeded = new Set(successes.map((e) => e.userId));
      if (succeeded.size > MAX_SUCCESS_SHARE * burst.users.size) continue;
      // The people it tried who then got in from the same address: the accounts to contain.
      const victims = [...new Set(successes.filter((e) => burst.users.has(e.userId)).map((e) => e.userId))];
      const entry = successes.find((e) => burst.users.has(e.userId)) ?? null;
      const spanMs = last.loginTime.getTime() - from;
      const where = placeLabel(first.place);
      const got =
        victims.length === 0
          ? 'nobody signed in from it'
          : `${victims.length} of them then signed in from it${entry ? ` (first at ${formatUtcTime(entry.loginTime)})` : ''}`;
      findings.push(
        makeFinding({
          rule: PASSWORD_SPRAYING_RULE_ID,
          userId: victims[0] ?? '',
          subject: 'logins',
          rowIds: [`${ip}@${first.id}`],
          severity: victims.length > 0 ? 'high' : 'medium',
          message:
            `password spraying from ${ip}${where ? ` (${where})` : ''}: ${plural(burst.users.size, 'person', 'people')} tried ` +
            `(${plural(burst.failures.length, 'failed login')} in ${formatDuration(spanMs)}); ${got}`,
          evidence: {
            kind: 'spray',
            ip,
            place: loginPlace(first),
            people: burst.users.size,
            failures: burst.failures.length,
            spanMs,
            firstAt: first.loginTime,
            lastAt: last.loginTime,
            victims,
          },
        }),
      );
    }
  }
  return findings;
}

export const passwordSprayingRule: OrgRule = {
  meta: {
    id: PASSWORD_SPRAYING_RULE_ID,
    title: 'Password spraying: one address failing against many people',
    severity: 'high',
    severityNote: 'high when someone it tried then signed in from it; medium (attempts only) otherwise',
    reads: ['sprayMinUsers', 'failedLoginWindowMinutes'],
    runbook:
      'Block the address (Network Access / Login IP Ranges, or your IdP); contain everyone who then signed in from it and reset their passwords; check the others are locked out or MFA-protected.',
    subjects: ['logins'],
    surface: ['monitor'],
  },
  evaluate: passwordSprayingFindings,
};
