import { addUser, DEFAULT_USER_CREATED_AT, FIRST_NAMES, hashSeed, LAST_NAMES, PROFILE_ADMIN, PROFILE_STANDARD, rng, type Rng } from '../generator';
import type { Org } from '../org';
import type { GeoPlace } from '../places';
import { homeIp, officeIp } from './addresses';
import { OFFICES, type Office } from './places';
import { DAY_MS } from './time';

/**
 * The people of the realistic org. Every habit is drawn per person from a range, so no two people
 * behave alike and a rule cannot be tuned to one constant: when they start, how long they work,
 * whether they sign in through SSO or type a password (and how often they mistype it), whether
 * they hold one session all day or sign in several times, how often they work from home or
 * through the VPN, their phone, their trips.
 */

export type WorkPattern = 'full-time' | 'part-time' | 'shift';

export interface Device {
  browser: string;
  platform: string;
}

export interface Phone {
  app: 'Salesforce for iOS' | 'Salesforce for Android';
  platform: string;
  /** Carrier index: its addresses and where geo-IP puts them. */
  carrier: number;
  /** Where the carrier's addresses are geolocated (a few hundred km from the desk, sometimes 500–900). */
  geo: GeoPlace;
  /** Chance of opening the app on a working day. */
  dailyUse: number;
  /** The app's connected-app grant: months old, refreshed whenever the app is opened. */
  grantedAt: Date;
}

export interface Person {
  index: number;
  userId: string;
  username: string;
  name: string;
  email: string;
  admin: boolean;
  office: Office;
  officeIndex: number;
  /** Where the home line is geolocated: the office's city for most; remote workers live in another city of its country (or region). */
  homeCity: GeoPlace;
  homeIp: string;
  officeUplink: string;
  pattern: WorkPattern;
  /** Local weekdays worked (0 = Sunday); shift workers rotate through weekends too. */
  workDays: readonly number[];
  /** Local hour the working day starts (fractional). */
  startHour: number;
  hours: number;
  sso: boolean;
  device: Device;
  /** 'one-session': a working day in one UI session; 'several': signs out and in again during the day. */
  style: 'one-session' | 'several';
  /** The profile's session timeout (NumSecondsValid). */
  timeoutSeconds: number;
  /** Share of working days spent at the office (the rest from home). */
  officeShare: number;
  /** Share of working days on the corporate VPN. */
  vpnShare: number;
  /** Chance that a password login is preceded by 1–4 typos. */
  typoRate: number;
  /** Chance of a short look on a day off. */
  offDayChance: number;
  phone: Phone | null;
  /** Local days off (holidays), as UTC day numbers of local midnight. */
  vacation: ReadonlySet<number>;
}

// The generator's names, and more, so 10,000 people rarely share a full name.
const FIRST = [...FIRST_NAMES, 'Aiko', 'Bruno', 'Carmen', 'Dev', 'Elif', 'Femi', 'Gustav', 'Hana', 'Ivan', 'Jonas', 'Kofi', 'Lucia', 'Mateo', 'Nadia', 'Omar'];
// The generator's names, and more, so 10,000 people rarely share a full name.
const LAST = [...LAST_NAMES, 'Andersson', 'Byrne', 'Costa', 'Demir', 'Evans', 'Kim', 'Laurent', 'Mehta', 'Novak', 'Sato'];
const DEVICES: readonly Device[] = [
  { browser: 'Chrome 131', platform: 'Mac OSX' },
  { browser: 'Chrome 131', platform: 'Windows 11' },
  { browser: 'Chrome 130', platform: 'Windows 10' },
  { browser: 'Edge 131', platform: 'Windows 11' },
  { browser: 'Edge 130', platform: 'Windows 10' },
  { browser: 'Safari 18', platform: 'Mac OSX' },
  { browser: 'Firefox 133', platform: 'Windows 11' },
  { browser: 'Firefox 132', platform: 'Linux' },
  { browser: 'Chrome 131', platform: 'Linux' },
];
/** Session timeout settings seen on profiles: 2 h (the default) mostly. */
const TIMEOUTS = [7200, 7200, 7200, 7200, 7200, 3600, 3600, 1800, 14400, 28800];

function weighted<T extends { weight: number }>(r: Rng, items: readonly T[]): T {
  const total = items.reduce((s, i) => s + i.weight, 0);
  let roll = r.next() * total;
  for (const item of items) {
    roll -= item.weight;
    if (roll < 0) return item;
  }
  return items[items.length - 1] as T;
}

const between = (r: Rng, min: number, max: number): number => min + r.next() * (max - min);

