/**
 * One alert per incident (issue 17, src/monitor/incidents.ts): which finding speaks for a person's
 * findings of one poll, which are folded in as signals, and which sessions the alert then ends.
 */
import type { Finding, Severity } from '../../src/domain/types';
import { mergeIncidents, signalOf, withSignals } from '../../src/monitor/incidents';

const BOB = '005000000000012AAA';
const ERIN = '005000000000013AAA';

function finding(rule: string, severity: Severity, userId: string, sessionIds: string[] = [], row = 'r1'): Finding {
  return {
    rule,
    severity,
    message: `${rule} about ${userId || 'nobody'}`,
    sessionIds,
    userId,
    subject: 'sessions',
    key: `${rule}:${userId}:${row}`,
    groupKey: `${rule}:${userId}`,
  };
}

/** What a case's outcome reads like: each alert as "rule(signal rules)", each merged key with the key it went into. */
function shape(findings: Finding[]): { alerts: string[]; merged: string[] } {
  const { alerts, merged } = mergeIncidents(findings);
  return {
    alerts: alerts.map((a) => `${a.rule}:${a.userId}(${(a.signals ?? []).map((s) => s.rule).join(',')})`),
    merged: merged.map(({ finding: f, into }) => `${f.key} → ${into}`),
  };
}

describe('mergeIncidents', () => {
  it.each<[string, Finding[], { alerts: string[]; merged: string[] }]>([
    ['nothing found: no alert', [], { alerts: [], merged: [] }],
    ['one finding: its own alert, no signals', [finding('new-country', 'medium', BOB)], { alerts: [`new-country:${BOB}()`], merged: [] }],
    [
      'the highest severity speaks, whatever the order found in',
      [finding('new-country', 'medium', BOB), finding('failed-then-success', 'high', BOB)],
      { alerts: [`failed-then-success:${BOB}(new-country)`], merged: [`new-country:${BOB}:r1 → failed-then-success:${BOB}:r1`] },
    ],
    [
      'equal severity: the rule that explains the most speaks (distant-places before impossible-travel before failed-then-success)',
      [finding('failed-then-success', 'high', BOB), finding('impossible-travel', 'high', BOB), finding('distant-places', 'high', BOB)],
      {
        alerts: [`distant-places:${BOB}(impossible-travel,failed-then-success)`],
        merged: [`impossible-travel:${BOB}:r1 → distant-places:${BOB}:r1`, `failed-then-success:${BOB}:r1 → distant-places:${BOB}:r1`],
      },
    ],
    [
      'a rule the ranking does not name comes after every named one of its severity',
      [finding('some-new-rule', 'medium', BOB), finding('grant-age', 'medium', BOB)],
      { alerts: [`grant-age:${BOB}(some-new-rule)`], merged: [`some-new-rule:${BOB}:r1 → grant-age:${BOB}:r1`] },
    ],
    [
      'two people: two alerts, never one person’s finding in the other’s',
      [finding('new-country', 'medium', BOB), finding('session-timeout', 'medium', ERIN), finding('impossible-travel', 'high', BOB)],
      { alerts: [`impossible-travel:${BOB}(new-country)`, `session-timeout:${ERIN}()`], merged: [`new-country:${BOB}:r1 → impossible-travel:${BOB}:r1`] },
    ],
    [
      'findings about nobody in particular (a spray without a victim who got in) stay apart, one alert each',
      [finding('password-spraying', 'medium', '', [], 'a'), finding('password-spraying', 'medium', '', [], 'b'), finding('new-country', 'medium', BOB)],
      { alerts: ['password-spraying:()', 'password-spraying:()', `new-country:${BOB}()`], merged: [] },
    ],
    [
      'same rule and severity twice for one person: the smaller key speaks, the other is its signal',
      [finding('session-timeout', 'medium', BOB, [], 'r2'), finding('session-timeout', 'medium', BOB, [], 'r1')],
      { alerts: [`session-timeout:${BOB}(session-timeout)`], merged: [`session-timeout:${BOB}:r2 → session-timeout:${BOB}:r1`] },
    ],
  ])('%s', (_case, findings, expected) => {
    expect(shape(findings)).toEqual(expected);
  });

  it("the lead alert ends every signal's sessions too, once each, the lead's first", () => {
    const { alerts } = mergeIncidents([
      finding('session-timeout', 'high', BOB, ['old']),
      finding('distant-places', 'high', BOB, ['stranger']),
      finding('failed-then-success', 'high', BOB, ['stranger']),
    ]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.sessionIds).toEqual(['stranger', 'old']);
    expect(alerts[0]?.signals?.map((s) => [s.rule, s.sessionIds])).toEqual([
      ['failed-then-success', ['stranger']],
      ['session-timeout', ['old']],
    ]);
  });
});

describe('withSignals', () => {
  it('without signals the finding is returned as it is (no empty signals block)', () => {
    const lead = finding('new-country', 'medium', BOB, ['s1']);
    expect(withSignals(lead, [])).toBe(lead);
  });

  it('adds the signals and the union of their sessions without touching the finding or the signals given', () => {
    const lead = finding('impossible-travel', 'high', BOB, ['s1']);
    const signal = signalOf(finding('new-country', 'medium', BOB, ['s1', 's2']));
    const merged = withSignals(lead, [signal]);
    expect(merged).toMatchObject({ key: lead.key, severity: 'high', sessionIds: ['s1', 's2'] });
    expect(merged.signals).toEqual([
      { rule: 'new-country', severity: 'medium', message: `new-country about ${BOB}`, key: `new-country:${BOB}:r1`, sessionIds: ['s1', 's2'] },
    ]);
    expect(lead.sessionIds).toEqual(['s1']);
    expect(lead.signals).toBeUndefined();
    // The alert's signal is a copy: editing it later cannot change what the caller holds.
    merged.signals?.[0]?.sessionIds.push('s3');
    expect(signal.sessionIds).toEqual(['s1', 's2']);
  });
});
