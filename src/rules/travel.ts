/** What distant-places and impossible-travel agree on about travelling between two geo-IP places. */

const HOUR_MS = 3_600_000;

/**
 * Geo-IP places are city-level guesses (mobile carriers and VPN exits can be hundreds of km off),
 * so closer pairs are never called impossible, however short the time between them.
 */
export const MIN_DISTANCE_KM = 300;

/** Implied speed in km/h; the same instant counts as infinitely fast. */
export function speedKmh(km: number, gapMs: number): number {
  return gapMs === 0 ? Number.POSITIVE_INFINITY : km / (gapMs / HOUR_MS);
}
