import type { Finding, LoginEvent, Session } from '../../src/domain/types';
import { DISTANT_PLACES_RULE_ID, distantPlacesRule } from '../../src/rules/distant-places';
import { DAY, HOUR, MINUTE, PLACES, ago, childOf, login, place, session } from '../support/rule-factories';
import { BOT, USER, anHourLater, checkKeys, expectedKey, run, shaped, type KeyCase, type Scenario } from '../support/rule-table';

const RULE = DISTANT_PLACES_RULE_ID;

// San Francisco, then Moscow 90 min later.
const SF_2H_AGO = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
const MOSCOW_30M_AGO = session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE) });
// Created three days ago but reused by a login 40 min ago: the login time is what counts.
const SF_REUSED_40M_AGO = session({
  place: PLACES.sanFrancisco,
  createdAt: ago(3 * DAY),
  login: { loginTime: ago(40 * MINUTE), browser: null, platform: null, application: null, loginType: null },
});
// A point at each end of 10° of longitude on the equator (≈ 1,111.95 km), 2 h apart.
const EQUATOR_A = session({ place: place({ city: 'A', countryIso: 'US', latitude: 0, longitude: 10 }), createdAt: ago(3 * HOUR) });
const EQUATOR_B = session({ place: place({ city: 'B', countryIso: 'US', latitude: 0, longitude: 20 }), createdAt: ago(HOUR) });
const EQUATOR_SPEED_KMH = 1111.95 / 2;
const SAME_INSTANT = ago(10 * MINUTE);
const US_3H_AGO = session({ place: PLACES.usNoCoords, createdAt: ago(3 * HOUR) });
const RU_1H_AGO = session({ place: PLACES.russiaNoCoords, createdAt: ago(HOUR) });
// Logged in three days ago, last used 3 days ago, long expired.
const US_EXPIRED = session({ place: PLACES.usNoCoords, createdAt: ago(3 * DAY), lastModifiedAt: ago(3 * DAY - HOUR), secondsValid: 7200 });

/** A successful login some time ago: the person's history, which makes its place known. */
const signedIn = (where: LoginEvent['place'], when: number, over: Partial<LoginEvent> = {}) =>
  login({ status: 'Success', place: where, loginTime: ago(when), ...over });
const SF_YESTERDAY = signedIn(PLACES.sanFrancisco, DAY);
const LONDON_YESTERDAY = signedIn(PLACES.london, DAY);
/** A phone app's session: geo-IP places it at the carrier's gateway, up to 500 km off. */
const phoneSession = (where: Session['place'], createdAt: Date) =>
  session({
    place: where,
    createdAt,
    login: { loginTime: createdAt, application: 'Salesforce for iOS', browser: 'Unknown', platform: 'iPhone', loginType: 'Remote Access 2.0' },
  });
// A country-level geo-IP answer: Russia's centroid, a point but not where anyone is.
const RUSSIA_CENTROID = place({ country: 'Russia', countryIso: 'RU', latitude: 61.52, longitude: 105.32 });
// The attacker got in first; the person signed in at their desk afterwards.
const MOSCOW_2H_AGO = session({ place: PLACES.moscow, createdAt: ago(2 * HOUR) });
const SF_30M_AGO = session({ place: PLACES.sanFrancisco, createdAt: ago(30 * MINUTE) });

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

// Abroad with their own laptop (London, a hotel network) while their phone, roaming on its own carrier, "is" at home.
const OWN_LAPTOP = { browser: 'Chrome 126', platform: 'Mac OSX', application: 'Browser', loginType: 'Application' } as const;
const HOME_CARRIER_PHONE = { application: 'Salesforce for iOS', browser: 'Salesforce Mobile App', platform: 'iPhone', loginType: 'Remote Access 2.0' } as const;
const ROAMING_HISTORY = [
  signedIn(PLACES.sanFrancisco, 3 * DAY, { ...OWN_LAPTOP, sourceIp: '198.18.7.20' }),
  signedIn(PLACES.sanFrancisco, 3 * DAY, { ...HOME_CARRIER_PHONE, sourceIp: '2001:db8:ca01:11::5' }),
];
const roamingSessions = (laptop: { browser: string; platform: string }) => [
  session({ place: PLACES.london, createdAt: ago(40 * MINUTE), sourceIp: '198.19.220.4', login: { loginTime: ago(40 * MINUTE), ...OWN_LAPTOP, ...laptop } }),
  session({
    place: PLACES.sanFrancisco,
    createdAt: ago(15 * MINUTE),
    sourceIp: '2001:db8:ca01:9a::7',
    login: { loginTime: ago(15 * MINUTE), ...HOME_CARRIER_PHONE },
  }),
];

