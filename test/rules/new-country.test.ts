import type { Finding, LoginEvent } from '../../src/domain/types';
import { NEW_COUNTRY_RULE_ID, newCountryRule } from '../../src/rules/new-country';
import { PLACES, login, place } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = NEW_COUNTRY_RULE_ID;
const at = (hhmm: string) => new Date(`2026-07-01T${hhmm}:00.000Z`);
const from = (where: LoginEvent['place'], hhmm: string, over: Partial<LoginEvent> = {}) =>
  login({ status: 'Success', place: where, loginTime: at(hhmm), ...over });

const SF_0800 = from(PLACES.sanFrancisco, '08:00');
const OAKLAND_0900 = from(PLACES.oakland, '09:00');
const MOSCOW_1000 = from(PLACES.moscow, '10:00', { sourceIp: '198.51.100.23' });

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: 'US logins, then a success from Moscow: medium, naming the Moscow login',
    input: { logins: [MOSCOW_1000, OAKLAND_0900, SF_0800] },
    expected: [
      {
        rule: RULE,
        severity: 'medium',
        message: 'login from a new country: Moscow, RU at 10:00 UTC (earlier logins from US)',
        sessionIds: [],
        userId: USER,
        subject: 'logins',
        key: expectedKey(RULE, [MOSCOW_1000.id]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  { name: 'only US logins: no finding', input: { logins: [SF_0800, OAKLAND_0900] }, expected: [] },
  { name: 'the first login in the rows given has nothing to compare with', input: { logins: [MOSCOW_1000] }, expected: [] },
  {
    name: 'earlier logins of unknown country give nothing to compare with',
    input: { logins: [from(null, '08:00'), from(place({ city: 'Somewhere' }), '09:00'), MOSCOW_1000] },
    expected: [],
  },
  {
    name: 'a second success from Moscow is no longer new',
    input: { logins: [SF_0800, MOSCOW_1000, from(PLACES.moscow, '11:00')] },
    expected: [{ key: expectedKey(RULE, [MOSCOW_1000.id]) }],
  },
  {
    name: "an attacker's failed attempts from Russia do not make Russia familiar",
    input: { logins: [SF_0800, from(PLACES.moscow, '09:50', { status: 'Invalid Password' }), MOSCOW_1000] },
    expected: [{ key: expectedKey(RULE, [MOSCOW_1000.id]) }],
  },
  {
    name: 'a failed login from a new country is not a finding',
    input: { logins: [SF_0800, from(PLACES.moscow, '10:00', { status: 'Invalid Password' })] },
    expected: [],
  },
  {
    name: 'a login with no known country is neither new nor familiar',
    input: { logins: [SF_0800, from(null, '09:00'), MOSCOW_1000] },
    expected: [{ key: expectedKey(RULE, [MOSCOW_1000.id]) }],
  },
  {
    name: 'each new country is named once, with the countries known at the time',
    input: { logins: [SF_0800, from(PLACES.london, '09:00'), MOSCOW_1000] },
    expected: [
      { message: 'login from a new country: London, GB at 09:00 UTC (earlier logins from US)' },
      { message: 'login from a new country: Moscow, RU at 10:00 UTC (earlier logins from GB, US)' },
    ],
  },
  {
    name: 'the country code is compared case-insensitively',
    input: { logins: [SF_0800, from(place({ countryIso: 'us' }), '09:00')] },
    expected: [],
  },
  {
    name: 'a login from a trusted network (VPN exit in Russia) is never new',
    input: { logins: [SF_0800, MOSCOW_1000], trusted: (ip) => ip === '198.51.100.23' },
    expected: [],
  },
  {
    name: 'the trusted predicate spares only its own addresses',
    input: { logins: [SF_0800, MOSCOW_1000], trusted: (ip) => ip === '192.0.2.1' },
    expected: [{ key: expectedKey(RULE, [MOSCOW_1000.id]) }],
  },
  {
    name: 'users are kept apart: a Russian login of one user is not new for another who logged in from Russia',
    input: {
      logins: [
        from(PLACES.moscow, '08:00', { userId: 'user-a' }),
        from(PLACES.sanFrancisco, '09:00', { userId: 'user-b' }),
        from(PLACES.moscow, '10:00', { userId: 'user-b' }),
      ],
    },
    expected: [{ userId: 'user-b' }],
  },
  {
    name: "logins of the bot's own user are judged like anyone's",
    input: { userId: BOT, logins: [from(PLACES.sanFrancisco, '08:00', { userId: BOT }), from(PLACES.moscow, '10:00', { userId: BOT })] },
    expected: [{ userId: BOT }],
  },
  { name: 'no logins', input: { logins: [] }, expected: [] },
];

const keyCases: KeyCase[] = [
  {
    name: 'the same Moscow login an hour later: same key',
    before: { logins: [SF_0800, MOSCOW_1000] },
    after: anHourLater({ logins: [SF_0800, MOSCOW_1000] }),
    expected: 'same keys',
  },
  {
    name: 'more US logins afterwards change nothing: same key',
    before: { logins: [SF_0800, MOSCOW_1000] },
    after: { logins: [SF_0800, MOSCOW_1000, from(PLACES.sanFrancisco, '11:00')] },
    expected: 'same keys',
  },
  {
    name: 'a login from yet another country: a new key',
    before: { logins: [SF_0800, MOSCOW_1000] },
    after: { logins: [SF_0800, MOSCOW_1000, from(PLACES.paris, '11:00')] },
    expected: 'a new key',
  },
];

describe('new-country', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(shaped(run(newCountryRule, input), expected)).toEqual(expected);
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(newCountryRule, keyCase));

  it('carries the login, its country and the countries known before it as evidence', () => {
    const [found] = run(newCountryRule, { logins: [SF_0800, MOSCOW_1000] });
    expect(found?.evidence).toEqual({
      kind: 'new-country',
      login: {
        rowId: MOSCOW_1000.id,
        at: at('10:00'),
        label: 'Moscow, RU',
        countryIso: 'RU',
        ip: '198.51.100.23',
        coordinates: { latitude: 55.7558, longitude: 37.6173 },
      },
      countryIso: 'RU',
      knownCountries: ['US'],
    });
  });
});
