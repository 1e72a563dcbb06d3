import type { Finding, LoginEvent } from '../../src/domain/types';
import { NEW_COUNTRY_RULE_ID, newCountryRule } from '../../src/rules/new-country';
import { PLACES, login, place } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = NEW_COUNTRY_RULE_ID;
const at = (hhmm: string) => new Date(`2026-07-01T${hhmm}:00.000Z`);
let addresses = 0;
/**
 * A fresh address (RFC 2544's benchmarking range) per login, each on a network of its own: an
 * address used before vouches for its place, and a phone on a network used before is the person's
 * own carrier (see the home-carrier cases).
 */
const freshIp = (): string => {
  addresses += 1;
  return `198.${18 + ((addresses >> 8) & 1)}.${addresses & 0xff}.1`;
};
const from = (where: LoginEvent['place'], hhmm: string, over: Partial<LoginEvent> = {}) =>
  login({ status: 'Success', place: where, loginTime: at(hhmm), sourceIp: freshIp(), ...over });
/** A phone app's login, as Salesforce records it for the Salesforce mobile app. */
const phone = (where: LoginEvent['place'], hhmm: string, over: Partial<LoginEvent> = {}) =>
  from(where, hhmm, { application: 'Salesforce for iOS', browser: 'Unknown', platform: 'iPhone', ...over });

const SF_0800 = from(PLACES.sanFrancisco, '08:00');
const OAKLAND_0900 = from(PLACES.oakland, '09:00');
const MOSCOW_1000 = from(PLACES.moscow, '10:00', { sourceIp: '198.51.100.23' });
const PARIS_0800 = from(PLACES.paris, '08:00');
// Country-level geo-IP answers carry the country's centroid: a point, but not where anyone is.
const BELGIUM_CENTROID = place({ country: 'Belgium', countryIso: 'BE', latitude: 50.5, longitude: 4.47 });
const FRANCE_CENTROID = place({ country: 'France', countryIso: 'FR', latitude: 46.23, longitude: 2.21 });

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

// A trip to London with the person's own laptop; their phone, roaming on its own carrier, still "is" in San Francisco.
const CARRIER = { application: 'Salesforce for iOS', browser: 'Salesforce Mobile App', platform: 'iPhone' } as const;
const ROAMING_TRIP = [
  from(PLACES.sanFrancisco, '00:00'),
  from(PLACES.sanFrancisco, '00:30', { ...CARRIER, sourceIp: '2001:db8:ca01:11::5' }),
  from(PLACES.sanFrancisco, '07:30', { ...CARRIER, sourceIp: '2001:db8:ca01:9a::7' }),
  from(PLACES.london, '13:00', { browser: 'Chrome 126', platform: 'Mac OSX' }),
];

