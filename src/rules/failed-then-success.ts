import { formatDuration, formatUtcTime } from '../domain/format';
import { placeLabel } from '../domain/geo';
import { failureLabel, isSuccessStatus } from '../domain/login-status';
import type { Finding, LoginEvent, Policy, SessionFamily } from '../domain/types';
import { finding } from './rule';

export const FAILED_THEN_SUCCESS_RULE_ID = 'failed-then-success';

const MINUTE_MS = 60_000;
const MAX_REASONS_SHOWN = 2;

function reasonsText(failures: readonly LoginEvent[]): string {
  const counts = new Map<string, number>();
  for (const event of failures) {
    const label = failureLabel(event.status);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  const ordered = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([label]) => label);
  const shown = ordered.slice(0, MAX_REASONS_SHOWN).join(', ');
  const more = ordered.length - MAX_REASONS_SHOWN;
  return more > 0 ? `${shown} +${more} more` : shown;
}

/**
 * A run of failed logins ending in a success: the shape of a guessed or stuffed password.
 * The run is the failures since the previous success that fall within the window before this
 * success (a success in between means the person who knows the password was there). Status text
 * is the source of truth, as Salesforce reports it. When `families` are given, sessions whose
 * login time is the successful login are named, so the finding also shows on that session.
 */
export function failedThenSuccessFindings(
  logins: readonly LoginEvent[],
  policy: Policy,
  families: readonly SessionFamily[] = [],
): Finding[] {
  const windowMs = policy.failedLoginWindowMinutes * MINUTE_MS;
  const threshold = Math.max(1, policy.failedLoginThreshold);
  const byUser = new Map<string, LoginEvent[]>();
  for (const event of logins) {
    const list = byUser.get(event.userId);
    if (list) list.push(event);
    else byUser.set(event.userId, [event]);
  }

  const rootsByLoginTime = new Map<number, string[]>();
  for (const family of families) {
    const time = family.root.login?.loginTime?.getTime();
    if (time === undefined) continue;
    const ids = rootsByLoginTime.get(time);
    if (ids) ids.push(family.root.id);
    else rootsByLoginTime.set(time, [family.root.id]);
  }

  const findings: Finding[] = [];
  for (const events of byUser.values()) {
    const ordered = [...events].sort((a, b) => a.loginTime.getTime() - b.loginTime.getTime() || (a.id < b.id ? -1 : 1));
    let failures: LoginEvent[] = [];
    for (const event of ordered) {
      if (!isSuccessStatus(event.status)) {
        failures.push(event);
        continue;
      }
      const successAt = event.loginTime.getTime();
      const inWindow = failures.filter((f) => successAt - f.loginTime.getTime() <= windowMs);
      failures = [];
      if (inWindow.length < threshold) continue;
      const first = inWindow[0];
      const last = inWindow[inWindow.length - 1];
      if (!first || !last) continue;
      const span = formatDuration(last.loginTime.getTime() - first.loginTime.getTime());
      const where = placeLabel(event.place) ?? event.sourceIp ?? 'an unknown place';
      const message =
        `${inWindow.length} failed logins (${reasonsText(inWindow)}) in ${span}, ` +
        `then a success from ${where} at ${formatUtcTime(event.loginTime)}`;
      findings.push(finding(FAILED_THEN_SUCCESS_RULE_ID, 'high', message, rootsByLoginTime.get(successAt) ?? []));
    }
  }
  return findings;
}
