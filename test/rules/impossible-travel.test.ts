import type { Finding, LoginEvent } from '../../src/domain/types';
import { IMPOSSIBLE_TRAVEL_RULE_ID, impossibleTravelRule } from '../../src/rules/impossible-travel';
import { MINUTE, PLACES, login, place } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = IMPOSSIBLE_TRAVEL_RULE_ID;
const at = (hhmm: string) => new Date(`2026-07-01T${hhmm}:00.000Z`);
const from = (where: LoginEvent['place'], hhmm: string, over: Partial<LoginEvent> = {}) =>
  login({ status: 'Success', place: where, loginTime: at(hhmm), ...over });

const SF_1000 = from(PLACES.sanFrancisco, '10:00');
const MOSCOW_1130 = from(PLACES.moscow, '11:30', { sourceIp: '198.51.100.23' });
const LONDON_1000 = from(PLACES.london, '10:00');
// A point at each end of 10° of longitude on the equator (≈ 1,111.95 km), 2 h apart.
const EQUATOR_A = from(place({ city: 'A', countryIso: 'US', latitude: 0, longitude: 10 }), '08:00');
const EQUATOR_B = from(place({ city: 'B', countryIso: 'US', latitude: 0, longitude: 20 }), '10:00');
const EQUATOR_SPEED_KMH = 1111.95 / 2;
/** A phone app's login: geo-IP places it at the carrier's gateway, up to 500 km off. */
const phone = (where: LoginEvent['place'], hhmm: string, over: Partial<LoginEvent> = {}) =>
  from(where, hhmm, { application: 'Salesforce for iOS', browser: 'Unknown', platform: 'iPhone', sourceIp: '198.51.100.77', ...over });
// A country-level geo-IP answer: Russia's centroid, a point but not where anyone is.
const RUSSIA_CENTROID = place({ country: 'Russia', countryIso: 'RU', latitude: 61.52, longitude: 105.32 });
const SF_1200 = from(PLACES.sanFrancisco, '12:00', { id: '0Ya999999999999999' });

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

// On a trip to London with their own laptop, while their phone, roaming on its own carrier, still "is" in San Francisco.
const CARRIER = { application: 'Salesforce for iOS', browser: 'Salesforce Mobile App', platform: 'iPhone' } as const;
const ROAMING_TRIP = [
  from(PLACES.sanFrancisco, '00:00', { sourceIp: '198.18.7.20' }),
  from(PLACES.sanFrancisco, '00:30', { ...CARRIER, sourceIp: '2001:db8:ca01:11::5' }),
  from(PLACES.sanFrancisco, '07:30', { ...CARRIER, sourceIp: '2001:db8:ca01:9a::7' }),
  from(PLACES.london, '13:00', { sourceIp: '198.19.220.4' }),
];

