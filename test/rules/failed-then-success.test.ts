import type { Finding, LoginEvent } from '../../src/domain/types';
import { FAILED_THEN_SUCCESS_RULE_ID, failedThenSuccessRule } from '../../src/rules/failed-then-success';
import { MINUTE, PLACES, login, place, session } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = FAILED_THEN_SUCCESS_RULE_ID;
const at = (hhmm: string) => new Date(`2026-07-01T${hhmm}:00.000Z`);
const failed = (hhmm: string, status = 'Invalid Password', over: Partial<LoginEvent> = {}) => login({ status, loginTime: at(hhmm), ...over });
const success = (hhmm: string, over: Partial<LoginEvent> = {}) => login({ status: 'Success', loginTime: at(hhmm), ...over });

// The person's usual source: the factories' default address, place and browser (203.0.113.7, San Francisco, Chrome on a Mac).
const HOME_IP = '203.0.113.7';
const HOME_LOGIN = success('08:00');
/** Someone else's address (TEST-NET-2), placed in Moscow unless told otherwise. */
/** A browser the person never used: a stolen password is typed on the thief's machine. */
const THEIR_DEVICE = { browser: 'Firefox 115', platform: 'Linux' } as const;
const stranger = (n: number, over: Partial<LoginEvent> = {}): Partial<LoginEvent> => ({
  sourceIp: `198.51.100.${n}`,
  place: PLACES.moscow,
  ...THEIR_DEVICE,
  ...over,
});
const minutesAfter = (hhmm: string, i: number) => new Date(at(hhmm).getTime() + i * MINUTE);
const failures = (count: number, from: string, over: (i: number) => Partial<LoginEvent> = () => ({})) =>
  Array.from({ length: count }, (_, i) => login({ status: 'Invalid Password', loginTime: minutesAfter(from, i), ...over(i) }));

// Four failures 13:46–13:58 from strangers' addresses, then a success from Moscow at 14:05 (listed out of order on purpose).
const MOSCOW_SUCCESS = success('14:05', stranger(9));
const FOUR_FAILURES_THEN_MOSCOW = [
  MOSCOW_SUCCESS,
  failed('13:50', 'Invalid Password', stranger(2)),
  HOME_LOGIN,
  failed('13:58', 'Invalid Password', stranger(4)),
  failed('13:46', 'Invalid Password', stranger(1)),
  failed('13:54', 'Invalid Password', stranger(3)),
];
// Three failures from new addresses, then a success from a new address in San Francisco, where the person signs in.
const threeThenSuccessInSf = (device: Partial<LoginEvent> = THEIR_DEVICE): LoginEvent[] => [
  HOME_LOGIN,
  failed('10:00', 'Invalid Password', { sourceIp: '192.0.2.10', ...device }),
  failed('10:01', 'Invalid Password', { sourceIp: '192.0.2.11', ...device }),
  failed('10:02', 'Password Lockout', { sourceIp: '192.0.2.12', ...device }),
  success('10:03', { sourceIp: '192.0.2.13', ...device }),
];
const THREE_THEN_SUCCESS_IN_SF = threeThenSuccessInSf();
// No earlier success of this person: every address is unknown, so there is nothing to compare with.
const MIXED_REASONS = [
  failed('10:00'),
  failed('10:01', 'Failed: API security token required'),
  failed('10:02'),
  failed('10:02', 'User Is Frozen'),
  login({ status: 'success', loginTime: at('10:03'), place: null, sourceIp: '198.51.100.4' }),
];
// 08:59 is 61 min before the 10:00 success: outside a 60-minute window; 09:00 is on its edge.
const WINDOW_EDGE = [failed('08:59'), failed('09:00'), failed('09:30'), success('10:00')];
const SUCCESS_AT_1405 = at('14:05');
const SESSION_OF_1405 = session({ login: { loginTime: SUCCESS_AT_1405, browser: null, platform: null, application: null, loginType: null } });
const RUN_BEFORE_1405 = [failed('14:00'), failed('14:01'), failed('14:02'), success('14:05')];

