import { familyExpiresAt } from '../domain/families';
import { wholeDaysBetween } from '../domain/format';
import type { Finding } from '../domain/types';
import { isIntegrationSession } from './integration';
import { isBotOwnFamily } from '../domain/families';
import { makeFinding, type Rule, type RuleInput } from './rule';

export const TOKEN_AGE_RULE_ID = 'token-age';

/**
 * Integration sessions (OAuth / API) alive for more whole days than the rotation policy allows.
 * Days are whole so the message never says "alive 30 days; rotation policy is 30".
 */
export function tokenAgeSessionFindings({ families, policy, now, botUserId }: RuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const family of families) {
    const { root } = family;
    if (isBotOwnFamily(family, botUserId) || !isIntegrationSession(root)) continue;
    if (familyExpiresAt(family) <= now) continue;
    const days = wholeDaysBetween(root.createdAt, now);
    if (days <= policy.tokenMaxAgeDays) continue;
    findings.push(
      makeFinding({
        rule: TOKEN_AGE_RULE_ID,
        userId: root.userId,
        subject: 'sessions',
        rowIds: [root.id],
        severity: 'medium',
        message: `integration session alive ${days} days; rotation policy is ${policy.tokenMaxAgeDays}`,
        sessionIds: [root.id],
        evidence: {
          kind: 'session-age',
          createdAt: root.createdAt,
          ageMs: now.getTime() - root.createdAt.getTime(),
          wholeDays: days,
          timeoutMinutes: null,
          maxAgeDays: policy.tokenMaxAgeDays,
        },
      }),
    );
  }
  return findings;
}

export const tokenAgeRule: Rule = {
  meta: {
    id: TOKEN_AGE_RULE_ID,
    title: 'Integration session older than the rotation policy',
    severity: 'medium',
    severityNote: 'always medium: an old token is a standing risk, not evidence of an attack',
    reads: ['tokenMaxAgeDays'],
    runbook: 'Ask the owner of the integration to rotate it: revoke the old token or session once the integration has re-authenticated.',
    subjects: ['sessions'],
    surface: ['sessions', 'monitor'],
    changesWithTime: true,
  },
  evaluate: tokenAgeSessionFindings,
};