const cases: Case[] = [
  {
    name: "a roaming phone on the person's own carrier (placed at home, SF) is no anchor: laptop SF 00:00, London 13:00 on the same laptop: a flight, nothing",
    input: { logins: ROAMING_TRIP },
    expected: [],
  },
  {
    name: 'the same phone login from a carrier network the person never used is judged: SF 07:30, London 13:00: flagged',
    input: { logins: ROAMING_TRIP.map((event, i) => (i === 2 ? { ...event, sourceIp: '2001:db8:cb07:9a::7' } : event)) },
    expected: [{ rule: RULE, severity: 'high', message: expect.stringContaining('from the previous login in San Francisco, US at 07:30 UTC') as string }],
  },
  {
    name: 'a shared office address still places the person: SF office (shared), then Moscow 90 min later: flagged',
    input: { logins: [from(PLACES.sanFrancisco, '10:00', { sourceIp: '203.0.113.50' }), MOSCOW_1130], shared: (ip) => ip === '203.0.113.50' },
    expected: [{ rule: RULE, severity: 'high' }],
  },
  {
    name: 'a login from a shared address is never the suspect one: SF, then a VPN exit in Moscow (shared) 90 min later: nothing',
    input: { logins: [SF_1000, MOSCOW_1130], shared: (ip) => ip === '198.51.100.23' },
    expected: [],
  },
  {
    name: 'San Francisco at 10:00, Moscow at 11:30: high, naming both logins',
    input: { logins: [MOSCOW_1130, SF_1000] },
    expected: [
      {
        rule: RULE,
        severity: 'high',
        message: 'login from Moscow, RU at 11:30 UTC, 9,400 km from the previous login in San Francisco, US at 10:00 UTC (90 min apart)',
        sessionIds: [],
        userId: USER,
        subject: 'logins',
        key: expectedKey(RULE, [SF_1000.id, MOSCOW_1130.id]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  {
    name: 'found from LoginHistory alone, with no session left alive',
    input: { logins: [SF_1000, MOSCOW_1130], sessions: [] },
    expected: [{ key: expectedKey(RULE, [SF_1000.id, MOSCOW_1130.id]) }],
  },
  {
    name: 'London at 10:00, Paris at 11:00 (~340 km/h): possible, no finding',
    input: { logins: [LONDON_1000, from(PLACES.paris, '11:00')] },
    expected: [],
  },
  {
    name: 'London at 10:00, Paris at 10:15: flagged',
    input: { logins: [LONDON_1000, from(PLACES.paris, '10:15')] },
    expected: [{ message: 'login from Paris, FR at 10:15 UTC, 340 km from the previous login in London, GB at 10:00 UTC (15 min apart)' }],
  },
  {
    name: 'San Francisco then Oakland a minute later: under the 300 km noise floor, no finding',
    input: { logins: [SF_1000, from(PLACES.oakland, '10:01')] },
    expected: [],
  },
  {
    name: 'implied speed exactly at the policy (rounded up): not flagged',
    input: { logins: [EQUATOR_A, EQUATOR_B], policy: { maxTravelSpeedKmh: Math.ceil(EQUATOR_SPEED_KMH) } },
    expected: [],
  },
  {
    name: 'implied speed just above the policy: flagged',
    input: { logins: [EQUATOR_A, EQUATOR_B], policy: { maxTravelSpeedKmh: Math.floor(EQUATOR_SPEED_KMH) } },
    expected: [{ key: expectedKey(RULE, [EQUATOR_A.id, EQUATOR_B.id]) }],
  },
  {
    name: 'London and Moscow in the same minute: infinitely fast',
    input: { logins: [LONDON_1000, from(PLACES.moscow, '10:00')] },
    expected: [{ message: 'login from Moscow, RU at 10:00 UTC, 2,500 km from the previous login in London, GB at 10:00 UTC (under 1 min apart)' }],
  },
  {
    name: 'a failed login from Moscow is not travel',
    input: { logins: [SF_1000, from(PLACES.moscow, '11:30', { status: 'Invalid Password' })] },
    expected: [],
  },
  {
    name: 'a login without coordinates is skipped; the pair around it is compared',
    input: { logins: [SF_1000, from(PLACES.russiaNoCoords, '10:30'), MOSCOW_1130] },
    expected: [{ key: expectedKey(RULE, [SF_1000.id, MOSCOW_1130.id]) }],
  },
  {
    name: 'a place seen before is neither new nor impossible: SF → Moscow → SF gives one finding',
    input: { logins: [SF_1000, MOSCOW_1130, SF_1200] },
    expected: [{ key: expectedKey(RULE, [SF_1000.id, MOSCOW_1130.id]) }],
  },
  {
    name: 'within 200 km of a place seen before is that place: SF → Moscow → San Jose (68 km from SF) gives one finding',
    input: { logins: [SF_1000, MOSCOW_1130, from(place({ city: 'San Jose', countryIso: 'US', latitude: 37.3382, longitude: -121.8863 }), '12:00')] },
    expected: [{ key: expectedKey(RULE, [SF_1000.id, MOSCOW_1130.id]) }],
  },
  {
    name: 'Moscow signed in from earlier (a week-old success), then SF, then Moscow 90 min later: no finding',
    input: { logins: [from(PLACES.moscow, '01:00', { loginTime: new Date(at('10:00').getTime() - 7 * 24 * 60 * MINUTE) }), SF_1000, MOSCOW_1130] },
    expected: [],
  },
  {
    name: "a failed login's place is not a place seen before: failed from Moscow, then SF, then Moscow: flagged",
    input: { logins: [from(PLACES.moscow, '09:00', { status: 'Invalid Password' }), SF_1000, MOSCOW_1130] },
    expected: [{ key: expectedKey(RULE, [SF_1000.id, MOSCOW_1130.id]) }],
  },
  {
    name: "a trusted network's login teaches no place: trusted Moscow exit, then SF, then Moscow from elsewhere: flagged",
    input: { logins: [from(PLACES.moscow, '09:00', { sourceIp: '10.1.1.1' }), SF_1000, MOSCOW_1130], trusted: (ip) => ip.startsWith('10.') },
    expected: [{ key: expectedKey(RULE, [SF_1000.id, MOSCOW_1130.id]) }],
  },
  {
    name: 'the hop after a skipped return is still judged: SF → Moscow → SF → London 30 min later gives two findings',
    input: { logins: [SF_1000, MOSCOW_1130, SF_1200, from(PLACES.london, '12:30', { id: '0Ya999999999999998' })] },
    expected: [{ key: expectedKey(RULE, [SF_1000.id, MOSCOW_1130.id]) }, { key: expectedKey(RULE, [SF_1200.id, '0Ya999999999999998']) }],
  },
  {
    name: 'a country-level place (its centroid) says nothing about travel: SF then Russia 30 min later, no finding',
    input: { logins: [SF_1000, from(RUSSIA_CENTROID, '10:30')] },
    expected: [],
  },
  {
    name: 'a phone placed 559 km away (Los Angeles) 5 min after the desktop login in SF: within its slack, no finding',
    input: { logins: [SF_1000, phone(PLACES.losAngeles, '10:05')] },
    expected: [],
  },
  {
    name: 'the desktop login in SF 5 min after a phone placed in Los Angeles: no finding either way round',
    input: { logins: [phone(PLACES.losAngeles, '10:00'), from(PLACES.sanFrancisco, '10:05')] },
    expected: [],
  },
  {
    name: 'the same 559 km by desktop in 5 min: flagged (no slack for a fixed line)',
    input: { logins: [SF_1000, from(PLACES.losAngeles, '10:05', { sourceIp: '198.51.100.80' })] },
    expected: [{ message: 'login from Los Angeles, US at 10:05 UTC, 560 km from the previous login in San Francisco, US at 10:00 UTC (5 min apart)' }],
  },
  {
    name: 'a phone placed 861 km away (Portland) 10 min later: 361 km beyond its slack, flagged',
    input: { logins: [SF_1000, phone(PLACES.portland, '10:10')] },
    expected: [{ message: 'login from Portland, US at 10:10 UTC, 860 km from the previous login in San Francisco, US at 10:00 UTC (10 min apart)' }],
  },
  {
    name: 'two phones 861 km apart (SF, Portland) 10 min apart: both slacks together exceed it, no finding',
    input: { logins: [phone(PLACES.sanFrancisco, '10:00'), phone(PLACES.portland, '10:10')] },
    expected: [],
  },
  {
    name: 'a phone 861 km away after 30 min: 361 km in 30 min is 722 km/h, possible, no finding',
    input: { logins: [SF_1000, phone(PLACES.portland, '10:30')] },
    expected: [],
  },
  {
    name: 'a business trip on a real flight time: SF at 10:00, New York at 17:00 (4,129 km, 590 km/h), no finding',
    input: { logins: [SF_1000, from(PLACES.newYork, '17:00', { sourceIp: '198.51.100.90' })] },
    expected: [],
  },
  {
    name: 'the trip and the way home: SF → New York (7 h) → SF (6 h later), no finding',
    input: { logins: [SF_1000, from(PLACES.newYork, '17:00', { sourceIp: '198.51.100.90' }), from(PLACES.sanFrancisco, '23:00')] },
    expected: [],
  },
  {
    name: 'New York 3 h after SF (1,376 km/h): faster than a flight, flagged',
    input: { logins: [SF_1000, from(PLACES.newYork, '13:00', { sourceIp: '198.51.100.90' })] },
    expected: [{ message: 'login from New York, US at 13:00 UTC, 4,100 km from the previous login in San Francisco, US at 10:00 UTC (3 h apart)' }],
  },
  {
    name: 'logins of different users are never paired',
    input: { logins: [from(PLACES.sanFrancisco, '10:00', { userId: 'user-a' }), from(PLACES.moscow, '10:10', { userId: 'user-b' })] },
    expected: [],
  },
  {
    name: 'a login from a trusted network (VPN exit geolocated in Moscow) is never distant',
    input: { logins: [SF_1000, MOSCOW_1130], trusted: (ip) => ip === '198.51.100.23' },
    expected: [],
  },
  {
    name: 'the trusted predicate spares only its own addresses',
    input: { logins: [SF_1000, MOSCOW_1130], trusted: (ip) => ip === '192.0.2.1' },
    expected: [{ key: expectedKey(RULE, [SF_1000.id, MOSCOW_1130.id]) }],
  },
  {
    name: "logins of the bot's own user are judged like anyone's (a stolen bot key used elsewhere must show)",
    input: {
      userId: BOT,
      logins: [from(PLACES.sanFrancisco, '10:00', { userId: BOT }), from(PLACES.moscow, '10:30', { userId: BOT })],
    },
    expected: [{ userId: BOT }],
  },
  { name: 'no logins', input: { logins: [] }, expected: [] },
  { name: 'a single login', input: { logins: [MOSCOW_1130] }, expected: [] },
];

const keyCases: KeyCase[] = [
  {
    name: 'the same two logins an hour later: same key',
    before: { logins: [SF_1000, MOSCOW_1130] },
    after: anHourLater({ logins: [SF_1000, MOSCOW_1130] }),
    expected: 'same keys',
  },
  {
    name: 'SF and Moscow again later, both places seen before: same key (no new hop)',
    before: { logins: [SF_1000, MOSCOW_1130] },
    after: { logins: [SF_1000, MOSCOW_1130, from(PLACES.sanFrancisco, '13:00'), from(PLACES.moscow, '13:30')] },
    expected: 'same keys',
  },
  {
    name: 'a hop to yet another place (London 30 min after Moscow): a new key',
    before: { logins: [SF_1000, MOSCOW_1130] },
    after: { logins: [SF_1000, MOSCOW_1130, from(PLACES.london, '12:00')] },
    expected: 'a new key',
  },
];

describe('impossible-travel', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    expect(shaped(run(impossibleTravelRule, input), expected)).toEqual(expected);
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(impossibleTravelRule, keyCase));

  it('a phone beyond its slack carries the raw distance and speed, not the judged ones', () => {
    const [found] = run(impossibleTravelRule, { logins: [SF_1000, phone(PLACES.portland, '10:10')] });
    expect(found?.evidence).toMatchObject({
      kind: 'travel',
      km: expect.closeTo(861, 0) as number,
      speedKmh: expect.closeTo(861 * 6, -1) as number,
      gapMs: 10 * MINUTE,
    });
  });

  it('carries both logins, the distance, the gap and the speed as evidence', () => {
    const [found] = run(impossibleTravelRule, { logins: [SF_1000, MOSCOW_1130] });
    expect(found?.evidence).toEqual({
      kind: 'travel',
      from: {
        rowId: SF_1000.id,
        at: at('10:00'),
        label: 'San Francisco, US',
        countryIso: 'US',
        ip: '203.0.113.7',
        coordinates: { latitude: 37.7749, longitude: -122.4194 },
      },
      to: {
        rowId: MOSCOW_1130.id,
        at: at('11:30'),
        label: 'Moscow, RU',
        countryIso: 'RU',
        ip: '198.51.100.23',
        coordinates: { latitude: 55.7558, longitude: 37.6173 },
      },
      km: expect.closeTo(9_445, -1) as number,
      speedKmh: expect.closeTo(9_445 / 1.5, -1) as number,
      gapMs: 90 * MINUTE,
    });
  });
});