export interface RosterOptions {
  seed: number;
  people: number;
  now: Date;
  /** Days of history (holidays are placed in it). */
  historyDays: number;
}

/** A person's own PRNG: the same seed and index give the same person whatever the org's size. */
export function personRng(seed: number, index: number, purpose: string): Rng {
  return rng(hashSeed(`${seed}|${purpose}|${index}`));
}

export function addPeople(org: Org, o: RosterOptions): Person[] {
  const people: Person[] = [];
  const width = Math.max(4, String(o.people).length);
  for (let i = 0; i < o.people; i++) people.push(addPerson(org, o, i, width));
  return people;
}

function addPerson(org: Org, o: RosterOptions, index: number, width: number): Person {
  const r = personRng(o.seed, index, 'person');
  const office = weighted(r, OFFICES);
  const officeIndex = OFFICES.indexOf(office);
  const first = r.pick(FIRST);
  const last = r.pick(LAST);
  const suffix = String(index + 1).padStart(width, '0');
  const username = `${first}.${last}.${suffix}@acme.com`
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  const admin = r.chance(0.012);
  const { userId } = addUser(org, {
    username,
    name: `${first} ${last}`,
    profile: admin ? PROFILE_ADMIN : PROFILE_STANDARD,
    timeZone: office.timeZone,
    createdAt: new Date(DEFAULT_USER_CREATED_AT.getTime() - r.int(1200) * DAY_MS),
  });
  const patternRoll = r.next();
  const pattern: WorkPattern = office.city.city === 'Manila' || patternRoll < 0.06 ? 'shift' : patternRoll < 0.16 ? 'part-time' : 'full-time';
  // Remote workers live in another city of the office's country where there is one (else of its region) and never commute.
  const remote = r.chance(0.08);
  const sameCountry = OFFICES.filter((x) => x !== office && x.city.countryIso === office.city.countryIso);
  const homeCity = remote ? r.pick(sameCountry.length > 0 ? sameCountry : OFFICES.filter((x) => x.region === office.region)).city : office.city;
  const workDays =
    pattern === 'full-time'
      ? [1, 2, 3, 4, 5]
      : pattern === 'part-time'
        ? [1, 2, 3, 4, 5].filter(() => r.chance(0.65))
        : // A rota of five days out of seven, weekends included.
          [0, 1, 2, 3, 4, 5, 6].filter((d) => d !== index % 7 && d !== (index + 3) % 7);
  const startHour = pattern === 'shift' ? r.pick([6, 14, 22]) + between(r, -0.25, 0.25) : between(r, 7.4, 9.6);
  const hours = pattern === 'full-time' ? between(r, 7.5, 10) : pattern === 'part-time' ? between(r, 3.5, 6.5) : between(r, 7.75, 8.5);
  const sso = r.chance(0.6);
  const hasPhone = r.chance(0.55);
  const carrier = officeIndex * 3 + r.int(3);
  const phone: Phone | null = hasPhone
    ? (() => {
        const ios = r.chance(0.55);
        return {
          app: ios ? 'Salesforce for iOS' : 'Salesforce for Android',
          platform: ios ? r.pick(['iPhone iOS 18', 'iPhone iOS 17']) : r.pick(['Android 15', 'Android 14', 'Android 13']),
          carrier,
          geo: r.pick(office.carrierCities),
          dailyUse: between(r, 0.2, 0.95),
          grantedAt: new Date(o.now.getTime() - r.between(35, 700) * DAY_MS),
        };
      })()
    : null;
  const vacation = new Set<number>();
  if (r.chance(0.3)) {
    const start = Math.floor(o.now.getTime() / DAY_MS) - r.between(2, o.historyDays);
    const length = r.between(2, 12);
    for (let d = 0; d < length; d++) vacation.add(start + d);
  }
  return {
    index,
    userId,
    username,
    name: `${first} ${last}`,
    email: username,
    admin,
    office,
    officeIndex,
    homeCity,
    homeIp: homeIp(index, r),
    officeUplink: officeIp(officeIndex, r.int(4)),
    pattern,
    workDays,
    startHour,
    hours,
    sso,
    device: r.pick(DEVICES),
    style: r.chance(0.7) ? 'one-session' : 'several',
    timeoutSeconds: r.pick(TIMEOUTS),
    officeShare: remote || r.chance(0.25) ? 0 : between(r, 0.2, 1),
    vpnShare: r.chance(0.5) ? 0 : between(r, 0.1, 0.9),
    typoRate: r.chance(0.3) ? between(r, 0, 0.02) : between(r, 0.03, 0.2),
    offDayChance: between(r, 0, 0.12),
    phone,
    vacation,
  };
}
