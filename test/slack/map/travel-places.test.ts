import type { Finding, FindingPlace } from '../../../src/domain/types';
import { groupHasMap, travelMapPlaces } from '../../../src/slack/map/travel-places';

const SF: FindingPlace = {
  rowId: '0Ak1',
  at: new Date('2025-01-01T10:00:00Z'),
  label: 'San Francisco, US',
  countryIso: 'US',
  ip: '203.0.113.7',
  coordinates: { latitude: 37.77, longitude: -122.42 },
};
const MOSCOW: FindingPlace = {
  rowId: '0Ak2',
  at: new Date('2025-01-01T11:30:00Z'),
  label: 'Moscow, RU',
  countryIso: 'RU',
  ip: '198.51.100.23',
  coordinates: { latitude: 55.76, longitude: 37.62 },
};

function travel(rule: string, from: FindingPlace, to: FindingPlace): Finding {
  return {
    rule,
    severity: 'high',
    message: 'far apart',
    sessionIds: [],
    userId: '005U1',
    subject: 'logins',
    key: `${rule}:005U1:0Ak1,0Ak2`,
    groupKey: `${rule}:005U1`,
    evidence: { kind: 'travel', from, to, km: 9_445, speedKmh: 6_297, gapMs: 90 * 60_000 },
  };
}

describe('travelMapPlaces', () => {
  it('takes both places of a distant-places or impossible-travel finding, in order', () => {
    const expected = [
      { lat: 37.77, lon: -122.42, label: 'San Francisco, US' },
      { lat: 55.76, lon: 37.62, label: 'Moscow, RU' },
    ];
    expect(travelMapPlaces(travel('distant-places', SF, MOSCOW))).toEqual(expected);
    expect(travelMapPlaces(travel('impossible-travel', SF, MOSCOW))).toEqual(expected);
  });

  it('labels a place without a name by its country, then its address', () => {
    const places = travelMapPlaces(travel('impossible-travel', { ...SF, label: null }, { ...MOSCOW, label: null, countryIso: null }));
    expect(places?.map((p) => p.label)).toEqual(['US', '198.51.100.23']);
  });

  it('has no map when a place has no coordinates, or the finding was stored before maps', () => {
    expect(travelMapPlaces(travel('distant-places', SF, { ...MOSCOW, coordinates: null }))).toBeNull();
    const { coordinates: _dropped, ...stored } = SF;
    expect(travelMapPlaces(travel('distant-places', stored, MOSCOW))).toBeNull();
  });

  it('has no map for other rules, or without travel evidence', () => {
    expect(travelMapPlaces(travel('new-country', SF, MOSCOW))).toBeNull();
    const { evidence: _none, ...bare } = travel('distant-places', SF, MOSCOW);
    expect(travelMapPlaces(bare)).toBeNull();
  });
});

describe('groupHasMap', () => {
  it.each([
    ['distant-places:005U1', true],
    ['impossible-travel:005U1', true],
    ['new-country:005U1', false],
    ['session-timeout:005U1', false],
  ])('%s → %s', (groupKey, expected) => {
    expect(groupHasMap(groupKey)).toBe(expected);
  });
});
