import type { Finding, LoginEvent } from '../../src/domain/types';
import { FAILED_THEN_SUCCESS_RULE_ID, failedThenSuccessRule } from '../../src/rules/failed-then-success';
import { MINUTE, PLACES, login, place, session } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = FAILED_THEN_SUCCESS_RULE_ID;
const at = (hhmm: string) => new Date(`2026-07-01T${hhmm}:00.000Z`);
const failed = (hhmm: string, status = 'Invalid Password', over: Partial<LoginEvent> = {}) => login({ status, loginTime: at(hhmm), ...over });
const success = (hhmm: string, over: Partial<LoginEvent> = {}) => login({ status: 'Success', loginTime: at(hhmm), ...over });

// Four failures 13:46–13:58, then a success from Moscow at 14:05 (listed out of order on purpose).
const MOSCOW_SUCCESS = success('14:05', { place: PLACES.moscow });
const FOUR_FAILURES_THEN_MOSCOW = [MOSCOW_SUCCESS, failed('13:50'), failed('13:58'), failed('13:46'), failed('13:54')];
// Three failures, then a success: exactly the default threshold of 3.
const THREE_THEN_SUCCESS = [failed('10:00'), failed('10:01'), failed('10:02', 'Password Lockout'), success('10:03')];
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

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: '4 failures in 12 min, then a success from Moscow, in any input order: high',
    input: { logins: FOUR_FAILURES_THEN_MOSCOW },
    expected: [
      {
        rule: RULE,
        severity: 'high',
        message: '4 failed logins (Invalid Password) in 12 min, then a success from Moscow, RU at 14:05 UTC',
        sessionIds: [],
        userId: USER,
        subject: 'logins',
        key: expectedKey(RULE, [MOSCOW_SUCCESS.id]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  { name: 'exactly at the threshold (3 failures): flagged', input: { logins: THREE_THEN_SUCCESS }, expected: [{ severity: 'high' }] },
  { name: 'below the threshold (2 failures): no finding', input: { logins: THREE_THEN_SUCCESS.slice(1) }, expected: [] },
  {
    name: 'the most common reasons come first and the rest are folded',
    input: { logins: MIXED_REASONS },
    expected: [
      {
        message: '4 failed logins (Invalid Password, API security token required +1 more) in 2 min, then a success from 198.51.100.4 at 10:03 UTC',
      },
    ],
  },
  { name: 'a failure 61 min before the success is outside the 60-minute window', input: { logins: WINDOW_EDGE }, expected: [] },
  {
    name: 'a failure exactly 60 min before the success is inside the window',
    input: { logins: WINDOW_EDGE, policy: { failedLoginThreshold: 2 } },
    expected: [{ message: '2 failed logins (Invalid Password) in 30 min, then a success from San Francisco, US at 10:00 UTC' }],
  },
  {
    name: 'a success in between restarts the count',
    input: { logins: [failed('10:00'), failed('10:01'), success('10:02'), failed('10:03'), success('10:04')] },
    expected: [],
  },
  {
    name: 'ten failures never followed by a success: no finding',
    input: { logins: Array.from({ length: 10 }, (_, i) => login({ status: 'Invalid Password', loginTime: new Date(at('10:00').getTime() + i * MINUTE) })) },
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
    after: { logins: [...FOUR_FAILURES_THEN_MOSCOW, failed('14:01')] },
    expected: 'same keys',
  },
  {
    name: 'a new run of failures and another success: a new key',
    before: { logins: FOUR_FAILURES_THEN_MOSCOW },
    after: { logins: [...FOUR_FAILURES_THEN_MOSCOW, failed('15:00'), failed('15:01'), failed('15:02'), success('15:03')] },
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
        ip: '203.0.113.7',
        coordinates: { latitude: 55.7558, longitude: 37.6173 },
      },
    });
  });
});
