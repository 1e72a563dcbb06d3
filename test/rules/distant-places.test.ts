import { groupFamilies } from '../../src/domain/families';
import { DEFAULT_POLICY, type Session } from '../../src/domain/types';
import { DISTANT_PLACES_RULE_ID, distantPlacesFindings } from '../../src/rules/distant-places';
import { DAY, HOUR, MINUTE, NOW, PLACES, ago, childOf, place, session } from './factories';

function run(sessions: Session[], policy = DEFAULT_POLICY) {
  return distantPlacesFindings({ families: groupFamilies(sessions), policy, now: NOW });
}

describe('distant-places', () => {
  it('flags San Francisco then Moscow 90 min later, naming both roots', () => {
    const sf = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const moscow = session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE) });
    const findings = run([sf, childOf(sf), moscow]);
    expect(findings).toEqual([
      {
        rule: DISTANT_PLACES_RULE_ID,
        severity: 'high',
        message: 'another session from Moscow, RU — 9,400 km from San Francisco, US, 90 min apart',
        sessionIds: [sf.id, moscow.id],
      },
    ]);
  });

  it('uses the login time when known rather than CreatedDate', () => {
    // Sessions created days apart, but the older one was re-used by a login 10 min before Moscow.
    const sf = session({
      place: PLACES.sanFrancisco,
      createdAt: ago(3 * DAY),
      login: { loginTime: ago(40 * MINUTE), browser: null, platform: null, application: null, loginType: null },
    });
    const moscow = session({ place: PLACES.moscow, createdAt: ago(30 * MINUTE) });
    const findings = run([sf, moscow]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('10 min apart');
  });

  it('does not flag a trip that was possible at the policy speed', () => {
    const london = session({ place: PLACES.london, createdAt: ago(3 * HOUR) });
    const paris = session({ place: PLACES.paris, createdAt: ago(2 * HOUR) }); // ~340 km in 1 h
    expect(run([london, paris])).toEqual([]);
  });

  it('flags the same trip when it took minutes', () => {
    const london = session({ place: PLACES.london, createdAt: ago(20 * MINUTE) });
    const paris = session({ place: PLACES.paris, createdAt: ago(5 * MINUTE) });
    const findings = run([london, paris]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toBe('another session from Paris, FR — 340 km from London, GB, 15 min apart');
  });

  it('never flags places in the same city or closer than the geo-IP noise floor', () => {
    const sf = session({ place: PLACES.sanFrancisco, createdAt: ago(MINUTE) });
    const sf2 = session({ place: PLACES.sanFrancisco, createdAt: ago(MINUTE) });
    const oakland = session({ place: PLACES.oakland, createdAt: ago(MINUTE) });
    expect(run([sf, sf2, oakland])).toEqual([]);
  });

  it('is exactly at the speed threshold: not flagged; just above: flagged', () => {
    const a = place({ city: 'A', countryIso: 'US', latitude: 0, longitude: 10 });
    const b = place({ city: 'B', countryIso: 'US', latitude: 0, longitude: 20 });
    const km = 1111.95; // ≈ 10° of longitude on the equator
    const hours = 2;
    const speed = km / hours;
    const first = session({ place: a, createdAt: ago(3 * HOUR) });
    const second = session({ place: b, createdAt: ago(1 * HOUR) });
    const exactSpeed = run([first, second], { ...DEFAULT_POLICY, maxTravelSpeedKmh: Math.ceil(speed) });
    expect(exactSpeed).toEqual([]);
    const below = run([first, second], { ...DEFAULT_POLICY, maxTravelSpeedKmh: Math.floor(speed) });
    expect(below).toHaveLength(1);
  });

  it('treats zero time apart as infinitely fast', () => {
    const t = ago(10 * MINUTE);
    const findings = run([session({ place: PLACES.london, createdAt: t }), session({ place: PLACES.moscow, createdAt: t })]);
    expect(findings).toHaveLength(1);
    expect(findings[0]?.message).toContain('under 1 min apart');
  });

  it('falls back to different countries when coordinates are missing (medium)', () => {
    const us = session({ place: PLACES.usNoCoords, createdAt: ago(3 * HOUR) });
    const ru = session({ place: PLACES.russiaNoCoords, createdAt: ago(HOUR) });
    const findings = run([us, ru]);
    expect(findings).toEqual([
      {
        rule: DISTANT_PLACES_RULE_ID,
        severity: 'medium',
        message: 'another session from RU — a different country from US, 2 h apart',
        sessionIds: [us.id, ru.id],
      },
    ]);
  });

  it('mixes a place with coordinates and one without by country', () => {
    const sf = session({ place: PLACES.sanFrancisco, createdAt: ago(2 * HOUR) });
    const ruOnly = session({ place: PLACES.russiaNoCoords, createdAt: ago(HOUR) });
    const usOnly = session({ place: PLACES.usNoCoords, createdAt: ago(HOUR) });
    const findings = run([sf, ruOnly, usOnly]);
    expect(findings.map((f) => f.sessionIds.slice().sort())).toContainEqual([sf.id, ruOnly.id].sort());
    expect(findings.every((f) => !(f.sessionIds.includes(sf.id) && f.sessionIds.includes(usOnly.id)))).toBe(true);
  });

  it('ignores sessions with no place at all, and 0 or 1 families', () => {
    expect(run([])).toEqual([]);
    expect(run([session({ place: PLACES.moscow })])).toEqual([]);
    expect(run([session({ place: null }), session({ place: PLACES.moscow, createdAt: ago(MINUTE) })])).toEqual([]);
  });

  it('ignores pairs that were never alive together and logged in more than a day apart', () => {
    const old = session({
      place: PLACES.usNoCoords,
      createdAt: ago(3 * DAY),
      lastModifiedAt: ago(3 * DAY - HOUR),
      secondsValid: 7200,
    });
    const now = session({ place: PLACES.russiaNoCoords, createdAt: ago(HOUR) });
    expect(run([old, now])).toEqual([]);
    // …but the same old session kept alive until now does count.
    const alive = { ...old, expiresAt: ago(-HOUR) };
    expect(run([alive, now])).toHaveLength(1);
  });

  it('compares only sessions of the same user', () => {
    const sf = session({ userId: 'user-a', place: PLACES.sanFrancisco, createdAt: ago(20 * MINUTE) });
    const moscow = session({ userId: 'user-b', place: PLACES.moscow, createdAt: ago(10 * MINUTE) });
    expect(run([sf, moscow])).toEqual([]);
  });

  it('reports each pair once, from the rarer place: every Moscow session, not every Californian one', () => {
    const sfs = Array.from({ length: 5 }, (_, i) => session({ place: PLACES.sanFrancisco, createdAt: ago((60 + i) * MINUTE) }));
    const moscows = Array.from({ length: 3 }, (_, i) => session({ place: PLACES.moscow, createdAt: ago((10 + i) * MINUTE) }));
    const findings = run([...sfs, ...moscows]);
    const keys = findings.map((f) => f.sessionIds.slice().sort().join('|'));
    expect(new Set(keys).size).toBe(keys.length);
    const flagged = findings.flatMap((f) => f.sessionIds);
    for (const m of moscows) expect(flagged).toContain(m.id);
    expect(findings).toHaveLength(3);
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
    const findings = run([...local, moscow]);
    const ms = performance.now() - started;
    console.log(`distant-places: 3,001 families / 301 places in ${ms.toFixed(1)} ms`);
    expect(findings).toHaveLength(1);
    expect(findings.every((f) => f.sessionIds.includes(moscow.id) && f.severity === 'high')).toBe(true);
  });
});
