import type { Place } from './types';

export interface LatLng {
  latitude: number;
  longitude: number;
}

export type PlaceLabelForm = 'short' | 'long';

const EARTH_RADIUS_KM = 6371.0088;

function toRadians(degrees: number): number {
  return (degrees * Math.PI) / 180;
}

/** Great-circle distance in km; good to ~0.5 %, which is plenty for "could they have travelled?". */
export function haversineKm(a: LatLng, b: LatLng): number {
  const dLat = toRadians(b.latitude - a.latitude);
  const dLon = toRadians(b.longitude - a.longitude);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(a.latitude)) * Math.cos(toRadians(b.latitude)) * Math.sin(dLon / 2) ** 2;
  // min() guards against h creeping past 1 through rounding for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/**
 * The place's coordinates, or null when unknown. (0, 0) is treated as unknown: geo-IP databases
 * use "null island" as a placeholder, and nobody logs in from the Gulf of Guinea.
 */
export function coordinatesOf(place: Place | null | undefined): LatLng | null {
  if (!place) return null;
  const { latitude, longitude } = place;
  if (latitude === null || longitude === null) return null;
  if (!Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  if (Math.abs(latitude) > 90 || Math.abs(longitude) > 180) return null;
  if (latitude === 0 && longitude === 0) return null;
  return { latitude, longitude };
}

/** Distance between two places, or null when either has no usable coordinates. */
export function placeDistanceKm(a: Place | null | undefined, b: Place | null | undefined): number | null {
  const from = coordinatesOf(a);
  const to = coordinatesOf(b);
  return from && to ? haversineKm(from, to) : null;
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** Upper-case ISO code, or null when missing. */
export function countryCode(place: Place | null | undefined): string | null {
  return clean(place?.countryIso)?.toUpperCase() ?? null;
}

/**
 * "Moscow, RU" (short) or "San Francisco, California, US" (long). The ISO code stands in for the
 * country because it is short and unambiguous in Slack; the country name is used only when the
 * code is missing. Returns null when nothing at all is known.
 */
export function placeLabel(place: Place | null | undefined, form: PlaceLabelForm = 'short'): string | null {
  if (!place) return null;
  const city = clean(place.city);
  const subdivision = clean(place.subdivision);
  const country = countryCode(place) ?? clean(place.country);
  const parts = form === 'long' ? [city, subdivision, country] : [city ?? subdivision, country];
  const present = parts.filter((part): part is string => part !== null);
  // "Paris, Paris, FR" reads like a bug, so repeated names are dropped.
  const unique = present.filter((part, index) => present.indexOf(part) === index);
  return unique.length > 0 ? unique.join(', ') : null;
}
