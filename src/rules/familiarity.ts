/**
 * What a person's own history says is ordinary for them — the addresses, networks, places,
 * countries and devices of their earlier successful logins — and how precise a geo-IP place is.
 * The rules ask these questions instead of treating every login as the first one ever seen:
 * a place seen before is neither "new" nor "impossible", a password mistyped from the usual
 * address and browser is a typo. Pure.
 */
import ipaddr from 'ipaddr.js';
import { coordinatesOf, countryCode, haversineKm, type LatLng } from '../domain/geo';
import { isSuccessStatus } from '../domain/login-status';
import type { LoginEvent, Place, Session, SessionLogin } from '../domain/types';

/** Two geo-IP places this close are the same place for a person (city guesses, suburbs, carriers' exits). */
export const SAME_PLACE_KM = 200;

/**
 * How far a geo-IP place may be from where the person really is, beyond the noise floor every
 * pair already gets (MIN_DISTANCE_KM, src/rules/travel.ts): a fixed line's city-level place is
 * within it; a phone on a carrier network is placed at the carrier's gateway, often hundreds of km
 * away. A place known only to its country has no usable distance at all (see preciseCoordinates).
 */
export const PLACE_SLACK_KM = { fixed: 0, mobile: 500 } as const;

const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The network an address belongs to for familiarity: an ISP renumbers within /24 (IPv4) or /48 (IPv6). */
export function networkOf(ip: string | null | undefined): string | null {
  const text = ip?.trim();
  if (!text) return null;
  const v4 = DOTTED_QUAD.exec(text);
  // The common case without ipaddr.js's general parser (each rule asks for every login of a person's window).
  if (v4) return v4.slice(1).every((part) => Number(part) <= 255 && (part === '0' || !part.startsWith('0'))) ? `${v4[1]}.${v4[2]}.${v4[3]}.0/24` : null;
  // Neither four decimal parts nor IPv6: no address. (ipaddr.js's IPv4 check throws and catches on IPv6 text: slow.)
  if (!text.includes(':')) return null;
  const known = V6_NETWORKS.get(text);
  if (known !== undefined) return known;
  const network = v6NetworkOf(text);
  // Bounded: a person's phone gets a new carrier address daily, and the cache must not grow with the org's history.
  if (V6_NETWORKS.size >= MAX_V6_NETWORKS) V6_NETWORKS.clear();
  V6_NETWORKS.set(text, network);
  return network;
}

const V6_NETWORKS = new Map<string, string | null>();
const MAX_V6_NETWORKS = 50_000;

function v6NetworkOf(text: string): string | null {
  try {
    if (!ipaddr.IPv6.isValid(text)) return null;
    const v6 = ipaddr.IPv6.parse(text);
    if (v6.isIPv4MappedAddress()) return networkOf(v6.toIPv4Address().toString());
    return `${v6.parts
      .slice(0, 3)
      .map((p) => p.toString(16))
      .join(':')}::/48`;
  } catch {
    return null;
  }
}

function normalIp(ip: string | null | undefined): string | null {
  const text = ip?.trim().toLowerCase();
  return text ? text : null;
}

/** Browser and platform as one token; null when neither is known (an unknown device is not a familiar one). */
export function deviceOf(login: { browser: string | null; platform: string | null } | null | undefined): string | null {
  const browser = login?.browser?.trim().toLowerCase() ?? '';
  const platform = login?.platform?.trim().toLowerCase() ?? '';
  return browser || platform ? `${browser}|${platform}` : null;
}

const MOBILE_WORDS = /\b(ios|iphone|ipad|android|mobile)\b/i;

/** A phone or tablet app login: its geo-IP place is the carrier's gateway, not the person. */
export function isMobileLogin(login: Pick<SessionLogin, 'application' | 'platform' | 'browser'> | null | undefined): boolean {
  if (!login) return false;
  return [login.application, login.platform, login.browser].some((text) => Boolean(text && MOBILE_WORDS.test(text)));
}

/** Coordinates worth measuring distance from: a city-level place. Country-only places have a centroid, not a location. */
export function preciseCoordinates(place: Place | null | undefined): LatLng | null {
  if (!place?.city?.trim()) return null;
  return coordinatesOf(place);
}

export function slackKm(mobile: boolean): number {
  return mobile ? PLACE_SLACK_KM.mobile : PLACE_SLACK_KM.fixed;
}

/** A login or session as the familiarity questions see it. */
export interface Sighting {
  ip: string | null;
  place: Place | null;
  device: string | null;
}