const cases: Case[] = [
  {
    name: "the person's own phone on their own carrier (placed at home, SF) beside their own laptop in London: roaming, nothing",
    input: { sessions: roamingSessions(OWN_LAPTOP), logins: ROAMING_HISTORY },
    expected: [],
  },
  {
    name: 'the same phone beside a browser the person never used in London: flagged, naming the London session',
    input: { sessions: roamingSessions({ browser: 'Firefox 115', platform: 'Linux' }), logins: ROAMING_HISTORY },
    expected: [{ severity: 'high', message: expect.stringContaining('another session from London, GB') as string }],
  },
  {
    name: 'a session from a shared address (a VPN exit in Moscow) is never the suspect: nothing',
    input: {
      sessions: [SF_2H_AGO, session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE), sourceIp: '198.51.100.60' })],
      shared: (ip) => ip === '198.51.100.60',
    },
    expected: [],
  },
  {
    name: 'a session from a shared office address is still a counterpart: the stranger in Moscow beside it is named',
    input: {
      sessions: [session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR), sourceIp: '203.0.113.50' }), MOSCOW_30M_AGO],
      shared: (ip) => ip === '203.0.113.50',
    },
    expected: [{ rule: RULE, severity: 'high', sessionIds: [MOSCOW_30M_AGO.id] }],
  },
  {
    name: 'San Francisco then Moscow 90 min later, no history: high, naming only the later login (Moscow)',
    input: { sessions: [SF_2H_AGO, childOf(SF_2H_AGO), MOSCOW_30M_AGO] },
    expected: [
      {
        rule: RULE,
        severity: 'high',
        message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, 90 min apart',
        sessionIds: [MOSCOW_30M_AGO.id],
        userId: USER,
        subject: 'sessions',
        key: expectedKey(RULE, [MOSCOW_30M_AGO.id]),
        groupKey: `${RULE}:${USER}`,
      },
    ],
  },
  {
    name: 'the login time counts, not CreatedDate (reused 10 min before Moscow)',
    input: { sessions: [SF_REUSED_40M_AGO, MOSCOW_30M_AGO] },
    expected: [{ message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, 10 min apart' }],
  },
  {
    name: 'London then Paris an hour later (~340 km/h): possible, no finding',
    input: {
      sessions: [session({ place: PLACES.london, createdAt: ago(3 * HOUR) }), session({ place: PLACES.paris, createdAt: ago(2 * HOUR) })],
    },
    expected: [],
  },
  {
    name: 'London then Paris 15 min later: flagged',
    input: {
      sessions: [session({ place: PLACES.london, createdAt: ago(20 * MINUTE) }), session({ place: PLACES.paris, createdAt: ago(5 * MINUTE) })],
    },
    expected: [{ severity: 'high', message: 'another session from Paris, FR — 340 km from London, GB, 15 min apart' }],
  },
  {
    name: 'same city, and Oakland (under the 300 km geo-IP noise floor), a minute apart: no finding',
    input: {
      sessions: [
        session({ place: PLACES.sanFrancisco, createdAt: ago(MINUTE) }),
        session({ place: PLACES.sanFrancisco, createdAt: ago(MINUTE) }),
        session({ place: PLACES.oakland, createdAt: ago(MINUTE) }),
      ],
    },
    expected: [],
  },
  {
    name: 'implied speed exactly at the policy (rounded up): not flagged',
    input: { sessions: [EQUATOR_A, EQUATOR_B], policy: { maxTravelSpeedKmh: Math.ceil(EQUATOR_SPEED_KMH) } },
    expected: [],
  },
  {
    name: 'implied speed just above the policy: flagged',
    input: { sessions: [EQUATOR_A, EQUATOR_B], policy: { maxTravelSpeedKmh: Math.floor(EQUATOR_SPEED_KMH) } },
    expected: [{ severity: 'high', sessionIds: [EQUATOR_B.id] }],
  },
  {
    name: 'London and Moscow at the same instant: infinitely fast, high',
    input: { sessions: [session({ place: PLACES.london, createdAt: SAME_INSTANT }), session({ place: PLACES.moscow, createdAt: SAME_INSTANT })] },
    expected: [{ severity: 'high' }],
  },
  {
    name: 'no coordinates: different countries 2 h apart is medium',
    input: { sessions: [US_3H_AGO, RU_1H_AGO] },
    expected: [
      {
        rule: RULE,
        severity: 'medium',
        message: 'another session from RU — a different country from US, 2 h apart',
        sessionIds: [RU_1H_AGO.id],
        key: expectedKey(RULE, [RU_1H_AGO.id]),
      },
    ],
  },
  { name: 'no sessions', input: { sessions: [] }, expected: [] },
  { name: 'one family', input: { sessions: [session({ place: PLACES.moscow })] }, expected: [] },
  {
    name: 'a session with no place at all is never paired',
    input: { sessions: [session({ place: null }), session({ place: PLACES.moscow, createdAt: ago(MINUTE) })] },
    expected: [],
  },
  {
    name: 'never alive together and logged in more than a day apart: no finding',
    input: { sessions: [US_EXPIRED, RU_1H_AGO] },
    expected: [],
  },
  {
    name: 'the same old session kept alive until now does count',
    input: { sessions: [{ ...US_EXPIRED, expiresAt: ago(-HOUR) }, RU_1H_AGO] },
    expected: [{ severity: 'medium', sessionIds: [RU_1H_AGO.id] }],
  },
  {
    name: 'sessions of different users are never compared',
    input: {
      sessions: [
        session({ userId: 'user-a', place: PLACES.sanFrancisco, createdAt: ago(20 * MINUTE) }),
        session({ userId: 'user-b', place: PLACES.moscow, createdAt: ago(10 * MINUTE) }),
      ],
    },
    expected: [],
  },
  {
    name: "the bot's own session (its user) is never flagged",
    input: {
      sessions: [
        session({ userId: BOT, place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) }),
        session({ userId: BOT, place: PLACES.moscow, createdAt: ago(30 * MINUTE) }),
      ],
    },
    expected: [],
  },
  {
    name: "the bot's current session takes no part in a pair",
    input: { sessions: [{ ...SF_2H_AGO, isCurrent: true }, MOSCOW_30M_AGO] },
    expected: [],
  },
  {
    name: 'a session from a trusted network (VPN exit geolocated in Moscow) is never distant',
    input: {
      sessions: [SF_2H_AGO, { ...MOSCOW_30M_AGO, sourceIp: '198.51.100.23' }],
      trusted: (ip) => ip === '198.51.100.23',
    },
    expected: [],
  },
  {
    name: 'the trusted predicate spares only its own addresses',
    input: { sessions: [SF_2H_AGO, MOSCOW_30M_AGO], trusted: (ip) => ip === '192.0.2.1' },
    expected: [{ sessionIds: [MOSCOW_30M_AGO.id] }],
  },
  {
    name: 'attacker beside a known home: only the Moscow session is named, whatever the order (home signed in yesterday)',
    input: { sessions: [SF_2H_AGO, childOf(SF_2H_AGO), MOSCOW_30M_AGO], logins: [SF_YESTERDAY] },
    expected: [
      {
        severity: 'high',
        message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, 90 min apart',
        sessionIds: [MOSCOW_30M_AGO.id],
        key: expectedKey(RULE, [MOSCOW_30M_AGO.id]),
      },
    ],
  },
  {
    name: 'the attacker got in first and the person signed in later at a known desk: the earlier Moscow session is named',
    input: { sessions: [MOSCOW_2H_AGO, SF_30M_AGO], logins: [SF_YESTERDAY] },
    expected: [{ sessionIds: [MOSCOW_2H_AGO.id], message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, 90 min apart' }],
  },
  {
    name: 'the same without history: the later login (the person at their desk) is the one named',
    input: { sessions: [MOSCOW_2H_AGO, SF_30M_AGO] },
    expected: [{ sessionIds: [SF_30M_AGO.id], message: 'another session from San Francisco, US — 9,400 km from Moscow, RU, 90 min apart' }],
  },
  {
    name: 'known places on both sides (signed in from SF and London before): no finding',
    input: {
      sessions: [session({ place: PLACES.london, createdAt: ago(20 * MINUTE) }), session({ place: PLACES.sanFrancisco, createdAt: ago(5 * MINUTE) })],
      logins: [SF_YESTERDAY, LONDON_YESTERDAY],
    },
    expected: [],
  },
  {
    name: 'two known places and a stranger: only the stranger is named',
    input: {
      sessions: [
        session({ place: PLACES.london, createdAt: ago(40 * MINUTE) }),
        session({ place: PLACES.sanFrancisco, createdAt: ago(20 * MINUTE) }),
        session({ id: '0AkMOSCOW000000001', place: PLACES.moscow, createdAt: ago(5 * MINUTE) }),
      ],
      logins: [SF_YESTERDAY, LONDON_YESTERDAY],
    },
    expected: [{ sessionIds: ['0AkMOSCOW000000001'], message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, 15 min apart' }],
  },
  {
    name: 'a success within 200 km (Oakland) makes San Francisco known',
    input: { sessions: [MOSCOW_2H_AGO, SF_30M_AGO], logins: [signedIn(PLACES.oakland, DAY)] },
    expected: [{ sessionIds: [MOSCOW_2H_AGO.id] }],
  },
  {
    name: "the suspect group's own login does not vouch for it: Moscow's login at its session, SF signed in yesterday",
    input: { sessions: [SF_2H_AGO, MOSCOW_30M_AGO], logins: [SF_YESTERDAY, signedIn(PLACES.moscow, 30 * MINUTE)] },
    expected: [{ sessionIds: [MOSCOW_30M_AGO.id] }],
  },
  {
    name: "a success exactly 1 h before the group's first session does not vouch for it (more than 1 h is needed)",
    input: { sessions: [MOSCOW_2H_AGO, SF_30M_AGO], logins: [signedIn(PLACES.sanFrancisco, 90 * MINUTE)] },
    expected: [{ sessionIds: [SF_30M_AGO.id] }],
  },
  {
    name: "a success 1 h 1 min before the group's first session vouches for it",
    input: { sessions: [MOSCOW_2H_AGO, SF_30M_AGO], logins: [signedIn(PLACES.sanFrancisco, 91 * MINUTE)] },
    expected: [{ sessionIds: [MOSCOW_2H_AGO.id] }],
  },
  {
    name: 'failed logins vouch for nothing: an attacker failing from Moscow yesterday leaves Moscow unknown',
    input: { sessions: [MOSCOW_2H_AGO, SF_30M_AGO], logins: [SF_YESTERDAY, signedIn(PLACES.moscow, DAY, { status: 'Invalid Password' })] },
    expected: [{ sessionIds: [MOSCOW_2H_AGO.id] }],
  },
  {
    name: "another user's logins vouch for nothing",
    input: { sessions: [MOSCOW_2H_AGO, SF_30M_AGO], logins: [SF_YESTERDAY, signedIn(PLACES.moscow, DAY, { userId: 'user-b' })] },
    expected: [{ sessionIds: [MOSCOW_2H_AGO.id] }],
  },
  {
    name: 'no coordinates: a country signed in from before is known (US yesterday), the other country is named',
    input: { sessions: [RU_1H_AGO, session({ place: PLACES.usNoCoords, createdAt: ago(30 * MINUTE) })], logins: [signedIn(PLACES.usNoCoords, DAY)] },
    expected: [{ severity: 'medium', sessionIds: [RU_1H_AGO.id], message: 'another session from RU — a different country from US, 30 min apart' }],
  },
  {
    name: 'no coordinates: both countries signed in from before: no finding',
    input: { sessions: [US_3H_AGO, RU_1H_AGO], logins: [signedIn(PLACES.usNoCoords, DAY), signedIn(PLACES.russiaNoCoords, DAY)] },
    expected: [],
  },
  {
    name: 'a city-level success vouches for a country-only group of its country: SF yesterday makes a US-only session known',
    input: { sessions: [RU_1H_AGO, session({ place: PLACES.usNoCoords, createdAt: ago(30 * MINUTE) })], logins: [SF_YESTERDAY] },
    expected: [{ sessionIds: [RU_1H_AGO.id] }],
  },
  {
    name: 'a country-only success does not vouch for a city-level group: US yesterday leaves San Francisco unknown',
    input: { sessions: [MOSCOW_2H_AGO, SF_30M_AGO], logins: [signedIn(PLACES.usNoCoords, DAY)] },
    expected: [{ sessionIds: [SF_30M_AGO.id] }],
  },
  {
    name: 'a phone placed 559 km away (Los Angeles) minutes after the desktop session in SF: no finding',
    input: { sessions: [SF_30M_AGO, phoneSession(PLACES.losAngeles, ago(25 * MINUTE))] },
    expected: [],
  },
  {
    name: 'the same 559 km from two desktops 5 min apart: flagged',
    input: { sessions: [SF_30M_AGO, session({ place: PLACES.losAngeles, createdAt: ago(25 * MINUTE) })] },
    expected: [{ severity: 'high', message: 'another session from Los Angeles, US — 560 km from San Francisco, US, 5 min apart' }],
  },
  {
    name: 'a phone placed 861 km away (Portland) 10 min after the desktop: beyond its slack, flagged',
    input: { sessions: [SF_30M_AGO, phoneSession(PLACES.portland, ago(20 * MINUTE))] },
    expected: [{ severity: 'high', message: 'another session from Portland, US — 860 km from San Francisco, US, 10 min apart' }],
  },
  {
    name: 'a country-level place (its centroid) is compared by country: SF and Russia 30 min apart is medium',
    input: { sessions: [SF_30M_AGO, session({ place: RUSSIA_CENTROID, createdAt: ago(MINUTE) })] },
    expected: [{ severity: 'medium', message: 'another session from RU — a different country from San Francisco, US, 29 min apart' }],
  },
  {
    // Worded from the strongest pair (the fastest): the first Moscow session, 90 min after home.
    name: 'three sessions from Moscow beside a known home: all three named, worded once',
    input: {
      sessions: [
        SF_2H_AGO,
        session({ id: '0AkMOSCOW000000011', place: PLACES.moscow, createdAt: ago(30 * MINUTE) }),
        session({ id: '0AkMOSCOW000000012', place: PLACES.moscow, createdAt: ago(20 * MINUTE) }),
        session({ id: '0AkMOSCOW000000013', place: PLACES.moscow, createdAt: ago(10 * MINUTE) }),
      ],
      logins: [SF_YESTERDAY],
    },
    expected: [
      {
        sessionIds: ['0AkMOSCOW000000011', '0AkMOSCOW000000012', '0AkMOSCOW000000013'],
        message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, 90 min apart (3 sessions from there)',
      },
    ],
  },
];

const keyCases: KeyCase[] = [
  {
    name: 'San Francisco + Moscow, evaluated again an hour later: same key',
    before: { sessions: [SF_2H_AGO, MOSCOW_30M_AGO] },
    after: anHourLater({ sessions: [SF_2H_AGO, MOSCOW_30M_AGO] }),
    expected: 'same keys',
  },
  {
    name: "beside a known home, the person's own new San Francisco session joins: same key (it is not a suspect)",
    before: { sessions: [SF_2H_AGO, MOSCOW_30M_AGO], logins: [SF_YESTERDAY] },
    after: { sessions: [SF_2H_AGO, MOSCOW_30M_AGO, session({ place: PLACES.sanFrancisco, createdAt: ago(5 * MINUTE) })], logins: [SF_YESTERDAY] },
    expected: 'same keys',
  },
  {
    name: 'a session from London joins: a new key',
    before: { sessions: [SF_2H_AGO, MOSCOW_30M_AGO] },
    after: { sessions: [SF_2H_AGO, MOSCOW_30M_AGO, session({ place: PLACES.london, createdAt: ago(5 * MINUTE) })] },
    expected: 'a new key',
  },
];

describe('distant-places', () => {
  it.each(cases)('$name', ({ input, expected }) => {
    const findings = run(distantPlacesRule, input);
    expect(shaped(findings, expected)).toEqual(expected);
  });

  it.each(keyCases)('key: $name', (keyCase) => checkKeys(distantPlacesRule, keyCase));

  it('carries the places, times, distance and speed as evidence', () => {
    const [found] = run(distantPlacesRule, { sessions: [SF_2H_AGO, MOSCOW_30M_AGO] });
    expect(found?.evidence).toEqual({
      kind: 'travel',
      from: {
        rowId: SF_2H_AGO.id,
        at: SF_2H_AGO.createdAt,
        label: 'San Francisco, US',
        countryIso: 'US',
        ip: '203.0.113.7',
        coordinates: { latitude: 37.7749, longitude: -122.4194 },
      },
      to: {
        rowId: MOSCOW_30M_AGO.id,
        at: MOSCOW_30M_AGO.createdAt,
        label: 'Moscow, RU',
        countryIso: 'RU',
        ip: '203.0.113.7',
        coordinates: { latitude: 55.7558, longitude: 37.6173 },
      },
      km: expect.closeTo(9_445, -1) as number,
      speedKmh: expect.closeTo(9_445 / 1.5, -1) as number,
      gapMs: 90 * MINUTE,
    });
  });

  // A VPN exit geolocated in Moscow must not hide a real Moscow attacker beside the person's SF session.
  it("a trusted network's login does not make its geo-IP place known", () => {
    const attacker = session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE), sourceIp: '198.51.100.9' });
    const logins = [SF_YESTERDAY, signedIn(PLACES.moscow, DAY, { sourceIp: '10.0.0.1' })];
    const findings = run(distantPlacesRule, { sessions: [SF_2H_AGO, attacker], logins, trusted: (ip) => ip.startsWith('10.') });
    expect(findings.map((f) => f.sessionIds)).toEqual([[attacker.id]]);
  });

  // With no history and two logins at the same instant, exactly one side is the later one (by id).
  it('two logins at the same instant: the named sessions are all from the place the message names', () => {
    const london = session({ place: PLACES.london, createdAt: SAME_INSTANT });
    const moscow = session({ place: PLACES.moscow, createdAt: SAME_INSTANT });
    const [found] = run(distantPlacesRule, { sessions: [london, moscow] });
    const labels = new Map([
      [london.id, 'London, GB'],
      [moscow.id, 'Moscow, RU'],
    ]);
    const named = new Set(found?.sessionIds.map((id) => labels.get(id)));
    expect(named.size).toBe(1);
    expect(found?.message.startsWith(`another session from ${[...named][0] ?? '?'} `)).toBe(true);
  });

  it('with history, the person in two Bay Area cells around a Moscow session: only Moscow is named', () => {
    const sf = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const moscow = session({ place: PLACES.moscow, createdAt: ago(HOUR) });
    const oakland = session({ place: PLACES.oakland, createdAt: ago(30 * MINUTE) });
    const findings = run(distantPlacesRule, { sessions: [sf, moscow, oakland], logins: [SF_YESTERDAY] });
    expect(findings.map((f) => f.sessionIds)).toEqual([[moscow.id]]);
  });

  // Without history, San Francisco and Oakland are one side (within 200 km) against Moscow: Moscow
  // is the stranger even though Oakland is the later login of Moscow's fastest pair.
  it("without history, a Moscow session between two of the person's Bay Area sessions is named", () => {
    const sf = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const moscow = session({ place: PLACES.moscow, createdAt: ago(HOUR) });
    const oakland = session({ place: PLACES.oakland, createdAt: ago(30 * MINUTE) });
    const [found] = run(distantPlacesRule, { sessions: [sf, moscow, oakland] });
    expect(found?.sessionIds).toContain(moscow.id);
  });

  it('mixes a place with coordinates and one without by country', () => {
    const sf = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const usOnly = session({ place: PLACES.usNoCoords, createdAt: ago(HOUR) });
    const ruOnly = session({ place: PLACES.russiaNoCoords, createdAt: ago(30 * MINUTE) });
    const findings = run(distantPlacesRule, { sessions: [sf, ruOnly, usOnly] });
    // Russia pairs with both US places by country (San Francisco and the US-only place are one
    // country, never a pair); it is the later login of its nearest pair, so it is the one named.
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds).toEqual([ruOnly.id]);
    expect(findings[0]?.severity).toBe('medium');
    expect(findings[0]?.message).toBe('another session from RU — a different country from US, 30 min apart');
  });

  it('names only the smaller side without history: three Moscow sessions beside five Californian ones', () => {
    const sfs = Array.from({ length: 5 }, (_, i) => session({ place: PLACES.sanFrancisco, createdAt: ago((60 + i) * MINUTE) }));
    const moscows = Array.from({ length: 3 }, (_, i) => session({ place: PLACES.moscow, createdAt: ago((10 + i) * MINUTE) }));
    const findings = run(distantPlacesRule, { sessions: [...sfs, ...moscows] });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds.slice().sort()).toEqual(moscows.map((x) => x.id).sort());
    expect(findings[0]?.message).toMatch(/^another session from Moscow, RU — 9,400 km from San Francisco, US, \d+ min apart \(3 sessions from there\)$/);
  });

  it("names the attacker's second session from the far place, though there are now more of them than at home", () => {
    const home = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const first = session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE) });
    const second = session({ place: PLACES.moscow, createdAt: ago(MINUTE) });
    // The person's history says San Francisco is theirs, so Moscow is the stranger whatever the counts.
    const logins = [SF_YESTERDAY];
    const [before] = run(distantPlacesRule, { sessions: [home, first], logins });
    const findings = run(distantPlacesRule, { sessions: [home, first, second], logins });
    expect(before?.sessionIds).toEqual([first.id]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds).toEqual([first.id, second.id]);
    expect(findings[0]?.message).toBe('another session from Moscow, RU — 9,400 km from San Francisco, US, 90 min apart (2 sessions from there)');
    // Same rule and user, a new key: the monitor edits the open alert to name the new session.
    expect(findings[0]?.groupKey).toBe(before?.groupKey);
    expect(findings[0]?.key).not.toBe(before?.key);
  });

  it('without history the smaller side is named, even when it is the home side: one SF session beside two from Moscow', () => {
    // The fallback the rule documents when no login vouches for either place: counts are all it has.
    const home = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const first = session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE) });
    const second = session({ place: PLACES.moscow, createdAt: ago(MINUTE) });
    const findings = run(distantPlacesRule, { sessions: [home, first, second] });
    expect(findings.map((f) => f.sessionIds)).toEqual([[home.id]]);
  });

  it('names only the lone Moscow session beside a dozen Californian ones, none of the home side', () => {
    const sfs = Array.from({ length: 12 }, (_, i) => session({ place: PLACES.sanFrancisco, createdAt: ago((60 + i) * MINUTE) }));
    const moscow = session({ place: PLACES.moscow, createdAt: ago(10 * MINUTE) });
    const findings = run(distantPlacesRule, { sessions: [...sfs, moscow] });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds).toEqual([moscow.id]);
    expect(findings[0]?.message).toBe('another session from Moscow, RU — 9,400 km from San Francisco, US, 50 min apart');
  });

  it('still finds the lone outlier among thousands of distinct places', () => {
    // 3,000 families over 300 distinct ~10 km cells around the Bay Area (beyond the all-pairs
    // limit), all within 300 km of each other, so only Moscow is out of reach.
    const local = Array.from({ length: 3000 }, (_, i) =>
      session({
        place: place({
          city: `Town ${i % 300}`,
          countryIso: 'US',
          latitude: 37 + (i % 20) * 0.1,
          longitude: -121 - (Math.floor(i / 20) % 15) * 0.1,
        }),
        createdAt: ago((i % 600) * MINUTE + HOUR),
      }),
    );
    const moscow = session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE) });
    const started = performance.now();
    const findings = run(distantPlacesRule, { sessions: [...local, moscow] });
    const ms = performance.now() - started;
    console.log(`distant-places: 3,001 families / 301 places in ${ms.toFixed(1)} ms`);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds).toEqual([moscow.id]);
    expect(findings[0]?.severity).toBe('high');
  });
});
