import type { Finding } from '../../src/domain/types';
import { DISTANT_PLACES_RULE_ID, distantPlacesRule } from '../../src/rules/distant-places';
import { DAY, HOUR, MINUTE, PLACES, ago, childOf, place, session } from '../support/rule-factories';
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

interface Case {
  name: string;
  input: Scenario;
  expected: Array<Partial<Finding>>;
}

const cases: Case[] = [
  {
    name: 'San Francisco then Moscow 90 min later: high, naming both roots',
    input: { sessions: [SF_2H_AGO, childOf(SF_2H_AGO), MOSCOW_30M_AGO] },
    expected: [
      {
        rule: RULE,
        severity: 'high',
        message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, 90 min apart',
        sessionIds: [SF_2H_AGO.id, MOSCOW_30M_AGO.id],
        userId: USER,
        subject: 'sessions',
        key: expectedKey(RULE, [SF_2H_AGO.id, MOSCOW_30M_AGO.id]),
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
    expected: [{ severity: 'high', sessionIds: [EQUATOR_A.id, EQUATOR_B.id] }],
  },
  {
    name: 'London and Moscow at the same instant: infinitely fast',
    input: { sessions: [session({ place: PLACES.london, createdAt: SAME_INSTANT }), session({ place: PLACES.moscow, createdAt: SAME_INSTANT })] },
    expected: [{ message: 'another session from Moscow, RU — 2,500 km from London, GB, under 1 min apart' }],
  },
  {
    name: 'no coordinates: different countries 2 h apart is medium',
    input: { sessions: [US_3H_AGO, RU_1H_AGO] },
    expected: [
      {
        rule: RULE,
        severity: 'medium',
        message: 'another session from RU — a different country from US, 2 h apart',
        sessionIds: [US_3H_AGO.id, RU_1H_AGO.id],
        key: expectedKey(RULE, [US_3H_AGO.id, RU_1H_AGO.id]),
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
    expected: [{ severity: 'medium', sessionIds: [US_EXPIRED.id, RU_1H_AGO.id] }],
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
    expected: [{ sessionIds: [SF_2H_AGO.id, MOSCOW_30M_AGO.id] }],
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

  it('mixes a place with coordinates and one without by country', () => {
    const sf = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const ruOnly = session({ place: PLACES.russiaNoCoords, createdAt: ago(HOUR) });
    const usOnly = session({ place: PLACES.usNoCoords, createdAt: ago(HOUR) });
    const findings = run(distantPlacesRule, { sessions: [sf, ruOnly, usOnly] });
    // Russia pairs with both US places by country (San Francisco and the US-only place are one country).
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds.slice().sort()).toEqual([sf.id, ruOnly.id, usOnly.id].sort());
    expect(findings[0]?.severity).toBe('medium');
  });

  it('names every session involved in one finding: five Californian and three Moscow sessions', () => {
    const sfs = Array.from({ length: 5 }, (_, i) => session({ place: PLACES.sanFrancisco, createdAt: ago((60 + i) * MINUTE) }));
    const moscows = Array.from({ length: 3 }, (_, i) => session({ place: PLACES.moscow, createdAt: ago((10 + i) * MINUTE) }));
    const findings = run(distantPlacesRule, { sessions: [...sfs, ...moscows] });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds.slice().sort()).toEqual([...sfs, ...moscows].map((x) => x.id).sort());
    expect(findings[0]?.message).toMatch(/^another session from Moscow, RU — 9,400 km from San Francisco, US, \d+ min apart \(\+6 more sessions involved\)$/);
  });

  it("names the attacker's second session from the far place, though there are now more of them than at home", () => {
    const home = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const first = session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE) });
    const second = session({ place: PLACES.moscow, createdAt: ago(MINUTE) });
    const [before] = run(distantPlacesRule, { sessions: [home, first] });
    const findings = run(distantPlacesRule, { sessions: [home, first, second] });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds).toEqual([home.id, first.id, second.id]);
    // Same rule and user, a new key: the monitor edits the open alert to name the new session.
    expect(findings[0]?.groupKey).toBe(before?.groupKey);
    expect(findings[0]?.key).not.toBe(before?.key);
  });

  it('names only the nearest session of a large home side: a dozen Californian sessions around one from Moscow', () => {
    const sfs = Array.from({ length: 12 }, (_, i) => session({ place: PLACES.sanFrancisco, createdAt: ago((60 + i) * MINUTE) }));
    const moscow = session({ place: PLACES.moscow, createdAt: ago(10 * MINUTE) });
    const findings = run(distantPlacesRule, { sessions: [...sfs, moscow] });
    expect(findings).toHaveLength(1);
    expect(findings[0]?.sessionIds).toEqual([sfs[0]?.id, moscow.id]);
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
    expect(findings.every((f) => f.sessionIds.includes(moscow.id) && f.severity === 'high')).toBe(true);
  });
});
