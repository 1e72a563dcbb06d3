import { formatUtcTime } from '../domain/format';
import { countryCode, placeLabel } from '../domain/geo';
import { isSuccessStatus } from '../domain/login-status';
import type { Finding, LoginEvent } from '../domain/types';
import { loginPlace } from './evidence';
import { groupByUser, isTrustedIp, makeFinding, type Rule, type RuleInput } from './rule';

export const NEW_COUNTRY_RULE_ID = 'new-country';

function byTime(a: LoginEvent, b: LoginEvent): number {
  return a.loginTime.getTime() - b.loginTime.getTime() || (a.id < b.id ? -1 : 1);
}

/**
 * A successful login from a country none of the user's earlier successful logins in the rows given
 * came from. Only successes make a country familiar: an attacker's failed attempts from the same
 * country must not hide their first success. Without at least one earlier login of known country
 * there is nothing to compare with, and no finding. Logins from a trusted network neither count
 * nor are judged (their geo-IP country is the network's, not the person's).
 */
export function newCountryFindings(input: RuleInput): Finding[] {
  const findings: Finding[] = [];
  for (const events of groupByUser(input.logins)) {
    const judged = events.filter((event) => isSuccessStatus(event.status) && !isTrustedIp(input, event.sourceIp)).sort(byTime);
    const seen = new Set<string>();
    for (const event of judged) {
      const iso = countryCode(event.place);
      if (!iso) continue;
      if (seen.size > 0 && !seen.has(iso)) {
        const known = [...seen].sort();
        findings.push(
          makeFinding({
            rule: NEW_COUNTRY_RULE_ID,
            userId: event.userId,
            subject: 'logins',
            rowIds: [event.id],
            severity: 'medium',
            message:
              `login from a new country: ${placeLabel(event.place) ?? iso} at ${formatUtcTime(event.loginTime)} ` + `(earlier logins from ${known.join(', ')})`,
            evidence: { kind: 'new-country', login: loginPlace(event), countryIso: iso, knownCountries: known },
          }),
        );
      }
      seen.add(iso);
    }
  }
  return findings;
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
  },
  evaluate: newCountryFindings,
};
