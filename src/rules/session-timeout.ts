import { familyExpiresAt, familyLastActivity } from '../domain/families';
import { formatAge, formatDuration, plural, wholeDaysBetween } from '../domain/format';
import type { Finding } from '../domain/types';
import { isIntegrationSession } from './integration';
import { isBotOwnFamily } from '../domain/families';
import { makeFinding, type Rule, type RuleInput } from './rule';

export const SESSION_TIMEOUT_RULE_ID = 'session-timeout';

const HOUR_MS = 3_600_000;

/**
 * A person's session family kept in use past a working day: from its login to its last activity
 * (LastModifiedDate) longer than policy.workdayHours. Salesforce's timeout counts from the last
 * activity (LastModifiedDate + NumSecondsValid), so a full day in one busy session is normal and an
 * idle one expires on its own; what a person does not do is keep one session in use through the
 * night — that is medium (the person can explain it). In use across whole days is what a stolen
 * cookie being replayed looks like: high. Integration sessions are left to token-age.
 */
export function sessionTimeoutFindings({ families, policy, now, botUserId }: RuleInput): Finding[] {
  const findings: Finding[] = [];
  const workdayMs = policy.workdayHours * HOUR_MS;
  for (const family of families) {
    const { root } = family;
    if (isBotOwnFamily(family, botUserId) || isIntegrationSession(root)) continue;
    if (familyExpiresAt(family) <= now) continue;
    const ageMs = now.getTime() - root.createdAt.getTime();
    const lastActivityAt = familyLastActivity(family);
    // Judged by how long it was in use, not how long it stays valid: with an 8 h timeout, a session
    // left at 18:00 is still valid at 01:00 without anyone having used it through the night.
    const inUseMs = lastActivityAt.getTime() - root.createdAt.getTime();
    if (inUseMs <= workdayMs) continue;
    const days = wholeDaysBetween(root.createdAt, lastActivityAt);
    // The key names only the family: it stays put as the age grows and the severity rises.
    const keptForDays = days >= policy.keptAliveDays;
    const used = `last used ${formatAge(lastActivityAt, now)} ago`;
    findings.push(
      makeFinding({
        rule: SESSION_TIMEOUT_RULE_ID,
        userId: root.userId,
        subject: 'sessions',
        rowIds: [root.id],
        severity: keptForDays ? 'high' : 'medium',
        message: keptForDays
          ? `kept in use ${plural(days, 'day')} since its login (${used}); a person's session ends within a working day`
          : `in use for ${formatDuration(inUseMs)} since its login, longer than a ${formatDuration(workdayMs)} working day (${used})`,
        sessionIds: [root.id],
        evidence: {
          kind: 'session-age',
          createdAt: root.createdAt,
          ageMs,
          wholeDays: days,
          timeoutMinutes: policy.sessionTimeoutMinutes,
          maxAgeDays: policy.keptAliveDays,
          workdayHours: policy.workdayHours,
          lastActivityAt,
        },
      }),
    );
  }
  return findings;
}

export const sessionTimeoutRule: Rule = {
  meta: {
    id: SESSION_TIMEOUT_RULE_ID,
    title: "A person's session kept alive past a working day",
    severity: 'medium',
    severityNote: 'high once the session has been kept alive keptAliveDays whole days',
    reads: ['workdayHours', 'keptAliveDays', 'sessionTimeoutMinutes'],
    runbook:
      'Ask the user whether they kept this session open (a kiosk, a wall screen); a session kept alive for days that they do not recognise is a stolen cookie: remove it and contain.',
    subjects: ['sessions'],
    surface: ['sessions', 'monitor'],
    changesWithTime: true,
    askFirst: true,
  },
  evaluate: sessionTimeoutFindings,
};
