import { formatDuration, formatKm, formatUtcTime } from '../domain/format';
import { haversineKm, placeLabel, type LatLng } from '../domain/geo';
import { Familiarity, isMobileLogin, preciseCoordinates, sightingOfLogin, slackKm, successesOldestFirst } from './familiarity';
import type { Finding, LoginEvent } from '../domain/types';
import { loginPlace } from './evidence';
import { groupByUser, isSharedIp, isTrustedIp, makeFinding, type Rule, type RuleInput } from './rule';
import { MIN_DISTANCE_KM, speedKmh } from './travel';

export const IMPOSSIBLE_TRAVEL_RULE_ID = 'impossible-travel';

interface Located {
  event: LoginEvent;
  coords: LatLng;
  slack: number;
}

function where(located: Located): string {
  return placeLabel(located.event.place) ?? `${located.coords.latitude.toFixed(1)}, ${located.coords.longitude.toFixed(1)}`;
}

/**
 * Two consecutive successful logins of one user from places too far apart for the time between
 * them (implied speed above policy.maxTravelSpeedKmh). Unlike distant-places it reads LoginHistory,
 * so it still sees the trip after the first session has ended. Geo-IP is approximate: each place
 * may be off by its slack (a phone's carrier gateway far more than a fixed line), so the distance
 * judged is the shortest the two places allow, and it must still exceed the noise floor. A login
 * from a place the person signed in from before is not a trip (home after a VPN, the second of two
 * offices, an integration's other cloud region). Logins without city-level coordinates or from a
 * trusted network say nothing about travel and are skipped, as are the person's phone app logins from
 * their own carrier's network (see Familiarity.isHomeCarrier: a roaming phone "is" at home). Logins of the bot's own user are
 * judged like anyone's: a stolen bot key used elsewhere must show.
 */
export function impossibleTravelFindings(input: RuleInput): Finding[] {
  const { logins, policy } = input;
  const findings: Finding[] = [];
  for (const events of groupByUser(logins)) {
    const familiarity = new Familiarity();
    let previous: Located | null = null;
    for (const event of successesOldestFirst(events)) {
      if (isTrustedIp(input, event.sourceIp)) continue;
      const coords = preciseCoordinates(event.place);
      // A shared address (an office, a VPN exit) is a reference, never the suspect, and vouches for no place.
      const shared = isSharedIp(input, event.sourceIp);
      const known = familiarity.knowsPlace(event.place);
      const homeCarrier = familiarity.isHomeCarrier(sightingOfLogin(event), isMobileLogin(event));
      if (!shared) familiarity.add(event);
      // The person's own phone on their own carrier: placed where the carrier exits, not where they are (roaming).
      if (!coords || homeCarrier) continue;
      const after: Located = { event, coords, slack: slackKm(isMobileLogin(event)) };
      const before = previous;
      previous = after;
      if (!before || known || shared) continue;
      const km = haversineKm(before.coords, after.coords);
      const judgedKm = km - before.slack - after.slack;
      if (judgedKm < MIN_DISTANCE_KM) continue;
      const gapMs = after.event.loginTime.getTime() - before.event.loginTime.getTime();
      const speed = speedKmh(judgedKm, gapMs);
      if (speed <= policy.maxTravelSpeedKmh) continue;
      findings.push(
        makeFinding({
          rule: IMPOSSIBLE_TRAVEL_RULE_ID,
          userId: after.event.userId,
          subject: 'logins',
          rowIds: [before.event.id, after.event.id],
          severity: 'high',
          message:
            `login from ${where(after)} at ${formatUtcTime(after.event.loginTime)}, ${formatKm(km)} from the ` +
            `previous login in ${where(before)} at ${formatUtcTime(before.event.loginTime)} (${formatDuration(gapMs)} apart)`,
          evidence: {
            kind: 'travel',
            from: loginPlace(before.event),
            to: loginPlace(after.event),
            km,
            speedKmh: speedKmh(km, gapMs),
            gapMs,
          },
        }),
      );
    }
  }
  return findings;
}

export const impossibleTravelRule: Rule = {
  meta: {
    id: IMPOSSIBLE_TRAVEL_RULE_ID,
    title: 'Consecutive successful logins from places too far apart for the time between them',
    severity: 'high',
    severityNote: 'always high; never raised for a place the person signed in from before, or closer than geo-IP can tell apart',
    reads: ['maxTravelSpeedKmh'],
    runbook: 'Ask the user whether both logins are theirs (VPN, mobile carrier); if not, contain: freeze, remove sessions, reset the password.',
    subjects: ['logins'],
    surface: ['monitor'],
  },
  evaluate: impossibleTravelFindings,
};
