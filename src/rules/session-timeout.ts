import { familyExpiresAt } from '../domain/families';
import { formatAge, formatDuration, wholeDaysBetween } from '../domain/format';
import type { Finding } from '../domain/types';
import { isIntegrationSession } from './integration';
import { finding, type FamilyRule, type FamilyRuleInput } from './rule';

export const SESSION_TIMEOUT_RULE_ID = 'session-timeout';

const MINUTE_MS = 60_000;

/**
 * A human session family still alive long after it began. Salesforce's timeout counts from the
 * last activity, so a busy session legitimately outlives it, hence medium; a session kept alive
 * beyond the day-granular age policy (tokenMaxAgeDays) is what a stolen cookie looks like, hence high.
 * Integration sessions are left to token-age.
 */
export function sessionTimeoutFindings({ families, policy, now }: FamilyRuleInput): Finding[] {
  const findings: Finding[] = [];
  const timeoutMs = policy.sessionTimeoutMinutes * MINUTE_MS;
  for (const family of families) {
    const { root } = family;
    if (isIntegrationSession(root)) continue;
    if (familyExpiresAt(family) <= now) continue;
    const ageMs = now.getTime() - root.createdAt.getTime();
    if (ageMs <= timeoutMs) continue;
    const days = wholeDaysBetween(root.createdAt, now);
    if (days > policy.tokenMaxAgeDays) {
      findings.push(
        finding(SESSION_TIMEOUT_RULE_ID, 'high', `alive ${days} days; policy is ${policy.tokenMaxAgeDays}`, [root.id]),
      );
    } else {
      const message = `older than the ${formatDuration(timeoutMs)} timeout (alive ${formatAge(root.createdAt, now)})`;
      findings.push(finding(SESSION_TIMEOUT_RULE_ID, 'medium', message, [root.id]));
    }
  }
  return findings;
}

export const sessionTimeoutRule: FamilyRule = { id: SESSION_TIMEOUT_RULE_ID, run: sessionTimeoutFindings };
