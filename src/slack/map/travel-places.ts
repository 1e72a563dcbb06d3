import type { Finding, FindingPlace } from '../../domain/types';
import { DISTANT_PLACES_RULE_ID } from '../../rules/distant-places';
import { IMPOSSIBLE_TRAVEL_RULE_ID } from '../../rules/impossible-travel';
import type { MapPlace } from './travel-map-svg';

/** The alerts that carry a map: the ones about being in two places too far apart. */
const MAP_RULES: ReadonlySet<string> = new Set([DISTANT_PLACES_RULE_ID, IMPOSSIBLE_TRAVEL_RULE_ID]);

/** Whether alerts of this group (`${rule}:${userId}`) get a map picture. */
export function groupHasMap(groupKey: string): boolean {
  return MAP_RULES.has(groupKey.split(':', 1)[0] ?? '');
}

function mapPlace(place: FindingPlace): MapPlace | null {
  const at = place.coordinates;
  if (!at) return null;
  return { lat: at.latitude, lon: at.longitude, label: place.label ?? place.countryIso ?? place.ip ?? 'unknown place' };
}

/**
 * The places a travel finding's map shows, from its evidence; null when the rule has no map or
 * either place has no coordinates (geo-IP knew only the country, or the finding predates maps).
 */
export function travelMapPlaces(finding: Finding): MapPlace[] | null {
  if (!MAP_RULES.has(finding.rule) || finding.evidence?.kind !== 'travel') return null;
  const from = mapPlace(finding.evidence.from);
  const to = mapPlace(finding.evidence.to);
  return from && to ? [from, to] : null;
}
