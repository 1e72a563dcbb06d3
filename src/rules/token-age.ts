import { familyExpiresAt } from '../domain/families';
import { wholeDaysBetween } from '../domain/format';
import type { Finding } from '../domain/types';
import { isIntegrationSession } from './integration';
import { isBotOwnFamily } from '../domain/families';
import { makeFinding, rowIdOfGrant, type Rule, type RuleInput } from './rule';

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

function quoted(appName: string): string {
  const name = appName.replace(/\s+/g, ' ').trim();
  return name ? `'${name}'` : '(unnamed)';
}

/**
 * Connected-app grants older than the rotation policy. A grant without a creation date cannot be
 * judged and is skipped. The grant's deleteToken is a credential and never enters a message or key.
 */
export function tokenAgeGrantFindings({ userId, grants, policy, now }: RuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const grant of grants) {
    if (!grant.createdAt) continue;
    const days = wholeDaysBetween(grant.createdAt, now);
    if (days <= policy.tokenMaxAgeDays) continue;
    findings.push(
      makeFinding({
        rule: TOKEN_AGE_RULE_ID,
        userId,
        subject: 'grants',
        rowIds: [rowIdOfGrant(grant)],
        severity: 'medium',
        message: `connected app ${quoted(grant.appName)} token is ${days} days old; rotation policy is ${policy.tokenMaxAgeDays}`,
        evidence: {
          kind: 'grant-age',
          appName: grant.appName,
          createdAt: grant.createdAt,
          wholeDays: days,
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
    title: 'Integration session or connected-app token older than the rotation policy',
    severity: 'medium',
    severityNote: 'always medium: an old token is a standing risk, not evidence of an attack',
    reads: ['tokenMaxAgeDays'],
    runbook: 'Ask the owner of the integration to rotate it: revoke the old token or session once the integration has re-authenticated.',
    subjects: ['sessions', 'grants'],
    surface: ['sessions', 'monitor'],
    changesWithTime: true,
  },
  evaluate: (input) => [...tokenAgeSessionFindings(input), ...tokenAgeGrantFindings(input)],
};