const cases: Case[] = [
  {
    name: "a trip is measured from the laptop, not from the roaming phone on the person's own carrier: SF 00:00 → London 13:00 on the same laptop is not new",
    input: { logins: ROAMING_TRIP.map((event, i) => (i === 0 ? { ...event, browser: 'Chrome 126', platform: 'Mac OSX' } : event)) },
    expected: [],
  },
  {
    name: 'measured from a phone on a network the person never used (SF 07:30 → London 13:00) the trip is implausible: new',
    input: {
      logins: ROAMING_TRIP.map((event, i) =>
        i === 0 ? { ...event, browser: 'Chrome 126', platform: 'Mac OSX' } : i === 2 ? { ...event, sourceIp: '2001:db8:cb07:9a::7' } : event,
      ),
    },
    expected: [{ message: 'login from a new country: London, GB at 13:00 UTC (earlier logins from US)' }],
  },
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
  {
    name: "the person's own address placed across a border by the geo-IP database is not new",
    input: { logins: [SF_0800, from(PLACES.tijuana, '10:00', { sourceIp: SF_0800.sourceIp })] },
    expected: [],
  },
  {
    // From another browser, so nothing but the network links it to the person.
    name: 'only the exact address vouches: a neighbour in the same /24 placed in Mexico is new',
    input: {
      logins: [
        SF_0800,
        from(PLACES.tijuana, '10:00', { sourceIp: '198.18.200.1', browser: 'Firefox 127', platform: 'Windows 10' }),
        from(PLACES.sanFrancisco, '07:00', { sourceIp: '198.18.200.2' }),
      ],
    },
    expected: [{ message: 'login from a new country: Tijuana, MX at 10:00 UTC (earlier logins from US)' }],
  },
  {
    name: 'a business trip: London, then Paris 3 h later from the same browser (a plausible trip): not new',
    input: { logins: [from(PLACES.london, '07:00'), from(PLACES.paris, '10:00')] },
    expected: [],
  },
  {
    name: 'the same trip from a browser the person never used: new',
    input: { logins: [from(PLACES.london, '07:00'), from(PLACES.paris, '10:00', { browser: 'Firefox 115', platform: 'Linux' })] },
    expected: [{ severity: 'medium', message: 'login from a new country: Paris, FR at 10:00 UTC (earlier logins from GB)' }],
  },
  {
    name: 'the own browser does not make an impossible trip plausible: San Francisco, then Moscow 2 h later, is new',
    input: { logins: [SF_0800, from(PLACES.moscow, '10:00')] },
    expected: [{ message: 'login from a new country: Moscow, RU at 10:00 UTC (earlier logins from US)' }],
  },
  {
    name: "a failed login's address vouches for nothing",
    input: { logins: [SF_0800, from(PLACES.sanFrancisco, '09:00', { status: 'Invalid Password', sourceIp: '198.51.100.23' }), MOSCOW_1000] },
    expected: [{ key: expectedKey(RULE, [MOSCOW_1000.id]) }],
  },
  {
    name: "another user's address vouches for nothing",
    input: { logins: [from(PLACES.moscow, '08:00', { userId: 'user-a', sourceIp: '198.51.100.23' }), SF_0800, MOSCOW_1000] },
    expected: [{ userId: USER, key: expectedKey(RULE, [MOSCOW_1000.id]) }],
  },
  {
    name: 'a phone placed by its carrier 640 km away across a border (Paris → Milan) is not new',
    input: { logins: [PARIS_0800, phone(PLACES.milan, '08:20')] },
    expected: [],
  },
  {
    name: 'a phone placed 877 km away (Paris → Berlin), beyond its slack, is new',
    input: { logins: [PARIS_0800, phone(PLACES.berlin, '08:20')] },
    expected: [{ message: 'login from a new country: Berlin, DE at 08:20 UTC (earlier logins from FR)' }],
  },
  {
    name: 'a phone placed 762 km away (San Francisco → Tijuana), beyond its slack, is new',
    input: { logins: [SF_0800, phone(PLACES.tijuana, '08:20')] },
    expected: [{ message: 'login from a new country: Tijuana, MX at 08:20 UTC (earlier logins from US)' }],
  },
  {
    name: 'a desktop login 640 km away across a border (Paris → Milan) is new: only phones get the slack',
    input: { logins: [PARIS_0800, from(PLACES.milan, '08:20')] },
    expected: [{ message: 'login from a new country: Milan, IT at 08:20 UTC (earlier logins from FR)' }],
  },
  ...[
    { what: 'an Android application', over: { application: 'Salesforce for Android', browser: 'Unknown', platform: 'Unknown' } },
    { what: 'an iPad platform', over: { application: 'Browser', browser: 'Safari', platform: 'iPad' } },
    { what: 'a Mobile browser', over: { application: 'Browser', browser: 'Chrome Mobile 126', platform: 'Unknown' } },
  ].map(({ what, over }): Case => ({
    name: `a login is a phone's when ${what} says so: Milan after Paris is not new`,
    input: { logins: [PARIS_0800, from(PLACES.milan, '08:20', over)] },
    expected: [],
  })),
  {
    name: 'a phone near a place known only to its country has nothing to be near: new',
    input: { logins: [from(PLACES.usNoCoords, '08:00'), phone(PLACES.tijuana, '08:20')] },
    expected: [{ message: 'login from a new country: Tijuana, MX at 08:20 UTC (earlier logins from US)' }],
  },
  {
    name: "an earlier country-level place's centroid is not a place to be near (France's centroid, 547 km from Milan): new",
    input: { logins: [from(FRANCE_CENTROID, '08:00'), phone(PLACES.milan, '08:20')] },
    expected: [{ message: 'login from a new country: Milan, IT at 08:20 UTC (earlier logins from FR)' }],
  },
  {
    name: "a phone placed only to its country has no distance to judge (Belgium's centroid, 238 km from Paris): new",
    input: { logins: [PARIS_0800, phone(BELGIUM_CENTROID, '08:20')] },
    expected: [{ message: 'login from a new country: BE at 08:20 UTC (earlier logins from FR)' }],
  },
  {
    name: "a phone near a failed login's place is new: failures teach no places",
    input: { logins: [SF_0800, from(PLACES.paris, '09:00', { status: 'Invalid Password' }), phone(PLACES.milan, '09:20')] },
    expected: [{ message: 'login from a new country: Milan, IT at 09:20 UTC (earlier logins from US)' }],
  },
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
