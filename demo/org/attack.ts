import { addLogin, addSessionFamily, type Rng } from '../../test/standins/salesforce/generator';
import type { Org } from '../../test/standins/salesforce/org';
import { place, type GeoPlace } from '../../test/standins/salesforce/places';
import { proxyIp } from './addresses';
import { ATTACKER_DEVICE } from './devices';
import { loginRefusal } from './families';
import { before, SECOND_MS } from './time';

/**
 * One round of the attacker holding a colleague's password: a burst of wrong guesses from a
 * proxy in a country the victim has never signed in from, then the right password. What Salesforce
 * answers depends on what the security team has done meanwhile: a frozen or deactivated user is
 * refused, and after a password reset the stolen password is just another wrong one.
 */
export interface AttackRound {
  place: GeoPlace;
  sourceIp: string;
  /** Wrong passwords before the last attempt. */
  failures: number;
  /** Null when the attacker got in; otherwise Salesforce's LoginHistory status for the last attempt. */
  refusal: string | null;
  /** The attacker's new session family (root first); empty when refused. */
  sessionIds: string[];
  /** The victim had no successful login from this country before. */
  newCountry: boolean;
}

/** Proxy locations, far from everywhere Acme works; tried in a seeded order, new countries first. */
const PROXY_CITIES = ['Lagos', 'Beijing', 'Istanbul', 'Kyiv', 'Cairo', 'Dubai', 'Hong Kong', 'Johannesburg', 'Buenos Aires', 'Seoul'] as const;

/** Countries the user has successfully signed in from, as LoginHistory records them. */
export function countriesSignedInFrom(org: Org, userId: string): Set<string> {
  const countries = new Set<string>();
  for (const row of org.byReference('LoginHistory', 'UserId', userId)) {
    if (row.Status === 'Success' && typeof row.CountryIso === 'string') countries.add(row.CountryIso);
  }
  return countries;
}

export interface AttackOptions {
  /** The security team reset the victim's password: the stolen one no longer works. */
  passwordReset: boolean;
}

export function attackOnce(org: Org, r: Rng, userId: string, now: Date, options: AttackOptions): AttackRound {
  const known = countriesSignedInFrom(org, userId);
  const proxies = PROXY_CITIES.map(place);
  const fresh = proxies.filter((p) => !known.has(p.countryIso));
  const where = r.pick(fresh.length > 0 ? fresh : proxies);
  // A new proxy in a new network each round: an address (or /48) the victim's history already shows
  // would read as the same place, or as an address the person signs in from.
  const used = new Set(org.byReference('LoginHistory', 'UserId', userId).map((row) => row.SourceIp));
  const start = r.int(200);
  const sourceIp = Array.from({ length: 200 }, (_, i) => proxyIp(start + i)).find((ip) => !used.has(ip)) ?? proxyIp(start);
  const attempt = { userId, sourceIp, place: where, ...ATTACKER_DEVICE };

  // Every row lands at most ~70 s before `now`: inside the bot's two-minute polling overlap, never in the future.
  const lastAttemptAt = before(now, r.between(20, 30) * SECOND_MS);
  const failures = r.between(3, 5);
  const gapMs = r.between(5, 8) * SECOND_MS;
  for (let i = failures; i >= 1; i--) addLogin(org, { ...attempt, at: before(lastAttemptAt, i * gapMs), status: 'Invalid Password' });

  const refusal = loginRefusal(org, userId) ?? (options.passwordReset ? 'Invalid Password' : null);
  if (refusal) {
    addLogin(org, { ...attempt, at: lastAttemptAt, status: refusal });
    return { place: where, sourceIp, failures, refusal, sessionIds: [], newCountry: false };
  }
  const family = addSessionFamily(org, {
    userId,
    createdAt: lastAttemptAt,
    lastActivityAt: now,
    sourceIp,
    place: where,
    children: ['Aura', 'Visualforce', 'API'],
    login: ATTACKER_DEVICE,
    rng: r,
  });
  return { place: where, sourceIp, failures, refusal: null, sessionIds: [family.rootId, ...family.childIds], newCountry: !known.has(where.countryIso) };
}
