/**
 * Which Slack messages a user's fresh findings call for, given the alerts already open: post a
 * new one, edit one in place (same rule and user, other rows), or mark one resolved. A later
 * login event (another new country, another burst of failures, another impossible hop) is a new
 * message, since an edit notifies nobody. Pure.
 */
import type { Finding, Severity } from '../domain/types';
import { withSignals } from './incidents';

/** The part of a stored alert the plan reads. */
export interface OpenAlert {
  key: string;
  groupKey: string;
  /** The finding the message shows now. */
  finding: Finding;
}

export type AlertStep =
  { kind: 'post'; finding: Finding } | { kind: 'update'; alertKey: string; finding: Finding } | { kind: 'resolve'; alertKey: string; reason: string };

const WEIGHT: Readonly<Record<Severity, number>> = { high: 3, medium: 2, low: 1 };

/** When the login a finding is about happened; null for findings that are not about one login event. */
export function loginEventTime(finding: Finding): number | null {
  if (finding.subject !== 'logins') return null;
  const evidence = finding.evidence;
  switch (evidence?.kind) {
    case 'travel':
      return evidence.to.at.getTime();
    case 'failed-logins':
      return evidence.success.at.getTime();
    case 'new-country':
      return evidence.login.at.getTime();
    case 'spray':
      return evidence.lastAt.getTime();
    default:
      return null;
  }
}

/** True when `finding` is about a login that happened after the one `shown` is about. */
function laterLogin(finding: Finding, shown: Finding): boolean {
  const at = loginEventTime(finding);
  const shownAt = loginEventTime(shown);
  return at !== null && shownAt !== null && at > shownAt;
}

/**
 * One finding per rule and user: the most severe, then the latest login event, then the one
 * naming the most rows, then by key (stable).
 */
export function onePerGroup(findings: readonly Finding[]): Finding[] {
  const best = new Map<string, Finding>();
  for (const f of findings) {
    const held = best.get(f.groupKey);
    if (!held || compare(f, held) < 0) best.set(f.groupKey, f);
  }
  return [...best.values()].sort((a, b) => (a.groupKey < b.groupKey ? -1 : 1));
}

function compare(a: Finding, b: Finding): number {
  return (
    WEIGHT[b.severity] - WEIGHT[a.severity] ||
    (loginEventTime(b) ?? 0) - (loginEventTime(a) ?? 0) ||
    b.sessionIds.length - a.sessionIds.length ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * @param findings every finding for the users just evaluated
 * @param open the open alerts of those users
 * @param liveSessionIds the sessions Salesforce (the mirror) lists as live now
 */
export function planAlerts(findings: readonly Finding[], open: readonly OpenAlert[], liveSessionIds: ReadonlySet<string>): AlertStep[] {
  const steps: AlertStep[] = [];
  // With several open alerts in a group (one per login event), the latest is the one to compare with.
  const openByGroup = new Map<string, OpenAlert>();
  for (const alert of open) {
    const held = openByGroup.get(alert.groupKey);
    if (!held || laterLogin(alert.finding, held.finding)) openByGroup.set(alert.groupKey, alert);
  }
  // A finding merged into an open alert as one of its signals is already shown there (its key was claimed then).
  const shownAsSignal = new Set(open.flatMap((alert) => (alert.finding.signals ?? []).map((signal) => signal.key)));
  for (const finding of onePerGroup(findings)) {
    const current = openByGroup.get(finding.groupKey);
    if (!current && shownAsSignal.has(finding.key)) continue;
    if (!current || laterLogin(finding, current.finding)) steps.push({ kind: 'post', finding });
    // The signals merged into the alert when it was posted stay in its message.
    else if (current.finding.key !== finding.key)
      steps.push({ kind: 'update', alertKey: current.key, finding: withSignals(finding, current.finding.signals ?? []) });
  }
  const stillFound = new Set(findings.map((f) => f.groupKey));
  for (const alert of open) {
    const { finding } = alert;
    // Only alerts about sessions can end by themselves; a login event stays until someone acts on it.
    if (finding.subject !== 'sessions' || finding.sessionIds.length === 0) continue;
    const gone = finding.sessionIds.every((id) => !liveSessionIds.has(id));
    if (gone && !stillFound.has(alert.groupKey)) steps.push({ kind: 'resolve', alertKey: alert.key, reason: 'the sessions have ended' });
  }
  return steps;
}
