import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';

dayjs.extend(utc);

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

// Fixed locale so messages read the same whatever the server's LANG is.
const thousands = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/**
 * "9,400 km". Precision drops with distance (100 km steps from 1,000 km, 10 km steps from 100 km)
 * because geo-IP positions are city-level guesses; more digits would be false precision.
 */
export function formatKm(km: number): string {
  if (!Number.isFinite(km) || km < 0) return 'an unknown distance';
  const step = km >= 1000 ? 100 : km >= 100 ? 10 : 1;
  const rounded = Math.round(km / step) * step;
  if (rounded === 0) return 'under 1 km';
  return `${thousands.format(rounded)} km`;
}

/**
 * Human duration, truncated (an age of 2 h 59 min is not yet "3 h"):
 * under 2 h → "90 min"; under 2 days → "2 h 5 min" / "26 h"; otherwise → "45 days".
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return 'an unknown time';
  // Plain arithmetic rather than dayjs.duration: this runs once per finding, thousands of times
  // per assessment, and truncating whole units is all that is needed.
  const totalMinutes = Math.floor(ms / MINUTE_MS);
  if (totalMinutes < 1) return 'under 1 min';
  if (ms < 2 * HOUR_MS) return `${totalMinutes} min`;
  if (ms < 2 * DAY_MS) {
    const hours = Math.floor(ms / HOUR_MS);
    const minutes = totalMinutes - hours * 60;
    return minutes === 0 ? `${hours} h` : `${hours} h ${minutes} min`;
  }
  return `${Math.floor(ms / DAY_MS)} days`;
}

/** How long ago `since` was, as formatDuration words ("3 h 10 min"); a future date counts as 0. */
export function formatAge(since: Date, now: Date): string {
  return formatDuration(Math.max(0, now.getTime() - since.getTime()));
}

/** Whole days elapsed between two instants (truncated), for day-granular policies. */
export function wholeDaysBetween(from: Date, to: Date): number {
  return Math.floor((to.getTime() - from.getTime()) / DAY_MS);
}

/** "14:05 UTC": the bot's audience spans time zones, so times are always given in UTC. */
export function formatUtcTime(date: Date): string {
  return `${dayjs.utc(date).format('HH:mm')} UTC`;
}

/** "26 Nov 14:05 UTC". */
export function formatUtcDateTime(date: Date): string {
  return `${dayjs.utc(date).format('D MMM HH:mm')} UTC`;
}

/** "1 session" / "3 sessions". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
