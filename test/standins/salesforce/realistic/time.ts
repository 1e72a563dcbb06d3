import { haversineKm } from '../../../../src/domain/geo';
import type { GeoPlace } from '../places';

/** Durations and local-time arithmetic for the realistic org. */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const offsetCache = new Map<string, number>();

/** The zone's offset from UTC (ms) on that UTC day, DST included; cached per zone and day. */
export function zoneOffsetMs(timeZone: string, at: Date): number {
  const day = Math.floor(at.getTime() / DAY_MS);
  const key = `${timeZone}|${day}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const noon = new Date(day * DAY_MS + 12 * HOUR_MS);
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(noon).find((p) => p.type === 'timeZoneName')?.value;
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(part ?? '');
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * HOUR_MS + Number(m[3] ?? 0) * MINUTE_MS) : 0;
  offsetCache.set(key, offset);
  return offset;
}

/** The UTC instant of local midnight starting the local day that contains `at`. */
export function localMidnight(timeZone: string, at: Date): Date {
  const offset = zoneOffsetMs(timeZone, at);
  const local = at.getTime() + offset;
  return new Date(local - (((local % DAY_MS) + DAY_MS) % DAY_MS) - offset);
}

/** 0 = Sunday … 6 = Saturday, in the zone. */
export function localWeekday(timeZone: string, at: Date): number {
  return new Date(at.getTime() + zoneOffsetMs(timeZone, at)).getUTCDay();
}

/** `hours` (fractional) after local midnight of the day starting at `midnight`. */
export function atLocalHour(midnight: Date, hours: number): Date {
  return new Date(midnight.getTime() + Math.round(hours * HOUR_MS));
}

/**
 * Door to door by air: the great-circle distance at a jet's block speed (~800 km/h, climb and
 * descent included) plus 40 minutes of taxi and holding. Airport time is added by the caller.
 */
export function flightMs(from: GeoPlace, to: GeoPlace): number {
  const km = haversineKm(from, to);
  return Math.round((km / 800) * HOUR_MS + 40 * MINUTE_MS);
}

export function kmBetween(a: GeoPlace, b: GeoPlace): number {
  return haversineKm(a, b);
}
