import { formatDuration, formatKm, formatUtcTime } from '../domain/format';
import { coordinatesOf, haversineKm, placeLabel, type LatLng } from '../domain/geo';
import { isSuccessStatus } from '../domain/login-status';
import type { Finding, LoginEvent } from '../domain/types';
import { loginPlace } from './evidence';
import { groupByUser, isTrustedIp, makeFinding, type Rule, type RuleInput } from './rule';
import { MIN_DISTANCE_KM, speedKmh } from './travel';

export const IMPOSSIBLE_TRAVEL_RULE_ID = 'impossible-travel';

interface Located {
  event: LoginEvent;
  coords: LatLng;
}

function byTime(a: Located, b: Located): number {
  return a.event.loginTime.getTime() - b.event.loginTime.getTime() || (a.event.id < b.event.id ? -1 : 1);
}

function where(located: Located): string {
  return placeLabel(located.event.place) ?? `${located.coords.latitude.toFixed(1)}, ${located.coords.longitude.toFixed(1)}`;
}

/**
 * Two consecutive successful logins of one user from places too far apart for the time between
 * them (implied speed above policy.maxTravelSpeedKmh). Unlike distant-places it reads LoginHistory,
 * so it still sees the trip after the first session has ended. Logins without coordinates, from a
 * trusted network, or closer than the geo-IP noise floor say nothing about travel and are skipped.
 * Logins of the bot's own user are judged like anyone's: a stolen bot key used elsewhere must show.
 */
export function impossibleTravelFindings(input: RuleInput): Finding[] {
  const { logins, policy } = input;
  const findings: Finding[] = [];
  for (const events of groupByUser(logins)) {
    const located: Located[] = [];
    for (const event of events) {
      if (!isSuccessStatus(event.status) || isTrustedIp(input, event.sourceIp)) continue;
      const coords = coordinatesOf(event.place);
      if (coords) located.push({ event, coords });
    }
    located.sort(byTime);
    for (let i = 1; i < located.length; i += 1) {
      const before = located[i - 1];
      const after = located[i];
      if (!before || !after) continue;
      const km = haversineKm(before.coords, after.coords);
      if (km < MIN_DISTANCE_KM) continue;
      const gapMs = after.event.loginTime.getTime() - before.event.loginTime.getTime();
      const speed = speedKmh(km, gapMs);
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
            speedKmh: speed,
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
    severityNote: 'always high',
    reads: ['maxTravelSpeedKmh'],
    runbook: 'Ask the user whether both logins are theirs (VPN, mobile carrier); if not, contain: freeze, remove sessions, reset the password.',
    subjects: ['logins'],
    surface: ['monitor'],
  },
  evaluate: impossibleTravelFindings,
};
