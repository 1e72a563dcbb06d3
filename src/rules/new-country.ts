import { formatUtcTime } from '../domain/format';
import { countryCode, haversineKm, placeLabel, type LatLng } from '../domain/geo';
import {
  deviceOf,
  Familiarity,
  isMobileLogin,
  PLACE_SLACK_KM,
  preciseCoordinates,
  SAME_PLACE_KM,
  sightingOfLogin,
  slackKm,
  successesOldestFirst,
} from './familiarity';
import { speedKmh } from './travel';
import type { Finding, LoginEvent } from '../domain/types';
import { loginPlace } from './evidence';
import { groupByUser, isOrgNetwork, makeFinding, type Rule, type RuleInput } from './rule';

export const NEW_COUNTRY_RULE_ID = 'new-country';

/**
 * A successful login from a country none of the user's earlier successful logins in the rows given
 * came from. Only successes make a country familiar: an attacker's failed attempts from the same
 * country must not hide their first success. Without at least one earlier login of known country
 * there is nothing to compare with, and no finding. Not new either: the person's own address (a
 * geo-IP database moving it across a border), or a phone placed by its carrier across a border
 * within its slack of a place the person knows, or the person's phone on their own carrier (see
 * Familiarity.isHomeCarrier; no trip is measured from it either), or a plausible trip made with the person's own device
 * (see plausibleTrip). Logins from a trusted or shared network neither count nor are judged (their geo-IP country is the network's, not the person's). Medium: travel is common,
 * and the person is the one who can say whether they are abroad.
 */
export function newCountryFindings(input: RuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const events of groupByUser(input.logins)) {
    const familiarity = new Familiarity();
    const seen = new Set<string>();
    const nearby: LatLng[] = [];
    let previous: { event: LoginEvent; coords: LatLng } | null = null;
    for (const event of successesOldestFirst(events)) {
      if (isOrgNetwork(input, event.sourceIp)) continue;
      const iso = countryCode(event.place);
      const homeCarrier = familiarity.isHomeCarrier(sightingOfLogin(event), isMobileLogin(event));
      const known =
        familiarity.knowsIp(event.sourceIp) ||
        homeCarrier ||
        (isMobileLogin(event) && nearKnown(nearby, event)) ||
        (familiarity.knowsDevice(deviceOf(event)) && plausibleTrip(previous, event, input.policy.maxTravelSpeedKmh));
      familiarity.add(event);
      const coords = preciseCoordinates(event.place);
      if (coords) {
        nearby.push(coords);
        // A roaming phone on the person's own carrier "is" at home: no trip is measured from it.
        if (!homeCarrier) previous = { event, coords };
      }
      if (!iso) continue;
      if (seen.size > 0 && !seen.has(iso) && !known) {
        const knownCountries = [...seen].sort();
        findings.push(
          makeFinding({
            rule: NEW_COUNTRY_RULE_ID,
            userId: event.userId,
            subject: 'logins',
            rowIds: [event.id],
            severity: 'medium',
            message:
              `login from a new country: ${placeLabel(event.place) ?? iso} at ${formatUtcTime(event.loginTime)} ` +
              `(earlier logins from ${knownCountries.join(', ')})`,
            evidence: { kind: 'new-country', login: loginPlace(event), countryIso: iso, knownCountries },
          }),
        );
      }
      seen.add(iso);
    }
  }
  return findings;
}

/**
 * A trip the person could have made: from their previous located login to this one at no more
 * than the travel speed policy allows (on the shortest distance geo-IP allows). With their own
 * browser or phone, that is a business trip, not a stranger: a stolen password is typed from the
 * thief's device, and a thief who also has the device is caught by the other rules.
 */
function plausibleTrip(previous: { event: LoginEvent; coords: LatLng } | null, event: LoginEvent, maxSpeedKmh: number): boolean {
  const coords = preciseCoordinates(event.place);
  if (!previous || !coords) return false;
  const km = haversineKm(previous.coords, coords) - slackKm(isMobileLogin(previous.event)) - slackKm(isMobileLogin(event));
  const gapMs = event.loginTime.getTime() - previous.event.loginTime.getTime();
  return km <= 0 || speedKmh(km, gapMs) <= maxSpeedKmh;
}

/** A phone placed within its carrier's slack of a place the person signed in from. */
function nearKnown(places: readonly LatLng[], event: LoginEvent): boolean {
  const coords = preciseCoordinates(event.place);
  if (!coords) return false;
  return places.some((known) => haversineKm(known, coords) <= PLACE_SLACK_KM.mobile + SAME_PLACE_KM);
}

export const newCountryRule: Rule = {
  meta: {
    id: NEW_COUNTRY_RULE_ID,
    title: 'A successful login from a country the user has not logged in from recently',
    severity: 'medium',
    severityNote: 'always medium: travel is common; pair it with impossible-travel or failed logins to judge',
    reads: [],
    runbook: 'Ask the user whether they are travelling or on a new VPN; if not, remove the session and reset the password.',
    subjects: ['logins'],
    surface: ['monitor'],
    askFirst: true,
  },
  evaluate: newCountryFindings,
};
