import type { Finding } from '../../src/domain/types';
import { onePerGroup, planAlerts, type OpenAlert } from '../../src/monitor/alert-plan';

function finding(rule: string, user: string, ids: string[], over: Partial<Finding> = {}): Finding {
  return {
    rule,
    severity: 'high',
    message: `${rule} for ${user}`,
    sessionIds: ids,
    userId: user,
    subject: 'sessions',
    key: `${rule}:${user}:${[...ids].sort().join(',')}`,
    groupKey: `${rule}:${user}`,
    ...over,
  };
}
const open = (f: Finding): OpenAlert => ({ key: f.key, groupKey: f.groupKey, finding: f });
const live = (...ids: string[]) => new Set(ids);

const A = finding('distant-places', 'U1', ['S1', 'S2']);
const A2 = finding('distant-places', 'U1', ['S1', 'S2', 'S3']);
const T = finding('session-timeout', 'U1', ['S4'], { severity: 'medium' });
const L = finding('new-country', 'U1', [], { subject: 'logins', key: 'new-country:U1:L9' });

/** A new-country finding about the login `id` at minute `minute` of the day. */
function newCountry(id: string, minute: number): Finding {
  const at = new Date(Date.UTC(2026, 11, 1, 0, minute));
  const login = { rowId: id, at, label: 'Moscow, RU', countryIso: 'RU', ip: '198.51.100.9' };
  return finding('new-country', 'U1', [], {
    subject: 'logins',
    key: `new-country:U1:${id}`,
    evidence: { kind: 'new-country', login, countryIso: 'RU', knownCountries: ['US'] },
  });
}
const MOSCOW_LOGIN = newCountry('L1', 10);
const DUBAI_LOGIN = newCountry('L2', 40);
const LAGOS_LOGIN = newCountry('L3', 55);

describe('planAlerts', () => {
  it.each([
    { name: 'a new finding is posted', findings: [A], open: [], live: live('S1', 'S2'), expected: [{ kind: 'post', finding: A }] },
    { name: 'the same finding again (next poll, after a restart) posts nothing', findings: [A], open: [open(A)], live: live('S1', 'S2'), expected: [] },
    {
      name: 'another session from the same place: the open alert is edited in place',
      findings: [A2],
      open: [open(A)],
      live: live('S1', 'S2', 'S3'),
      expected: [{ kind: 'update', alertKey: A.key, finding: A2 }],
    },
    {
      name: 'its sessions are gone and the rule no longer fires: resolved',
      findings: [],
      open: [open(A)],
      live: live(),
      expected: [{ kind: 'resolve', alertKey: A.key, reason: 'the sessions have ended' }],
    },
    { name: 'one of its sessions is still live: stays open', findings: [], open: [open(A)], live: live('S2'), expected: [] },
    { name: 'a login event never resolves by itself', findings: [], open: [open(L)], live: live(), expected: [] },
    {
      name: 'a finding shown as a signal of an open alert (one alert per incident) is not planned again',
      findings: [A, T],
      open: [open({ ...A, signals: [{ rule: T.rule, severity: T.severity, message: T.message, key: T.key, sessionIds: T.sessionIds }] })],
      live: live('S1', 'S2', 'S4'),
      expected: [],
    },
    {
      name: 'the same rule with other rows than the signal shown is a new finding: posted',
      findings: [A, { ...T, key: 'session-timeout:U1:S5', sessionIds: ['S5'] }],
      open: [open({ ...A, signals: [{ rule: T.rule, severity: T.severity, message: T.message, key: T.key, sessionIds: T.sessionIds }] })],
      live: live('S1', 'S2', 'S5'),
      expected: [{ kind: 'post', finding: { ...T, key: 'session-timeout:U1:S5', sessionIds: ['S5'] } }],
    },
    {
      name: 'a later login event of the same rule and user is a new message; the earlier alert stays as it is',
      findings: [MOSCOW_LOGIN, DUBAI_LOGIN],
      open: [open(MOSCOW_LOGIN)],
      live: live(),
      expected: [{ kind: 'post', finding: DUBAI_LOGIN }],
    },
    {
      name: 'both login events already have their messages: nothing',
      findings: [MOSCOW_LOGIN, DUBAI_LOGIN],
      open: [open(MOSCOW_LOGIN), open(DUBAI_LOGIN)],
      live: live(),
      expected: [],
    },
    {
      name: 'the next login event is compared with the latest open one, whatever the order alerts come in',
      findings: [LAGOS_LOGIN, MOSCOW_LOGIN, DUBAI_LOGIN],
      open: [open(DUBAI_LOGIN), open(MOSCOW_LOGIN)],
      live: live(),
      expected: [{ kind: 'post', finding: LAGOS_LOGIN }],
    },
    {
      name: 'an earlier login event found late (its alert was never posted) does not displace the latest',
      findings: [MOSCOW_LOGIN, DUBAI_LOGIN],
      open: [open(DUBAI_LOGIN)],
      live: live(),
      expected: [],
    },
    {
      name: 'two rules about one user: two messages',
      findings: [A, T],
      open: [],
      live: live('S1', 'S2', 'S4'),
      expected: [
        { kind: 'post', finding: A },
        { kind: 'post', finding: T },
      ],
    },
  ])('$name', ({ findings, open: alerts, live: ids, expected }) => {
    expect(planAlerts(findings, alerts, ids)).toEqual(expected);
  });
});

describe('onePerGroup', () => {
  it('keeps the most severe finding of a rule and user, then the one naming most rows, whatever the order', () => {
    const low = finding('distant-places', 'U1', ['S1', 'S2', 'S3'], { severity: 'medium' });
    expect(onePerGroup([low, A])).toEqual([A]);
    expect(onePerGroup([A, A2])).toEqual([A2]);
    expect(onePerGroup([A2, A])).toEqual([A2]);
  });
});
