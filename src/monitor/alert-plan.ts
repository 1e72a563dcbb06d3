/**
 * Which Slack messages a user's fresh findings call for, given the alerts already open: post a
 * new one, edit one in place (same rule and user, other rows), or mark one resolved. Pure.
 */
import type { Finding, Severity } from '../domain/types';

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

/** One finding per rule and user: the most severe, then the one naming the most rows, then by key (stable). */
export function onePerGroup(findings: readonly Finding[]): Finding[] {
  const best = new Map<string, Finding>();
  for (const f of findings) {
    const held = best.get(f.groupKey);
    if (!held || compare(f, held) < 0) best.set(f.groupKey, f);
  }
  return [...best.values()].sort((a, b) => (a.groupKey < b.groupKey ? -1 : 1));
}

function compare(a: Finding, b: Finding): number {
  return WEIGHT[b.severity] - WEIGHT[a.severity] || b.sessionIds.length - a.sessionIds.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * @param findings every finding for the users just evaluated
 * @param open the open alerts of those users
 * @param liveSessionIds the sessions Salesforce (the mirror) lists as live now
 */
export function planAlerts(findings: readonly Finding[], open: readonly OpenAlert[], liveSessionIds: ReadonlySet<string>): AlertStep[] {
  const steps: AlertStep[] = [];
  const openByGroup = new Map(open.map((a) => [a.groupKey, a]));
  for (const finding of onePerGroup(findings)) {
    const current = openByGroup.get(finding.groupKey);
    if (!current) steps.push({ kind: 'post', finding });
    else if (current.finding.key !== finding.key) steps.push({ kind: 'update', alertKey: current.key, finding });
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
