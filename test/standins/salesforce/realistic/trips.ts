import type { Rng } from '../generator';
import type { GeoPlace } from '../places';
import type { Person } from './people';
import { OFFICES, type Office } from './places';
import { DAY_MS, flightMs, HOUR_MS, localMidnight, MINUTE_MS, atLocalHour } from './time';

/**
 * Business trips on real flight times: the traveller leaves from home, flies (great-circle
 * distance at airliner speed), spends 1–3 hours getting from the airport, then works at the
 * destination in its hours; most come back within the window. The destination is a genuinely
 * new country for many (another region's office), the same country for some (a domestic trip).
 */

export interface Leg {
  from: GeoPlace;
  to: Office;
  /** Wheels up (UTC). */
  departAt: Date;
  /** Earliest moment the traveller can sign in at the destination. */
  availableAt: Date;
}

export interface Trip {
  out: Leg;
  /** Absent when the traveller is still away at the end of the window. */
  back: Leg | null;
}

export function planTrip(person: Person, r: Rng, windowStart: Date, windowEnd: Date): Trip | null {
  const others = OFFICES.filter((o) => o !== person.office);
  const abroad = r.chance(0.6);
  const candidates = others.filter((o) => (abroad ? o.city.countryIso !== person.homeCity.countryIso : o.city.countryIso === person.homeCity.countryIso));
  const destination = r.pick(candidates.length > 0 ? candidates : others);
  const spanDays = Math.max(1, Math.floor((windowEnd.getTime() - windowStart.getTime()) / DAY_MS));
  const departDay = localMidnight(person.office.timeZone, new Date(windowStart.getTime() + r.int(spanDays) * DAY_MS));
  const departAt = atLocalHour(departDay, r.between(7, 19) + r.next());
  const out = leg(person.homeCity, destination, departAt, r);
  if (!r.chance(0.65)) return { out, back: null };
  const stayDays = r.between(2, 6);
  const backDay = localMidnight(destination.timeZone, new Date(out.availableAt.getTime() + stayDays * DAY_MS));
  const backDepart = atLocalHour(backDay, r.between(9, 20) + r.next());
  const home: Office = person.office;
  return { out, back: leg(destination.city, { ...home, city: person.homeCity }, backDepart, r) };
}

function leg(from: GeoPlace, to: Office, departAt: Date, r: Rng): Leg {
  const landed = departAt.getTime() + flightMs(from, to.city);
  return { from, to, departAt, availableAt: new Date(landed + r.between(60, 180) * MINUTE_MS) };
}

/** Where the traveller is at `at`: 'home', 'flying', or the destination office. */
export function whereOnTrip(trip: Trip | null, at: Date): 'home' | 'flying' | Office {
  if (!trip) return 'home';
  const t = at.getTime();
  if (t < trip.out.departAt.getTime()) return 'home';
  if (t < trip.out.availableAt.getTime()) return 'flying';
  if (!trip.back || t < trip.back.departAt.getTime()) return trip.out.to;
  if (t < trip.back.availableAt.getTime()) return 'flying';
  return 'home';
}

/** Hours of a flight, for labels. */
export function legHours(l: Leg): number {
  return (l.availableAt.getTime() - l.departAt.getTime()) / HOUR_MS;
}
