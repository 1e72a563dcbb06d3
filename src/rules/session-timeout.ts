import { familyExpiresAt } from '../domain/families';
import { formatAge, formatDuration, wholeDaysBetween } from '../domain/format';
import type { Finding } from '../domain/types';
import { isIntegrationSession } from './integration';
import { isBotOwnFamily } from '../domain/families';
import { makeFinding, type Rule, type RuleInput } from './rule';

export const SESSION_TIMEOUT_RULE_ID = 'session-timeout';

const MINUTE_MS = 60_000;

/**
 * A human session family still alive long after it began. Salesforce's timeout counts from the
 * last activity, so a busy session legitimately outlives it, hence medium; a session kept alive
 * beyond the day-granular age policy (tokenMaxAgeDays) is what a stolen cookie looks like, hence high.
 * Integration sessions are left to token-age.
 */
export function sessionTimeoutFindings({ families, policy, now, botUserId }: RuleInput): Finding[] {
  const findings: Finding[] = [];
  const timeoutMs = policy.sessionTimeoutMinutes * MINUTE_MS;
  for (const family of families) {
    const { root } = family;
    if (isBotOwnFamily(family, botUserId) || isIntegrationSession(root)) continue;
    if (familyExpiresAt(family) <= now) continue;
    const ageMs = now.getTime() - root.createdAt.getTime();
    if (ageMs <= timeoutMs) continue;
    const days = wholeDaysBetween(root.createdAt, now);
    // The key names only the family: it stays put as the age grows and the severity rises.
    const outlivedDays = days > policy.tokenMaxAgeDays;
    findings.push(
      makeFinding({
        rule: SESSION_TIMEOUT_RULE_ID,
        userId: root.userId,
        subject: 'sessions',
        rowIds: [root.id],
        severity: outlivedDays ? 'high' : 'medium',
        message: outlivedDays
          ? `alive ${days} days; policy is ${policy.tokenMaxAgeDays}`
          : `older than the ${formatDuration(timeoutMs)} timeout (alive ${formatAge(root.createdAt, now)})`,
        sessionIds: [root.id],
        evidence: {
          kind: 'session-age',
          createdAt: root.createdAt,
          ageMs,
          wholeDays: days,
          timeoutMinutes: policy.sessionTimeoutMinutes,
          maxAgeDays: policy.tokenMaxAgeDays,
        },
      }),
    );
  }
  return findings;
}

export const sessionTimeoutRule: Rule = {
  meta: {
    id: SESSION_TIMEOUT_RULE_ID,
    title: 'A session of a person still alive long after its login',
    severity: 'medium',
    severityNote: 'high once the session has been alive more whole days than tokenMaxAgeDays',
    reads: ['sessionTimeoutMinutes', 'tokenMaxAgeDays'],
    runbook: 'Check the last activity and source IP against what the user expects; remove the session if they do not recognise it or it is days old.',
    subjects: ['sessions'],
    surface: ['sessions', 'monitor'],
  },
  evaluate: sessionTimeoutFindings,
};
