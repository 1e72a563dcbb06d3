import type { Finding, LoginEvent } from '../../src/domain/types';
import { PASSWORD_SPRAYING_RULE_ID, passwordSprayingRule } from '../../src/rules/password-spraying';
import { MINUTE, PLACES, login } from '../support/rule-factories';
import { BOT, checkKeys, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = PASSWORD_SPRAYING_RULE_ID;
const SPRAYER = '198.51.100.66';
const at = (hhmm: string) => new Date(`2026-07-01T${hhmm}:00.000Z`);
const plus = (hhmm: string, minutes: number) => new Date(at(hhmm).getTime() + minutes * MINUTE);
const person = (n: number) => `0050000000000${String(n).padStart(2, '0')}AAA`;

/** One failed login of person n from `ip` at `when`. */
const failure = (n: number, when: Date, over: Partial<LoginEvent> = {}) =>
  login({ userId: person(n), status: 'Invalid Password', loginTime: when, sourceIp: SPRAYER, place: PLACES.moscow, ...over });
const successOf = (n: number, when: Date, over: Partial<LoginEvent> = {}) =>
  login({ userId: person(n), status: 'Success', loginTime: when, sourceIp: SPRAYER, place: PLACES.moscow, ...over });
/** `count` different people failing from one address, two minutes apart from `hhmm`, first person `from`. */
const spray = (count: number, hhmm: string, from = 1, over: Partial<LoginEvent> = {}) =>
  Array.from({ length: count }, (_, i) => failure(from + i, plus(hhmm, 2 * i), over));

// Ten people tried from one address in 18 min, 10:00–10:18.
const TEN = spray(10, '10:00');
const FIRST = TEN[0] as LoginEvent;
// Ten other people from the same address in the afternoon, hours after the morning's burst.
const AFTERNOON = spray(10, '14:00', 11);
const AFTERNOON_FIRST = AFTERNOON[0] as LoginEvent;
const keyOf = (userId: string, first: LoginEvent = FIRST, ip = SPRAYER) => `${RULE}:${userId}:${ip}@${first.id}`;

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: 'ten people failing from one address in 18 min, nobody got in: medium, about no one yet',
    input: { logins: TEN },
    expected: [
      {
        rule: RULE,
        severity: 'medium',
        message: `password spraying from ${SPRAYER} (Moscow, RU): 10 people tried (10 failed logins in 18 min); nobody signed in from it`,
        userId: '',
        subject: 'logins',
        sessionIds: [],
        key: keyOf(''),
        groupKey: `${RULE}:`,
      },
    ],
  },
  { name: 'nine people: under sprayMinUsers, no finding', input: { logins: spray(9, '10:00') }, expected: [] },
  {
    name: 'sprayMinUsers is read from the policy: five people against 5',
    input: { logins: spray(5, '10:00'), policy: { sprayMinUsers: 5 } },
    expected: [{ message: `password spraying from ${SPRAYER} (Moscow, RU): 5 people tried (5 failed logins in 8 min); nobody signed in from it` }],
  },
  {
    name: 'one person it tried then signs in from the address: high, about that person',
    input: { logins: [...TEN, successOf(4, at('10:30'))] },
    expected: [
      {
        severity: 'high',
        userId: person(4),
        message: `password spraying from ${SPRAYER} (Moscow, RU): 10 people tried (10 failed logins in 18 min); 1 of them then signed in from it (first at 10:30 UTC)`,
        key: keyOf(person(4)),
      },
    ],
  },
  {
    name: 'three of the ten got in (under a third): high, the first to get in is the one the alert is about',
    input: { logins: [...TEN, successOf(7, at('10:40')), successOf(2, at('10:25')), successOf(9, at('10:50'))] },
    expected: [{ severity: 'high', userId: person(2), message: expect.stringMatching(/; 3 of them then signed in from it \(first at 10:25 UTC\)$/) as string }],
  },
  {
    name: 'an office or VPN exit: four colleagues sign in from it among the ten who mistyped, no finding',
    input: { logins: [...TEN, ...[1, 2, 3, 4].map((n) => successOf(n, plus('10:05', n)))] },
    expected: [],
  },
  {
    name: 'colleagues who did not fail count too: four others signing in from the address make it an office',
    input: { logins: [...TEN, ...[21, 22, 23, 24].map((n) => successOf(n, plus('10:05', n)))] },
    expected: [],
  },
  {
    name: 'a success more than a window after the last failure is not from the burst: medium',
    input: { logins: [...TEN, successOf(4, plus('10:18', 61))] },
    expected: [{ severity: 'medium', userId: '' }],
  },
  {
    name: 'a success exactly a window after the last failure still is: high',
    input: { logins: [...TEN, successOf(4, plus('10:18', 60))] },
    expected: [{ severity: 'high', userId: person(4) }],
  },
  {
    name: 'a success before the first failure is not from the burst: medium',
    input: { logins: [successOf(4, at('09:30')), ...TEN] },
    expected: [{ severity: 'medium', userId: '' }],
  },
  {
    name: 'one person failing twenty times from one address is not spraying (failed-then-success judges that)',
    input: { logins: Array.from({ length: 20 }, (_, i) => failure(1, plus('10:00', i))) },
    expected: [],
  },
  {
    name: 'a quiet hour and a minute cuts the bursts: five people, then five others, no finding',
    input: { logins: [...spray(5, '10:00'), ...spray(5, '11:09', 6)] },
    expected: [],
  },
  {
    name: 'a quiet hour exactly keeps one burst: ten people',
    input: { logins: [...spray(5, '10:00'), ...spray(5, '11:08', 6)] },
    expected: [{ message: `password spraying from ${SPRAYER} (Moscow, RU): 10 people tried (10 failed logins in 76 min); nobody signed in from it` }],
  },
  {
    name: 'two bursts from one address hours apart: two findings, one per burst',
    input: { logins: [...TEN, ...AFTERNOON] },
    expected: [{ key: keyOf('') }, { key: keyOf('', AFTERNOON_FIRST) }],
  },
  {
    name: 'the same people from ten different addresses: no finding (each address tried one person)',
    input: { logins: TEN.map((event, i) => ({ ...event, sourceIp: `198.51.100.${100 + i}` })) },
    expected: [],
  },
  {
    name: 'a trusted address is never spraying',
    input: { logins: TEN, trusted: (ip) => ip === SPRAYER },
    expected: [],
  },
  {
    name: 'the trusted predicate spares only its own addresses',
    input: { logins: TEN, trusted: (ip) => ip === '192.0.2.1' },
    expected: [{ key: keyOf('') }],
  },
  {
    name: "the bot's own user failing is not one of the people tried: nine people and the bot, no finding",
    input: { logins: [...spray(9, '10:00'), failure(0, at('10:30'), { userId: BOT })] },
    expected: [],
  },
  {
    name: 'the address is compared trimmed and in lower case (IPv6)',
    input: {
      logins: spray(10, '10:00', 1, { sourceIp: '2001:db8::66' }).map((event, i) => (i % 2 === 0 ? { ...event, sourceIp: ' 2001:DB8::66 ' } : event)),
    },
    expected: [{ message: 'password spraying from 2001:db8::66 (Moscow, RU): 10 people tried (10 failed logins in 18 min); nobody signed in from it' }],
  },
  {
    name: 'logins without an address are never grouped',
    input: { logins: spray(10, '10:00', 1, { sourceIp: null }) },
    expected: [],
  },
  {
    name: 'an address without a place is named alone',
    input: { logins: spray(10, '10:00', 1, { place: null }) },
    expected: [{ message: `password spraying from ${SPRAYER}: 10 people tried (10 failed logins in 18 min); nobody signed in from it` }],
  },
  { name: 'no logins', input: { logins: [] }, expected: [] },
];

