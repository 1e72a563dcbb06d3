import { formatDuration, formatUtcTime } from '../domain/format';
import { placeLabel } from '../domain/geo';
import { failureLabel, isSuccessStatus } from '../domain/login-status';
import type { Finding, LoginEvent, SessionFamily, Severity } from '../domain/types';
import { deviceOf, Familiarity, sightingOfLogin } from './familiarity';
import { loginPlace } from './evidence';
import { isBotOwnFamily } from '../domain/families';
import { groupByUser, isOrgNetwork, makeFinding, type Rule, type RuleInput } from './rule';

export const FAILED_THEN_SUCCESS_RULE_ID = 'failed-then-success';

const MINUTE_MS = 60_000;
const MAX_REASONS_SHOWN = 2;

/** Failure reasons, most common first (ties alphabetical). */
function reasonsOf(failures: readonly LoginEvent[]): string[] {
  const counts = new Map<string, number>();
  for (const event of failures) {
    const label = failureLabel(event.status);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
}

function reasonsText(reasons: readonly string[]): string {
  const shown = reasons.slice(0, MAX_REASONS_SHOWN).join(', ');
  const more = reasons.length - MAX_REASONS_SHOWN;
  return more > 0 ? `${shown} +${more} more` : shown;
}

/** Root ids of the user's families by login time, so a finding can name the session its success created. */
function rootsByLoginTime(families: readonly SessionFamily[], userId: string, botUserId: string): Map<number, string[]> {
  const roots = new Map<number, string[]>();
  for (const family of families) {
    if (family.root.userId !== userId || isBotOwnFamily(family, botUserId)) continue;
    const time = family.root.login?.loginTime?.getTime();
    if (time === undefined) continue;
    const ids = roots.get(time);
    if (ids) ids.push(family.root.id);
    else roots.set(time, [family.root.id]);
  }
  return roots;
}

/** Whether a login came from where this person usually signs in (or a trusted / shared network). */
function fromUsualSource(input: RuleInput, familiarity: Familiarity, event: LoginEvent): boolean {
  return isOrgNetwork(input, event.sourceIp) || familiarity.isUsualSource(sightingOfLogin(event));
}

/**
 * A run of failed logins ending in a success: the shape of a guessed or stuffed password — when
 * the failures came from somewhere the person does not sign in from. The run is the failures since
 * the previous success that fall within the window before this success (a success in between means
 * the person who knows the password was there). A password mistyped from the person's usual address
 * (or their usual network and browser) is a typo, unless the run reaches the lockout policy. Only
 * runs whose success is also from an unusual source are reported: an attacker who failed while the
 * person then signed in from their desk did not get in (password spraying reports the attempts).
 * High when the success comes from a place the person has never signed in from, or the unusual
 * failures are many; a few from a new network in a known place, all from a browser the person
 * uses, are a typo on the road (a hotel's Wi-Fi); medium otherwise (the person can say whether it was them). Status text is the
 * source of truth, as Salesforce reports it. Sessions whose login time is the successful login are
 * named, so the finding also shows on that session (never on the bot's own).
 *
 * The key names the successful login only: it identifies the run, and stays put when a late
 * LoginHistory row adds a failure or the oldest failure drops out of the rows read.
 */
export function failedThenSuccessFindings(input: RuleInput): Finding[] {
  const { logins, families, policy, botUserId } = input;
  const windowMs = policy.failedLoginWindowMinutes * MINUTE_MS;
  const threshold = Math.max(1, policy.failedLoginThreshold);
  const findings: Finding[] = [];
  for (const events of groupByUser(logins)) {
    const userId = events[0]?.userId ?? '';
    const sessionsAt = rootsByLoginTime(families, userId, botUserId);
    const ordered = [...events].sort((a, b) => a.loginTime.getTime() - b.loginTime.getTime() || (a.id < b.id ? -1 : 1));
    const familiarity = new Familiarity();
    let failures: LoginEvent[] = [];
    for (const event of ordered) {
      if (!isSuccessStatus(event.status)) {
        failures.push(event);
        continue;
      }
      const successAt = event.loginTime.getTime();
      const inWindow = failures.filter((f) => successAt - f.loginTime.getTime() <= windowMs);
      failures = [];
      const judged = judgeRun(input, familiarity, inWindow, event, threshold);
      familiarity.add(event);
      if (!judged) continue;
      const first = inWindow[0];
      const last = inWindow[inWindow.length - 1];
      if (!first || !last) continue;
      const spanMs = last.loginTime.getTime() - first.loginTime.getTime();
      const reasons = reasonsOf(inWindow);
      const where = placeLabel(event.place) ?? event.sourceIp ?? 'an unknown place';
      findings.push(
        makeFinding({
          rule: FAILED_THEN_SUCCESS_RULE_ID,
          userId,
          subject: 'logins',
          rowIds: [event.id],
          severity: judged.severity,
          message:
            `${inWindow.length} failed logins (${reasonsText(reasons)}) in ${formatDuration(spanMs)}, ` +
            `then a success from ${where} at ${formatUtcTime(event.loginTime)} — ${judged.why}`,
          sessionIds: sessionsAt.get(successAt) ?? [],
          evidence: {
            kind: 'failed-logins',
            failures: inWindow.length,
            reasons,
            spanMs,
            windowMinutes: policy.failedLoginWindowMinutes,
            success: loginPlace(event),
          },
        }),
      );
    }
  }
  return findings;
}

/** Whether a run of failures before `success` is an attack, how severe, and why in words; null for a typo. */
function judgeRun(
  input: RuleInput,
  familiarity: Familiarity,
  failures: readonly LoginEvent[],
  success: LoginEvent,
  threshold: number,
): { severity: Severity; why: string } | null {
  if (failures.length === 0) return null;
  const unusual = failures.filter((f) => !fromUsualSource(input, familiarity, f));
  const successUsual = fromUsualSource(input, familiarity, success);
  if (failures.length >= input.policy.lockoutAttempts) {
    return { severity: successUsual ? 'medium' : 'high', why: `as many as the lockout policy allows (${input.policy.lockoutAttempts})` };
  }
  if (successUsual || unusual.length < threshold) return null;
  if (familiarity.size === 0) return { severity: 'medium', why: 'no earlier login of this person to compare with' };
  if (!familiarity.knowsPlace(success.place)) return { severity: 'high', why: 'from an address and place this person has never signed in from' };
  if (unusual.length >= 2 * threshold) return { severity: 'high', why: `${unusual.length} of them from addresses this person has never used` };
  // A new network (a hotel's, a partner's) in a place they know, every attempt from a browser they use: a typo on the road.
  if ([...failures, success].every((event) => familiarity.knowsDevice(deviceOf(event)))) return null;
  return { severity: 'medium', why: 'from an address this person has never used, in a place they have signed in from' };
}

export const failedThenSuccessRule: Rule = {
  meta: {
    id: FAILED_THEN_SUCCESS_RULE_ID,
    title: 'Failed logins followed by a success: a guessed or stuffed password',
    severity: 'high',
    severityNote:
      "high when the success comes from a place the person never signed in from, or the unusual failures are twice the threshold; medium otherwise; typos from the usual address, or from a new network in a known place with the person's own browser, are not reported",
    reads: ['failedLoginThreshold', 'failedLoginWindowMinutes', 'lockoutAttempts'],
    runbook: 'Ask the user whether they mistyped their password from that place; if not, contain: freeze, remove sessions, reset the password.',
    subjects: ['logins'],
    surface: ['sessions', 'monitor'],
    askFirst: true,
  },
  evaluate: failedThenSuccessFindings,
};
