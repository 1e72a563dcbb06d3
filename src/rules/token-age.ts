import { familyExpiresAt } from '../domain/families';
import { wholeDaysBetween } from '../domain/format';
import type { Finding, OauthGrant, Policy } from '../domain/types';
import { isIntegrationSession } from './integration';
import { finding, type FamilyRule, type FamilyRuleInput } from './rule';

export const TOKEN_AGE_RULE_ID = 'token-age';

/**
 * Integration sessions (OAuth / API) alive for more whole days than the rotation policy allows.
 * Days are whole so the message never says "alive 30 days; rotation policy is 30".
 */
export function tokenAgeSessionFindings({ families, policy, now }: FamilyRuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const family of families) {
    const { root } = family;
    if (!isIntegrationSession(root)) continue;
    if (familyExpiresAt(family) <= now) continue;
    const days = wholeDaysBetween(root.createdAt, now);
    if (days <= policy.tokenMaxAgeDays) continue;
    findings.push(
      finding(
        TOKEN_AGE_RULE_ID,
        'medium',
        `integration session alive ${days} days; rotation policy is ${policy.tokenMaxAgeDays}`,
        [root.id],
      ),
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
 * judged and is skipped. The grant's deleteToken is a credential and never enters a message.
 */
export function tokenAgeFindings(grants: readonly OauthGrant[], policy: Policy, now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const grant of grants) {
    if (!grant.createdAt) continue;
    const days = wholeDaysBetween(grant.createdAt, now);
    if (days <= policy.tokenMaxAgeDays) continue;
    findings.push(
      finding(
        TOKEN_AGE_RULE_ID,
        'medium',
        `connected app ${quoted(grant.appName)} token is ${days} days old; rotation policy is ${policy.tokenMaxAgeDays}`,
      ),
    );
  }
  return findings;
}

export const tokenAgeRule: FamilyRule = { id: TOKEN_AGE_RULE_ID, run: tokenAgeSessionFindings };
