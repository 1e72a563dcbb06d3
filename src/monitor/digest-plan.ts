/**
 * Alert storms: more new findings in one poll than the threshold reach Slack as one digest
 * message instead of one message each (Slack takes about one post per second per channel, so a
 * thousand separate alerts would take a quarter of an hour and bury everything else). Pure.
 */
import type { Finding, Severity } from '../domain/types';

const RANK: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2 };

/** Whether this poll's new findings are one digest rather than one message each. */
export function isStorm(newFindings: number, threshold: number): boolean {
  return newFindings > threshold;
}

/** Severity (high first), then rule id, then user, then key: the order a digest lists its alerts in. */
export function worstFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || cmp(a.rule, b.rule) || cmp(a.userId, b.userId) || cmp(a.key, b.key));
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
