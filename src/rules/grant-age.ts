import { wholeDaysBetween } from '../domain/format';
import type { Finding } from '../domain/types';
import { makeFinding, rowIdOfGrant, type Rule, type RuleInput } from './rule';

export const GRANT_AGE_RULE_ID = 'grant-age';

export function quotedApp(appName: string): string {
  const name = appName.replace(/\s+/g, ' ').trim();
  return name ? `'${name}'` : '(unnamed)';
}

/**
 * Connected-app grants older than the rotation policy. A grant without a creation date cannot be
 * judged and is skipped. The monitor judges integration users' grants only (input.integration):
 * a person's phone app keeps a months-old refresh token by design, and alerting on it would name
 * half the org; `/sessions` shows every grant's age. The grant's deleteToken is a credential and
 * never enters a message or key.
 */
export function grantAgeFindings({ userId, grants, policy, now, integration }: RuleInput): Finding[] {
  if (integration === false) return [];
  const findings: Finding[] = [];
  for (const grant of grants) {
    if (!grant.createdAt) continue;
    const days = wholeDaysBetween(grant.createdAt, now);
    if (days <= policy.tokenMaxAgeDays) continue;
    findings.push(
      makeFinding({
        rule: GRANT_AGE_RULE_ID,
        userId,
        subject: 'grants',
        rowIds: [rowIdOfGrant(grant)],
        severity: 'medium',
        message: `connected app ${quotedApp(grant.appName)} token is ${days} days old; rotation policy is ${policy.tokenMaxAgeDays}`,
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

export const grantAgeRule: Rule = {
  meta: {
    id: GRANT_AGE_RULE_ID,
    title: 'Connected-app token older than the rotation policy',
    severity: 'medium',
    severityNote: 'always medium: an old token is a standing risk, not evidence of an attack',
    reads: ['tokenMaxAgeDays'],
    runbook: 'Ask the owner of the integration to rotate it: revoke the old token once the integration has re-authenticated with a new one.',
    subjects: ['grants'],
    surface: ['sessions', 'monitor'],
    changesWithTime: true,
  },
  evaluate: grantAgeFindings,
};
