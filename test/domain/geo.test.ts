import { coordinatesOf, countryCode, haversineKm, placeDistanceKm, placeLabel } from '../../src/domain/geo';
import { PLACES, place } from '../support/rule-factories';

describe('haversineKm', () => {
  it('is zero for the same point', () => {
    expect(haversineKm({ latitude: 10, longitude: 20 }, { latitude: 10, longitude: 20 })).toBe(0);
  });

  it('matches known city distances within 1 %', () => {
    const sf = { latitude: 37.7749, longitude: -122.4194 };
    const moscow = { latitude: 55.7558, longitude: 37.6173 };
    const london = { latitude: 51.5074, longitude: -0.1278 };
    const paris = { latitude: 48.8566, longitude: 2.3522 };
    expect(haversineKm(sf, moscow)).toBeGreaterThan(9350);
    expect(haversineKm(sf, moscow)).toBeLessThan(9550);
    expect(haversineKm(london, paris)).toBeCloseTo(344, -1);
  });

  it('is symmetric and handles antipodes and the date line', () => {
    const a = { latitude: 0, longitude: 179.5 };
    const b = { latitude: 0, longitude: -179.5 };
    expect(haversineKm(a, b)).toBeCloseTo(111.2, 0);
    expect(haversineKm(b, a)).toBeCloseTo(haversineKm(a, b), 6);
    expect(haversineKm({ latitude: 90, longitude: 0 }, { latitude: -90, longitude: 0 })).toBeCloseTo(20015, -1);
  });
});

describe('coordinatesOf / placeDistanceKm', () => {
  it('returns null for missing, partial, out-of-range or (0, 0) coordinates', () => {
    expect(coordinatesOf(null)).toBeNull();
    expect(coordinatesOf(undefined)).toBeNull();
    expect(coordinatesOf(place({ latitude: 10, longitude: null }))).toBeNull();
    expect(coordinatesOf(place({ latitude: 0, longitude: 0 }))).toBeNull();
    expect(coordinatesOf(place({ latitude: 91, longitude: 0 }))).toBeNull();
    expect(coordinatesOf(place({ latitude: Number.NaN, longitude: 3 }))).toBeNull();
    expect(coordinatesOf(place({ latitude: 0, longitude: 5 }))).toEqual({ latitude: 0, longitude: 5 });
  });

  it('measures between places, null when either is unknown', () => {
    expect(placeDistanceKm(PLACES.sanFrancisco, PLACES.oakland)).toBeLessThan(20);
    expect(placeDistanceKm(PLACES.sanFrancisco, PLACES.russiaNoCoords)).toBeNull();
    expect(placeDistanceKm(null, PLACES.moscow)).toBeNull();
  });
});

describe('placeLabel', () => {
  it('gives short and long forms', () => {
    expect(placeLabel(PLACES.moscow)).toBe('Moscow, RU');
    expect(placeLabel(PLACES.sanFrancisco)).toBe('San Francisco, US');
    expect(placeLabel(PLACES.sanFrancisco, 'long')).toBe('San Francisco, California, US');
  });

  it('drops repeated names and missing parts', () => {
    expect(placeLabel(PLACES.moscow, 'long')).toBe('Moscow, RU');
    expect(placeLabel(PLACES.russiaNoCoords)).toBe('RU');
    expect(placeLabel(place({ subdivision: 'Bavaria', countryIso: 'de' }))).toBe('Bavaria, DE');
    expect(placeLabel(place({ city: 'Lyon', country: 'France' }))).toBe('Lyon, France');
    expect(placeLabel(place({ city: '  ', countryIso: ' ' }))).toBeNull();
    expect(placeLabel(null)).toBeNull();
  });

  it('normalizes country codes', () => {
    expect(countryCode(place({ countryIso: ' ru ' }))).toBe('RU');
    expect(countryCode(null)).toBeNull();
  });
});