const NO_HISTORY = 'no earlier login of this person to compare with';
const NEW_PLACE = 'from an address and place this person has never signed in from';
const KNOWN_PLACE = 'from an address this person has never used, in a place they have signed in from';
const LOCKOUT = 'as many as the lockout policy allows (10)';

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: '4 failures from strangers in 12 min, then a success from Moscow where the person never was, in any input order: high',
    input: { logins: FOUR_FAILURES_THEN_MOSCOW },
    expected: [
      {
        rule: RULE,
        severity: 'high',
        message: `4 failed logins (Invalid Password) in 12 min, then a success from Moscow, RU at 14:05 UTC — ${NEW_PLACE}`,
        sessionIds: [],
        userId: USER,
        subject: 'logins',
        key: expectedKey(RULE, [MOSCOW_SUCCESS.id]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  {
    name: 'the same run without any earlier success of the person: medium, nothing to compare with',
    input: { logins: FOUR_FAILURES_THEN_MOSCOW.filter((event) => event !== HOME_LOGIN) },
    expected: [{ severity: 'medium', message: `4 failed logins (Invalid Password) in 12 min, then a success from Moscow, RU at 14:05 UTC — ${NO_HISTORY}` }],
  },
  {
    name: 'exactly at the threshold (3 unusual failures), success from a new address in a known place: medium',
    input: { logins: THREE_THEN_SUCCESS_IN_SF },
    expected: [
      {
        severity: 'medium',
        message: `3 failed logins (Invalid Password, Password Lockout) in 2 min, then a success from San Francisco, US at 10:03 UTC — ${KNOWN_PLACE}`,
      },
    ],
  },
  {
    name: "the same three from a new network in San Francisco, every one from the person's own browser: a typo on the road (hotel Wi-Fi): no finding",
    input: { logins: threeThenSuccessInSf({}) },
    expected: [],
  },
  {
    name: "one of the three from a browser the person never used: medium, the person's own browser vouches only for all of them",
    input: { logins: threeThenSuccessInSf({}).map((event, i) => (i === 2 ? { ...event, ...THEIR_DEVICE } : event)) },
    expected: [{ severity: 'medium' }],
  },
  { name: 'below the threshold (2 unusual failures): no finding', input: { logins: THREE_THEN_SUCCESS_IN_SF.filter((_, i) => i !== 1) }, expected: [] },
  {
    name: 'unusual failures twice the threshold (6), success in a known place: high',
    input: { logins: [HOME_LOGIN, ...failures(6, '10:00', (i) => ({ sourceIp: `192.0.2.${20 + i}` })), success('10:07', { sourceIp: '192.0.2.30' })] },
    expected: [
      {
        severity: 'high',
        message: `6 failed logins (Invalid Password) in 5 min, then a success from San Francisco, US at 10:07 UTC — 6 of them from addresses this person has never used`,
      },
    ],
  },
  {
    name: 'five unusual failures (under twice the threshold), success in a known place: medium',
    input: {
      logins: [
        HOME_LOGIN,
        ...failures(5, '10:00', (i) => ({ sourceIp: `192.0.2.${20 + i}`, ...THEIR_DEVICE })),
        success('10:07', { sourceIp: '192.0.2.30', ...THEIR_DEVICE }),
      ],
    },
    expected: [{ severity: 'medium' }],
  },
  ...[1, 2, 3, 4].map((count): Case => ({
    name: `a typo from the usual address: ${count} wrong password(s), then a success, all from ${HOME_IP}: no finding`,
    input: { logins: [HOME_LOGIN, ...failures(count, '12:00'), success('12:10')] },
    expected: [],
  })),
  {
    name: 'the same /24 and the same browser and platform as an earlier success is the usual source: no finding',
    input: {
      logins: [HOME_LOGIN, ...failures(4, '12:00', (i) => ({ sourceIp: `203.0.113.${50 + i}` })), success('12:10', { sourceIp: '203.0.113.60' })],
    },
    expected: [],
  },
  {
    name: 'the same /24 from another browser and platform is not the usual source: medium',
    input: {
      logins: [
        HOME_LOGIN,
        ...failures(4, '12:00', (i) => ({ sourceIp: `203.0.113.${50 + i}`, browser: 'Firefox 127', platform: 'Windows 10' })),
        success('12:10', { sourceIp: '203.0.113.60', browser: 'Firefox 127', platform: 'Windows 10' }),
      ],
    },
    expected: [
      { severity: 'medium', message: `4 failed logins (Invalid Password) in 3 min, then a success from San Francisco, US at 12:10 UTC — ${KNOWN_PLACE}` },
    ],
  },
  {
    name: 'IPv6: the same /48 and the same device is the usual source: no finding',
    input: {
      logins: [
        success('08:00', { sourceIp: '2001:db8:abcd:1::7' }),
        ...failures(4, '12:00', (i) => ({ sourceIp: `2001:db8:abcd:${i + 2}::9` })),
        success('12:10', { sourceIp: '2001:db8:abcd:ff::1' }),
      ],
    },
    expected: [],
  },
  {
    name: 'IPv6: another /48 from Moscow is not: high',
    input: {
      logins: [
        success('08:00', { sourceIp: '2001:db8:abcd:1::7' }),
        ...failures(4, '12:00', (i) => ({ sourceIp: `2001:db8:${i + 1}::9`, place: PLACES.moscow })),
        success('12:10', { sourceIp: '2001:db8:ff::1', place: PLACES.moscow }),
      ],
    },
    expected: [{ severity: 'high' }],
  },
  {
    name: 'lockout: 10 wrong passwords from the usual address, then a success from it: medium, always reported',
    input: { logins: [HOME_LOGIN, ...failures(10, '12:00'), success('12:15')] },
    expected: [
      { severity: 'medium', message: `10 failed logins (Invalid Password) in 9 min, then a success from San Francisco, US at 12:15 UTC — ${LOCKOUT}` },
    ],
  },
  {
    name: 'lockout: 10 failures, then a success from a stranger: high',
    input: { logins: [HOME_LOGIN, ...failures(10, '12:00'), success('12:15', stranger(9))] },
    expected: [{ severity: 'high', message: `10 failed logins (Invalid Password) in 9 min, then a success from Moscow, RU at 12:15 UTC — ${LOCKOUT}` }],
  },
  {
    name: 'lockout is read from the policy: 5 wrong passwords from the usual address against a lockout of 5',
    input: { logins: [HOME_LOGIN, ...failures(5, '12:00'), success('12:15')], policy: { lockoutAttempts: 5 } },
    expected: [
      {
        severity: 'medium',
        message: `5 failed logins (Invalid Password) in 4 min, then a success from San Francisco, US at 12:15 UTC — as many as the lockout policy allows (5)`,
      },
    ],
  },
  {
    name: 'the lockout counts only the failures inside the window: 10 from the usual address, 5 of them over an hour before',
    input: { logins: [HOME_LOGIN, ...failures(5, '10:00'), ...failures(5, '12:00'), success('12:15')] },
    expected: [],
  },
  {
    name: 'a success within 200 km of an earlier one (Oakland, beside San Francisco) is a known place: medium',
    input: { logins: [HOME_LOGIN, ...failures(3, '12:00', (i) => stranger(i + 1)), success('12:10', stranger(9, { place: PLACES.oakland }))] },
    expected: [{ severity: 'medium', message: `3 failed logins (Invalid Password) in 2 min, then a success from Oakland, US at 12:10 UTC — ${KNOWN_PLACE}` }],
  },
  {
    name: 'a success 559 km from any earlier one (Los Angeles) is a new place: high',
    input: { logins: [HOME_LOGIN, ...failures(3, '12:00', (i) => stranger(i + 1)), success('12:10', stranger(9, { place: PLACES.losAngeles }))] },
    expected: [{ severity: 'high', message: `3 failed logins (Invalid Password) in 2 min, then a success from Los Angeles, US at 12:10 UTC — ${NEW_PLACE}` }],
  },
  {
    name: '9 wrong passwords from the usual address (one short of the lockout), then a success from it: no finding',
    input: { logins: [HOME_LOGIN, ...failures(9, '12:00'), success('12:15')] },
    expected: [],
  },
  {
    name: "a stranger's failures, then the person signs in from their usual address: no finding (the stranger did not get in)",
    input: { logins: [HOME_LOGIN, ...failures(5, '12:00', (i) => stranger(i + 1)), success('12:10')] },
    expected: [],
  },
  {
    name: 'typos from the usual address, then a success from elsewhere: no finding (too few unusual failures)',
    input: { logins: [HOME_LOGIN, ...failures(4, '12:00'), success('12:10', stranger(9))] },
    expected: [],
  },
  {
    name: 'only failures not from a usual source count toward the threshold: 2 usual + 2 unusual, success from a stranger',
    input: { logins: [HOME_LOGIN, ...failures(2, '12:00'), ...failures(2, '12:03', (i) => stranger(i + 1)), success('12:10', stranger(9))] },
    expected: [],
  },
  {
    name: 'failures from a trusted network count as usual: no finding',
    input: {
      logins: [HOME_LOGIN, ...failures(4, '12:00', (i) => ({ sourceIp: `10.0.0.${i + 1}` })), success('12:10', stranger(9))],
      trusted: (ip) => ip.startsWith('10.'),
    },
    expected: [],
  },
  {
    name: 'a success from a trusted network is the usual source: no finding',
    input: {
      logins: [HOME_LOGIN, ...failures(4, '12:00', (i) => stranger(i + 1)), success('12:10', { sourceIp: '10.0.0.1' })],
      trusted: (ip) => ip.startsWith('10.'),
    },
    expected: [],
  },
  {
    name: 'a country-only place: a success from a country the person signed in from is a known place (medium)',
    input: {
      logins: [HOME_LOGIN, ...failures(3, '12:00', (i) => stranger(i + 1)), success('12:10', stranger(9, { place: PLACES.usNoCoords }))],
    },
    expected: [{ severity: 'medium', message: `3 failed logins (Invalid Password) in 2 min, then a success from US at 12:10 UTC — ${KNOWN_PLACE}` }],
  },
  {
    name: 'a country-only place in a country never seen: high',
    input: {
      logins: [HOME_LOGIN, ...failures(3, '12:00', (i) => stranger(i + 1)), success('12:10', stranger(9, { place: PLACES.russiaNoCoords }))],
    },
    expected: [{ severity: 'high', message: `3 failed logins (Invalid Password) in 2 min, then a success from RU at 12:10 UTC — ${NEW_PLACE}` }],
  },
  {
    name: "failures teach nothing: a stranger's earlier failed attempts from Moscow leave Moscow new (high)",
    input: {
      logins: [...failures(3, '06:00', (i) => stranger(i + 1)), HOME_LOGIN, ...failures(3, '12:00', (i) => stranger(i + 1)), success('12:10', stranger(1))],
    },
    expected: [{ severity: 'high', message: `3 failed logins (Invalid Password) in 2 min, then a success from Moscow, RU at 12:10 UTC — ${NEW_PLACE}` }],
  },
  {
    // By the rule's definition the exact address of an earlier success is the person's: a second
    // run from where an earlier run succeeded is not reported again (the first run's alert stands).
    name: 'a later run from the address of an earlier success is from the usual source: only the first run is reported',
    input: { logins: [...FOUR_FAILURES_THEN_MOSCOW, ...failures(4, '15:00', (i) => stranger(i + 1)), success('15:10', stranger(9))] },
    expected: [{ key: expectedKey(RULE, [MOSCOW_SUCCESS.id]) }],
  },
  {
    name: 'the most common reasons come first and the rest are folded',
    input: { logins: MIXED_REASONS },
    expected: [
      {
        severity: 'medium',
        message: `4 failed logins (Invalid Password, API security token required +1 more) in 2 min, then a success from 198.51.100.4 at 10:03 UTC — ${NO_HISTORY}`,
      },
    ],
  },
  { name: 'a failure 61 min before the success is outside the 60-minute window', input: { logins: WINDOW_EDGE }, expected: [] },
  {
    name: 'a failure exactly 60 min before the success is inside the window',
    input: { logins: WINDOW_EDGE, policy: { failedLoginThreshold: 2 } },
    expected: [{ message: `2 failed logins (Invalid Password) in 30 min, then a success from San Francisco, US at 10:00 UTC — ${NO_HISTORY}` }],
  },
  {
    name: 'a success in between restarts the count',
    input: { logins: [failed('10:00'), failed('10:01'), success('10:02'), failed('10:03'), success('10:04')] },
    expected: [],
  },
  {
    name: 'ten failures never followed by a success: no finding',
    input: { logins: failures(10, '10:00') },
    expected: [],
  },
  { name: 'no logins', input: { logins: [] }, expected: [] },
  {
    name: 'users are kept apart: a has 2 failures before its success, b only 1',
    input: {
      logins: [
        failed('10:00', 'Invalid Password', { userId: 'a' }),
        failed('10:01', 'Invalid Password', { userId: 'b' }),
        failed('10:02', 'Invalid Password', { userId: 'a' }),
        success('10:03', { userId: 'b' }),
        success('10:04', { userId: 'a' }),
      ],
      policy: { failedLoginThreshold: 2 },
    },
    expected: [{ userId: 'a' }],
  },
  {
    name: "users are kept apart: another user's success does not make an address usual",
    input: {
      logins: [success('08:00', { userId: 'b', ...stranger(9) }), HOME_LOGIN, ...failures(3, '12:00', (i) => stranger(i + 1)), success('12:10', stranger(9))],
    },
    expected: [{ userId: USER, severity: 'high' }],
  },
  {
    name: 'the session created by the successful login is named',
    input: { logins: RUN_BEFORE_1405, sessions: [SESSION_OF_1405, session({ place: place({ countryIso: 'US' }) })] },
    expected: [{ sessionIds: [SESSION_OF_1405.id] }],
  },
  {
    name: "the bot's current session is never named, even at the successful login's time",
    input: { logins: RUN_BEFORE_1405, sessions: [{ ...SESSION_OF_1405, isCurrent: true }] },
    expected: [{ sessionIds: [] }],
  },
  {
    name: "a session of the bot's own user is never named",
    input: { logins: RUN_BEFORE_1405, sessions: [{ ...SESSION_OF_1405, userId: BOT }] },
    expected: [{ sessionIds: [] }],
  },
];

const keyCases: KeyCase[] = [
  {
    name: 'the same run an hour later: same key',
    before: { logins: FOUR_FAILURES_THEN_MOSCOW },
    after: anHourLater({ logins: FOUR_FAILURES_THEN_MOSCOW }),
    expected: 'same keys',
  },
  {
    name: 'a late LoginHistory row adds a fifth failure to the same run: same key',
    before: { logins: FOUR_FAILURES_THEN_MOSCOW },
    after: { logins: [...FOUR_FAILURES_THEN_MOSCOW, failed('14:01', 'Invalid Password', stranger(5))] },
    expected: 'same keys',
  },
  {
    name: 'a new run of failures and another success from another stranger: a new key',
    before: { logins: FOUR_FAILURES_THEN_MOSCOW },
    after: {
      logins: [
        ...FOUR_FAILURES_THEN_MOSCOW,
        ...failures(3, '15:00', (i) => ({ sourceIp: `192.0.2.${40 + i}`, place: PLACES.london })),
        success('15:03', { sourceIp: '192.0.2.50', place: PLACES.london }),
      ],
    },
    expected: 'a new key',
  },
];

describe('failed-then-success', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(shaped(run(failedThenSuccessRule, input), expected)).toEqual(expected);
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(failedThenSuccessRule, keyCase));

  it('carries the count, reasons, span, window and the successful login as evidence', () => {
    const [found] = run(failedThenSuccessRule, { logins: FOUR_FAILURES_THEN_MOSCOW });
    expect(found?.evidence).toEqual({
      kind: 'failed-logins',
      failures: 4,
      reasons: ['Invalid Password'],
      spanMs: 12 * MINUTE,
      windowMinutes: 60,
      success: {
        rowId: MOSCOW_SUCCESS.id,
        at: at('14:05'),
        label: 'Moscow, RU',
        countryIso: 'RU',
        ip: '198.51.100.9',
        coordinates: { latitude: 55.7558, longitude: 37.6173 },
      },
    });
  });
});
