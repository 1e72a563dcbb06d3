/**
 * One alert per incident: the findings about one person that a poll finds at the same time — the
 * failed logins, the new country, the second live session, the spray that got in — become one alert
 * with every signal in it and the highest severity, instead of one message each. Pure.
 */
import type { Finding, FindingSignal, Severity } from '../domain/types';

const WEIGHT: Readonly<Record<Severity, number>> = { high: 3, medium: 2, low: 1 };

/** Which finding speaks for an incident of equal severity: the one that explains the most (a spray names the address behind the rest). */
const SPEAKS_FIRST = [
  'distant-places',
  'impossible-travel',
  'failed-then-success',
  'password-spraying',
  'session-timeout',
  'new-country',
  'new-app-grant',
  'token-age',
  'grant-age',
];

function rank(rule: string): number {
  const at = SPEAKS_FIRST.indexOf(rule);
  return at === -1 ? SPEAKS_FIRST.length : at;
}

export interface Incidents {
  /** One finding per incident, carrying the others as signals: these are claimed and posted. */
  alerts: Finding[];
  /** The findings folded into another's alert: claimed too (never posted on their own), with the key of the alert that shows them. */
  merged: Array<{ finding: Finding; into: string }>;
}

export function signalOf(finding: Finding): FindingSignal {
  return { rule: finding.rule, severity: finding.severity, message: finding.message, key: finding.key, sessionIds: [...finding.sessionIds] };
}

/**
 * `finding` as the alert shows it with `signals` beside it: every signal's sessions are the
 * alert's too, so "Remove these sessions" ends all of them.
 */
export function withSignals(finding: Finding, signals: readonly FindingSignal[]): Finding {
  if (signals.length === 0) return finding;
  const sessionIds = [...new Set([...finding.sessionIds, ...signals.flatMap((s) => s.sessionIds)])];
  return { ...finding, sessionIds, signals: signals.map((s) => ({ ...s, sessionIds: [...s.sessionIds] })) };
}

/** The new findings of one poll, one alert per person (findings about nobody in particular stay apart). */
export function mergeIncidents(findings: readonly Finding[]): Incidents {
  const byUser = new Map<string, Finding[]>();
  const alone: Finding[] = [];
  for (const finding of findings) {
    if (!finding.userId) {
      alone.push(finding);
      continue;
    }
    const list = byUser.get(finding.userId);
    if (list) list.push(finding);
    else byUser.set(finding.userId, [finding]);
  }
  const alerts: Finding[] = [...alone];
  const merged: Incidents['merged'] = [];
  for (const group of byUser.values()) {
    const ordered = [...group].sort((a, b) => WEIGHT[b.severity] - WEIGHT[a.severity] || rank(a.rule) - rank(b.rule) || (a.key < b.key ? -1 : 1));
    const [lead, ...rest] = ordered;
    if (!lead) continue;
    alerts.push(withSignals(lead, rest.map(signalOf)));
    for (const finding of rest) merged.push({ finding, into: lead.key });
  }
  return { alerts, merged };
}
