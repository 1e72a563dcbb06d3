import type { Rng } from '../../test/standins/salesforce/generator';

/** What a person logs in with; one per person, so their history reads like one laptop's. */
export interface Device {
  browser: string;
  platform: string;
}

const DEVICES: readonly Device[] = [
  { browser: 'Chrome 131', platform: 'Mac OSX' },
  { browser: 'Chrome 131', platform: 'Windows 11' },
  { browser: 'Edge 131', platform: 'Windows 11' },
  { browser: 'Safari 18', platform: 'Mac OSX' },
  { browser: 'Firefox 133', platform: 'Linux' },
  { browser: 'Chrome 130', platform: 'Windows 10' },
];

export function pickDevice(r: Rng): Device {
  return r.pick(DEVICES);
}

/** The attacker's tooling: a stock browser on a rented Windows box. */
export const ATTACKER_DEVICE: Device = { browser: 'Firefox 133', platform: 'Windows 10' };

/** The Salesforce mobile app on a person's phone: how its logins read in Login History. */
export interface PhoneApp {
  application: string;
  platform: string;
}

const PHONES: readonly PhoneApp[] = [
  { application: 'Salesforce for iOS', platform: 'iPhone iOS 18' },
  { application: 'Salesforce for Android', platform: 'Android 15' },
];

export function pickPhone(r: Rng): PhoneApp {
  return r.pick(PHONES);
}
