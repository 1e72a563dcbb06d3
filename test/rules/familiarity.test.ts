import type { LoginEvent } from '../../src/domain/types';
import { Familiarity, deviceOf, isMobileLogin, networkOf, preciseCoordinates, sightingOfLogin, successesOldestFirst } from '../../src/rules/familiarity';
import { HOUR, PLACES, ago, login, place } from '../support/rule-factories';

describe('familiarity', () => {
  describe('networkOf', () => {
    it.each([
      ['203.0.113.7', '203.0.113.0/24'],
      [' 203.0.113.7 ', '203.0.113.0/24'],
      ['2001:db8:abcd:12::1', '2001:db8:abcd::/48'],
      ['2001:DB8:ABCD:ff00::9', '2001:db8:abcd::/48'],
      ['::ffff:203.0.113.7', '203.0.113.0/24'],
      ['203.0.113', null],
      ['0x7f.0.0.1', null],
      ['not an address', null],
      ['', null],
      [null, null],
      [undefined, null],
    ])('%s → %s', (ip, network) => {
      expect(networkOf(ip)).toBe(network);
    });
  });

  describe('deviceOf', () => {
    it.each([
      [{ browser: 'Chrome 126', platform: 'Mac OSX' }, 'chrome 126|mac osx'],
      [{ browser: ' Chrome 126 ', platform: null }, 'chrome 126|'],
      [{ browser: null, platform: 'Windows 10' }, '|windows 10'],
      [{ browser: null, platform: null }, null],
      [{ browser: '  ', platform: '' }, null],
      [null, null],
    ])('%o → %s', (seen, device) => {
      expect(deviceOf(seen)).toBe(device);
    });
  });

  describe('isMobileLogin', () => {
    const desk = { application: 'Browser', browser: 'Chrome 126', platform: 'Mac OSX' };
    it.each([
      ['the Salesforce app for iOS', { ...desk, application: 'Salesforce for iOS' }, true],
      ['an iPhone platform', { ...desk, platform: 'iPhone' }, true],
      ['an iPad platform', { ...desk, platform: 'iPad' }, true],
      ['an Android platform', { ...desk, platform: 'Android 14' }, true],
      ['a Mobile browser', { ...desk, browser: 'Chrome Mobile 126' }, true],
      ['a desktop browser on a Mac', desk, false],
      ['a word that only contains "mobile" (MobileIron)', { ...desk, application: 'MobileIron Sync' }, false],
      ['nothing known', { application: null, browser: null, platform: null }, false],
    ])('%s: %s', (_what, seen, mobile) => {
      expect(isMobileLogin(seen)).toBe(mobile);
    });

    it('no login at all is not mobile', () => {
      expect(isMobileLogin(null)).toBe(false);
    });
  });

  describe('preciseCoordinates', () => {
    it('a city-level place has coordinates', () => {
      expect(preciseCoordinates(PLACES.moscow)).toEqual({ latitude: 55.7558, longitude: 37.6173 });
    });
    it("a country-level place's centroid is not a location", () => {
      expect(preciseCoordinates(place({ country: 'Russia', countryIso: 'RU', latitude: 61.52, longitude: 105.32 }))).toBeNull();
    });
    it('a blank city counts as none', () => {
      expect(preciseCoordinates(place({ city: '  ', countryIso: 'RU', latitude: 61.52, longitude: 105.32 }))).toBeNull();
    });
    it('a city without coordinates has none', () => {
      expect(preciseCoordinates(place({ city: 'Moscow', countryIso: 'RU' }))).toBeNull();
    });
  });

  describe('Familiarity', () => {
    // The person's usual login: 203.0.113.7 in San Francisco, Chrome on a Mac.
    const usual = login({ status: 'Success' });
    const from = (over: Partial<LoginEvent>) => sightingOfLogin(login({ status: 'Success', ...over }));

    it('learns only successes: an attacker failing teaches nothing', () => {
      const known = Familiarity.of([login({ status: 'Invalid Password', sourceIp: '198.51.100.9', place: PLACES.moscow })]);
      expect(known.size).toBe(0);
      expect(known.knowsIp('198.51.100.9')).toBe(false);
      expect(known.knowsPlace(PLACES.moscow)).toBe(false);
    });

    it.each([
      ['the same address', {}, true],
      ['the same address, written with spaces and in another case', { sourceIp: ' 203.0.113.7 ' }, true],
      ['the same /24 from the same browser and platform', { sourceIp: '203.0.113.200' }, true],
      ['the same /24 from another browser', { sourceIp: '203.0.113.200', browser: 'Firefox 127' }, false],
      ['another /24 from the same browser and platform', { sourceIp: '203.0.114.7' }, false],
      ['the same /24 with no device known', { sourceIp: '203.0.113.200', browser: null, platform: null }, false],
      ['no address', { sourceIp: null }, false],
    ])('usual source: %s → %s', (_what, over: Partial<LoginEvent>, expected) => {
      expect(Familiarity.of([usual]).isUsualSource(from(over))).toBe(expected);
    });

    it('IPv6: the same /48 and device is usual, another /48 is not', () => {
      const known = Familiarity.of([login({ status: 'Success', sourceIp: '2001:db8:abcd:1::7' })]);
      expect(known.isUsualSource(from({ sourceIp: '2001:db8:abcd:ffff::1' }))).toBe(true);
      expect(known.isUsualSource(from({ sourceIp: '2001:db8:abce:1::7' }))).toBe(false);
    });

    it('knows a place within 200 km of one seen (Oakland beside San Francisco), not one 559 km away', () => {
      const known = Familiarity.of([usual]);
      expect(known.knowsPlace(PLACES.oakland)).toBe(true);
      expect(known.knowsPlace(PLACES.losAngeles)).toBe(false);
    });

    it('a place known only to its country is judged by the country', () => {
      const known = Familiarity.of([usual]);
      expect(known.knowsPlace(PLACES.usNoCoords)).toBe(true);
      expect(known.knowsPlace(PLACES.russiaNoCoords)).toBe(false);
    });

    it('recognises each part of a sighting on its own', () => {
      expect(Familiarity.of([usual]).recognise(from({ sourceIp: '203.0.113.200', place: PLACES.tijuana, browser: 'Firefox 127' }))).toEqual({
        ip: false,
        network: true,
        place: false,
        country: false,
        device: false,
      });
    });
  });

  it('successesOldestFirst keeps the successes, oldest first, ties by id', () => {
    const a = login({ id: '0Ya00000000000000B', status: 'Success', loginTime: ago(HOUR) });
    const b = login({ id: '0Ya00000000000000A', status: 'Success', loginTime: ago(HOUR) });
    const c = login({ status: 'SUCCESS', loginTime: ago(2 * HOUR) });
    const failed = login({ status: 'Invalid Password', loginTime: ago(3 * HOUR) });
    expect(successesOldestFirst([a, failed, b, c]).map((e) => e.id)).toEqual([c.id, b.id, a.id]);
  });
});
