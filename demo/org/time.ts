/** Durations and "so long before now" helpers shared by the demo org's builders and its activity. */

export const SECOND_MS = 1000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

export const before = (now: Date, ms: number): Date => new Date(now.getTime() - ms);
export const minutesBefore = (now: Date, minutes: number): Date => before(now, minutes * MINUTE_MS);
export const daysBefore = (now: Date, days: number): Date => before(now, days * DAY_MS);