const keyCases: KeyCase[] = [
  {
    name: 'the burst grows (two more people tried): same key',
    before: { logins: TEN },
    after: { logins: [...TEN, ...spray(2, '10:40', 11)] },
    expected: 'same keys',
  },
  {
    name: 'a new burst from the same address after a quiet hour: a new key',
    before: { logins: TEN },
    after: { logins: [...TEN, ...AFTERNOON] },
    expected: 'a new key',
  },
];

describe('password-spraying', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(shaped(run(passwordSprayingRule, input), expected)).toEqual(expected);
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(passwordSprayingRule, keyCase));

  it('someone getting in is news: the finding moves to that person, a new key and group key', () => {
    // An edit notifies nobody, so the monitor posts the victim's alert as a new message.
    const [before] = run(passwordSprayingRule, { logins: TEN });
    const [after] = run(passwordSprayingRule, { logins: [...TEN, successOf(4, at('10:30'))] });
    expect([before?.groupKey, after?.groupKey]).toEqual([`${RULE}:`, `${RULE}:${person(4)}`]);
    expect(after?.key).not.toBe(before?.key);
  });

  it('carries the address, its place, the people, the span and the victims as evidence', () => {
    const [found] = run(passwordSprayingRule, { logins: [...TEN, successOf(4, at('10:30'))] });
    expect(found?.evidence).toEqual({
      kind: 'spray',
      ip: SPRAYER,
      place: {
        rowId: FIRST.id,
        at: at('10:00'),
        label: 'Moscow, RU',
        countryIso: 'RU',
        ip: SPRAYER,
        coordinates: { latitude: 55.7558, longitude: 37.6173 },
      },
      people: 10,
      failures: 10,
      spanMs: 18 * MINUTE,
      firstAt: at('10:00'),
      lastAt: at('10:18'),
      victims: [person(4)],
    });
  });
});
