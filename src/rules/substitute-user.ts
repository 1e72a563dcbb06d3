import type { Finding } from '../domain/types';
import { familySessions } from '../domain/families';
import { finding, type FamilyRule, type FamilyRuleInput } from './rule';

export const SUBSTITUTE_USER_RULE_ID = 'substitute-user';

/** "Login As": someone else is acting as this user. Legitimate for support, worth a look always. */
export function substituteUserFindings({ families }: FamilyRuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const family of families) {
    const loginAs = familySessions(family).some((s) => s.sessionType.trim().toLowerCase() === 'substituteuser');
    if (!loginAs) continue;
    findings.push(
      finding(SUBSTITUTE_USER_RULE_ID, 'medium', 'Login-As session (an admin is acting as this user)', [family.root.id]),
    );
  }
  return findings;
}

export const substituteUserRule: FamilyRule = { id: SUBSTITUTE_USER_RULE_ID, run: substituteUserFindings };