export function sightingOfLogin(event: LoginEvent): Sighting {
  return { ip: event.sourceIp, place: event.place, device: deviceOf(event) };
}

export function sightingOfSession(session: Session, place: Place | null = session.place): Sighting {
  return { ip: session.sourceIp, place, device: deviceOf(session.login) };
}

/** How much of a sighting the history recognises. */
export interface Recognition {
  ip: boolean;
  network: boolean;
  place: boolean;
  country: boolean;
  device: boolean;
}

/** One user's successful logins, accumulated in time order (add as you walk forward). */
export class Familiarity {
  private readonly ips = new Set<string>();
  private readonly networks = new Set<string>();
  private readonly countries = new Set<string>();
  private readonly devices = new Set<string>();
  /** One representative per ~50 km cell: people have few places, so a linear scan is cheap. */
  private readonly places: LatLng[] = [];
  private readonly cells = new Set<string>();
  private seen = 0;

  /** Builds it from the successful logins among `events` (any order). */
  static of(events: Iterable<LoginEvent>): Familiarity {
    const familiarity = new Familiarity();
    for (const event of events) familiarity.add(event);
    return familiarity;
  }

  /** Learns a login; failures teach nothing (an attacker's failed attempts must not make their place familiar). */
  add(event: LoginEvent): void {
    if (!isSuccessStatus(event.status)) return;
    this.learn(sightingOfLogin(event));
  }

  learn(sighting: Sighting): void {
    this.seen += 1;
    const ip = normalIp(sighting.ip);
    if (ip) this.ips.add(ip);
    const network = networkOf(ip);
    if (network) this.networks.add(network);
    const iso = countryCode(sighting.place);
    if (iso) this.countries.add(iso);
    if (sighting.device) this.devices.add(sighting.device);
    const coords = preciseCoordinates(sighting.place);
    if (coords) {
      const cell = `${Math.round(coords.latitude * 2)}:${Math.round(coords.longitude * 2)}`;
      if (!this.cells.has(cell)) {
        this.cells.add(cell);
        this.places.push(coords);
      }
    }
  }

  /** How many successful logins it has learned. */
  get size(): number {
    return this.seen;
  }

  knowsIp(ip: string | null | undefined): boolean {
    const text = normalIp(ip);
    return text !== null && this.ips.has(text);
  }

  knowsNetwork(ip: string | null | undefined): boolean {
    const network = networkOf(ip);
    return network !== null && this.networks.has(network);
  }

  knowsCountry(iso: string | null | undefined): boolean {
    return Boolean(iso && this.countries.has(iso));
  }

  /** A place within SAME_PLACE_KM of one seen before; a place without city-level coordinates falls back to its country. */
  knowsPlace(place: Place | null | undefined): boolean {
    const coords = preciseCoordinates(place);
    if (!coords) return this.knowsCountry(countryCode(place));
    return this.places.some((known) => haversineKm(known, coords) <= SAME_PLACE_KM);
  }

  knowsDevice(device: string | null): boolean {
    return device !== null && this.devices.has(device);
  }

  recognise(sighting: Sighting): Recognition {
    return {
      ip: this.knowsIp(sighting.ip),
      network: this.knowsNetwork(sighting.ip),
      place: this.knowsPlace(sighting.place),
      country: this.knowsCountry(countryCode(sighting.place)),
      device: this.knowsDevice(sighting.device),
    };
  }

  /**
   * A phone app login from a network the person signed in from before: their own carrier. Its
   * geo-IP place is where that carrier's traffic leaves the internet — at home even while its owner
   * is abroad, since roaming traffic usually exits in the home country — so it says nothing about
   * where the person is, and travel is judged without it.
   */
  isHomeCarrier(sighting: Sighting, mobile: boolean): boolean {
    return mobile && this.knowsNetwork(sighting.ip);
  }

  /** The person's usual source: the same address, or the same network from a browser they use. */
  isUsualSource(sighting: Sighting): boolean {
    if (this.knowsIp(sighting.ip)) return true;
    return this.knowsNetwork(sighting.ip) && this.knowsDevice(sighting.device);
  }
}

/** Successful logins in time order (oldest first), ties by id: the order familiarity is learned in. */
export function successesOldestFirst(events: readonly LoginEvent[]): LoginEvent[] {
  return events.filter((event) => isSuccessStatus(event.status)).sort((a, b) => a.loginTime.getTime() - b.loginTime.getTime() || (a.id < b.id ? -1 : 1));
}
