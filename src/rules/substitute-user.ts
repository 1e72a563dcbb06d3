import { familySessions } from '../domain/families';
import type { Finding } from '../domain/types';
import { isBotOwnFamily } from '../domain/families';
import { makeFinding, type Rule, type RuleInput } from './rule';

export const SUBSTITUTE_USER_RULE_ID = 'substitute-user';

/** "Login As": someone else is acting as this user. Legitimate for support, so information (low), never silence. */
export function substituteUserFindings({ families, botUserId }: RuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const family of families) {
    if (isBotOwnFamily(family, botUserId)) continue;
    const loginAs = familySessions(family).some((s) => s.sessionType.trim().toLowerCase() === 'substituteuser');
    if (!loginAs) continue;
    findings.push(
      makeFinding({
        rule: SUBSTITUTE_USER_RULE_ID,
        userId: family.root.userId,
        subject: 'sessions',
        rowIds: [family.root.id],
        severity: 'low',
        message: 'Login-As session (an admin is acting as this user)',
        sessionIds: [family.root.id],
      }),
    );
  }
  return findings;
}

export const substituteUserRule: Rule = {
  meta: {
    id: SUBSTITUTE_USER_RULE_ID,
    title: 'Someone is logged in as this user with Login-As',
    severity: 'low',
    severityNote: 'always low: information — Login-As is routine for support, and worth knowing about',
    reads: [],
    runbook: 'Find the admin in Setup Audit Trail ("Logged in using Login-As") and confirm a support ticket; remove the session if there is none.',
    subjects: ['sessions'],
    // Routine for support: shown on the session in /sessions; an alert for each would teach the channel to ignore alerts.
    surface: ['sessions'],
  },
  evaluate: substituteUserFindings,
};
