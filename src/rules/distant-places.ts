import { familyExpiresAt, familyLoginTime, familyPlaceSession, isBotOwnFamily } from '../domain/families';
import { formatDuration, formatKm, plural } from '../domain/format';
import { countryCode, haversineKm, placeLabel, type LatLng } from '../domain/geo';
import { isSuccessStatus } from '../domain/login-status';
import type { Finding, LoginEvent, Place, SessionFamily } from '../domain/types';
import { deviceOf, isMobileLogin, networkOf, preciseCoordinates, SAME_PLACE_KM, slackKm } from './familiarity';
import { familyPlace } from './evidence';
import { MIN_DISTANCE_KM, speedKmh } from './travel';
import { groupByUser, isOrgNetwork, isSharedIp, isTrustedIp, makeFinding, type Rule, type RuleInput } from './rule';

export const DISTANT_PLACES_RULE_ID = 'distant-places';

const HOUR_MS = 3_600_000;
/** Families not alive at the same time still count when their logins are this close together. */
export const CREATED_WINDOW_MS = 24 * HOUR_MS;
/** Above this many distinct places, each place is compared only against a reference set (see below). */
const MAX_FULL_GROUPS = 250;
const REFERENCE_LARGEST = 16;
const REFERENCE_FARTHEST = 16;
const REFERENCE_COUNTRIES = 32;

interface Entry {
  family: SessionFamily;
  place: Place | null;
  /** City-level coordinates only: a country-level place has a centroid, not a location. */
  coords: LatLng | null;
  iso: string | null;
  /** How far geo-IP may have put this session from the person (a phone far more than a desk). */
  slack: number;
  /** A phone app's session: roaming traffic leaves the internet at home, wherever the phone is. */
  mobile: boolean;
  network: string | null;
  device: string | null;
  /** Login time, ms. */
  time: number;
  aliveFrom: number;
  aliveUntil: number;
}

/** Families at (about) the same place: same ~10 km cell, or same country when coordinates are unknown. */
interface Group {
  coords: LatLng | null;
  iso: string | null;
  /** Sorted by time. */
  entries: Entry[];
  /** The person signed in from this place before these sessions began (see knownGroups). */
  known: boolean;
}

type Relation = { kind: 'distance'; km: number } | { kind: 'country' };

interface Candidate {
  self: Entry;
  other: Entry;
  older: Entry;
  newer: Entry;
  gapMs: number;
  /** Set for coordinate pairs; null when only the countries differ. */
  km: number | null;
  severityRank: number;
  score: number;
}

function toEntry(family: SessionFamily): Entry {
  const located = familyPlaceSession(family);
  const place = located.place;
  const login = located.login ?? family.root.login;
  const mobile = isMobileLogin(login);
  return {
    family,
    place,
    coords: preciseCoordinates(place),
    iso: countryCode(place),
    slack: slackKm(mobile),
    mobile,
    network: networkOf(located.sourceIp ?? family.root.sourceIp),
    device: deviceOf(login),
    time: familyLoginTime(family).getTime(),
    aliveFrom: family.root.createdAt.getTime(),
    aliveUntil: familyExpiresAt(family).getTime(),
  };
}

function groupKey(entry: Entry): string | null {
  if (entry.coords) return `c:${Math.round(entry.coords.latitude * 10)}:${Math.round(entry.coords.longitude * 10)}`;
  if (entry.iso) return `i:${entry.iso}`;
  return null;
}

function buildGroups(families: readonly SessionFamily[]): Group[] {
  const groups = new Map<string, Group>();
  for (const family of families) {
    const entry = toEntry(family);
    const key = groupKey(entry);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.entries.push(entry);
    else groups.set(key, { coords: entry.coords, iso: entry.iso, entries: [entry], known: false });
  }
  const list = [...groups.values()];
  for (const group of list) group.entries.sort((a, b) => a.time - b.time);
  return list;
}

function relationOf(a: Group, b: Group): Relation | null {
  if (a.coords && b.coords) {
    const km = haversineKm(a.coords, b.coords);
    return km >= MIN_DISTANCE_KM ? { kind: 'distance', km } : null;
  }
  if (a.iso && b.iso && a.iso !== b.iso) return { kind: 'country' };
  return null;
}

/** The entry of `entries` (sorted by time) whose time is closest to `time`. */
function nearestInTime(entries: readonly Entry[], time: number): Entry | undefined {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const entry = entries[mid];
    if (entry && entry.time < time) low = mid + 1;
    else high = mid;
  }
  const after = entries[low];
  const before = entries[low - 1];
  if (!before) return after;
  if (!after) return before;
  return time - before.time <= after.time - time ? before : after;
}

function aliveTogether(a: Entry, b: Entry): boolean {
  return Math.abs(a.time - b.time) <= CREATED_WINDOW_MS || (a.aliveFrom <= b.aliveUntil && b.aliveFrom <= a.aliveUntil);
}

function label(entry: Entry): string {
  const named = placeLabel(entry.place);
  if (named) return named;
  if (entry.coords) return `${entry.coords.latitude.toFixed(1)}, ${entry.coords.longitude.toFixed(1)}`;
  return 'an unknown place';
}

/** Messages are built only for the pairs reported, so this stays cheap on the hot path. */
function evaluate(a: Entry, b: Entry, relation: Relation, maxSpeedKmh: number): Candidate | null {
  if (!aliveTogether(a, b)) return null;
  const gapMs = Math.abs(a.time - b.time);
  const [older, newer] = a.time <= b.time ? [a, b] : [b, a];
  if (relation.kind === 'distance') {
    // Exact distance for the pair; the group's distance is from its first member's coordinates.
    const km = a.coords && b.coords ? haversineKm(a.coords, b.coords) : relation.km;
    // The shortest distance the two geo-IP guesses allow must still beat the noise floor and the speed.
    const judgedKm = km - a.slack - b.slack;
    if (judgedKm < MIN_DISTANCE_KM) return null;
    const speed = speedKmh(judgedKm, gapMs);
    if (speed <= maxSpeedKmh) return null;
    return { self: a, other: b, older, newer, gapMs, km, severityRank: 2, score: speed };
  }
  return { self: a, other: b, older, newer, gapMs, km: null, severityRank: 1, score: -gapMs };
}

/** Worded from the suspect session: where the stranger is, against where the person is. */
function messageOf(candidate: Candidate): string {
  const { self, other, km } = candidate;
  const apart = `${formatDuration(candidate.gapMs)} apart`;
  const distance = km === null ? 'a different country' : formatKm(km);
  return `another session from ${label(self)} — ${distance} from ${label(other)}, ${apart}`;
}

function better(candidate: Candidate, current: Candidate | undefined): boolean {
  if (!current) return true;
  if (candidate.severityRank !== current.severityRank) return candidate.severityRank > current.severityRank;
  return candidate.score > current.score;
}

/**
 * Group pairs to compare. All pairs while the number of distinct places is small; beyond that,
 * every place is compared only against a reference set: where the user mostly is (largest groups),
 * the places farthest from there, and one place per other country. That keeps the outlier
 * ("one session from Moscow among 3,000 from California") found at O(places × reference).
 */
function groupPairs(groups: readonly Group[]): Array<[Group, Group]> {
  const pairs: Array<[Group, Group]> = [];
  if (groups.length <= MAX_FULL_GROUPS) {
    for (const a of groups) for (const b of groups) if (a !== b) pairs.push([a, b]);
    return pairs;
  }
  const bySize = [...groups].sort((a, b) => b.entries.length - a.entries.length);
  const reference = new Set<Group>(bySize.slice(0, REFERENCE_LARGEST));
  const home = bySize[0]?.coords;
  if (home) {
    const withCoords = groups.filter((g) => g.coords !== null);
    const distance = new Map(withCoords.map((g) => [g, g.coords ? haversineKm(home, g.coords) : 0]));
    withCoords.sort((a, b) => (distance.get(b) ?? 0) - (distance.get(a) ?? 0));
    for (const g of withCoords.slice(0, REFERENCE_FARTHEST)) reference.add(g);
  }
  const countries = new Set<string>();
  for (const g of bySize) {
    if (!g.iso || countries.has(g.iso) || countries.size >= REFERENCE_COUNTRIES) continue;
    countries.add(g.iso);
    reference.add(g);
  }
  for (const r of reference) {
    for (const g of groups) {
      if (g === r) continue;
      pairs.push([g, r]);
      if (!reference.has(g)) pairs.push([r, g]);
    }
  }
  return pairs;
}

/**
 * Two session families of one user logged in from places too far apart for the time between
 * them (implied speed above policy.maxTravelSpeedKmh, on the shortest distance geo-IP allows), or
 * — when coordinates are missing — from different countries, while both were alive or within a
 * day of each other. Places the person signed in from before the sessions began are theirs (two
 * offices, home and a VPN exit, an integration's two cloud regions): a pair of known places is
 * nothing. The finding names the suspect sessions only — those from a place the person does not
 * know, or, without history, the smaller side — so "Remove these sessions" and "No, not me" end
 * the stranger's sessions and never the one the person is using; the alert resolves when the
 * suspect sessions end. The bot's own families, and families from a trusted network, take no part;
 * the person's phone on their own carrier is not compared with a browser they use (roamingPairs).
 */
export function distantPlacesFindings(input: RuleInput): Finding[] {
  const { families, policy, botUserId } = input;
  const judged = families.filter((family) => !isBotOwnFamily(family, botUserId) && !isTrustedIp(input, familyIp(family)));
  const byUser = groupByUser(judged.map((family) => ({ userId: family.root.userId, family })));
  return byUser.flatMap((rows) => {
    const userId = rows[0]?.userId ?? '';
    // A login from a trusted or shared network places the network, not the person: it vouches for no place.
    const history = input.logins.filter((event) => event.userId === userId && !isOrgNetwork(input, event.sourceIp));
    return findingsForUser(
      rows.map((row) => row.family),
      history,
      policy.maxTravelSpeedKmh,
      (family) => isSharedIp(input, familyIp(family)),
    );
  });
}

function familyIp(family: SessionFamily): string | null {
  return familyPlaceSession(family).sourceIp ?? family.root.sourceIp;
}

/** A login this long before a group's first session vouches for its place (the group's own login does not). */
const KNOWN_BEFORE_MS = HOUR_MS;

/** Marks the groups whose place the person signed in from (successfully) before the group's first session. */
function markKnown(groups: readonly Group[], logins: readonly LoginEvent[]): void {
  if (logins.length === 0) return;
  // Earliest success per ~50 km cell (or per country without coordinates): people have few places.
  const cells = new Map<string, { coords: LatLng | null; iso: string | null; earliest: number }>();
  for (const event of logins) {
    if (!isSuccessStatus(event.status)) continue;
    const coords = preciseCoordinates(event.place);
    const iso = countryCode(event.place);
    const key = coords ? `c:${Math.round(coords.latitude * 2)}:${Math.round(coords.longitude * 2)}` : iso ? `i:${iso}` : null;
    if (!key) continue;
    const at = event.loginTime.getTime();
    const held = cells.get(key);
    if (!held) cells.set(key, { coords, iso, earliest: at });
    else if (at < held.earliest) held.earliest = at;
  }
  for (const group of groups) {
    const first = group.entries[0];
    if (!first) continue;
    const cutoff = Math.min(first.time, first.aliveFrom) - KNOWN_BEFORE_MS;
    for (const cell of cells.values()) {
      if (cell.earliest >= cutoff) continue;
      const same =
        group.coords && cell.coords ? haversineKm(group.coords, cell.coords) <= SAME_PLACE_KM : !group.coords && group.iso !== null && cell.iso === group.iso;
      if (same) {
        group.known = true;
        break;
      }
    }
  }
}

/**
 * Whether a pair is the person's own phone on their own carrier beside a session from a browser
 * they use: roaming traffic leaves the internet in the home country, so the phone "is" at home
 * while its owner works abroad. Both known from successful logins before the sessions began.
 */
function roamingPairs(logins: readonly LoginEvent[]): (a: Entry, b: Entry) => boolean {
  const networks = new Map<string, number>();
  const devices = new Map<string, number>();
  const note = (seen: Map<string, number>, key: string | null, at: number): void => {
    if (key !== null && at < (seen.get(key) ?? Infinity)) seen.set(key, at);
  };
  for (const event of logins) {
    if (!isSuccessStatus(event.status)) continue;
    const at = event.loginTime.getTime();
    note(networks, networkOf(event.sourceIp), at);
    note(devices, deviceOf(event), at);
  }
  const knownBefore = (seen: ReadonlyMap<string, number>, key: string | null, entry: Entry): boolean =>
    key !== null && (seen.get(key) ?? Infinity) < Math.min(entry.time, entry.aliveFrom) - KNOWN_BEFORE_MS;
  const homePhone = (entry: Entry): boolean => entry.mobile && knownBefore(networks, entry.network, entry);
  const ownDevice = (entry: Entry): boolean => knownBefore(devices, entry.device, entry);
  return (a, b) => (homePhone(a) && ownDevice(b)) || (homePhone(b) && ownDevice(a));
}

function findingsForUser(
  families: readonly SessionFamily[],
  logins: readonly LoginEvent[],
  maxSpeedKmh: number,
  fromSharedNetwork: (family: SessionFamily) => boolean,
): Finding[] {
  const groups = buildGroups(families);
  if (groups.length < 2) return [];
  markKnown(groups, logins);
  const roaming = roamingPairs(logins);
  const best = new Map<Entry, Candidate>();
  const groupOf = new Map<Entry, Group>();
  for (const group of groups) for (const entry of group.entries) groupOf.set(entry, group);
  for (const [from, to] of groupPairs(groups)) {
    if (from.known && to.known) continue;
    const relation = relationOf(from, to);
    if (!relation) continue;
    for (const entry of from.entries) {
      const other = nearestInTime(to.entries, entry.time);
      if (!other || roaming(entry, other)) continue;
      const candidate = evaluate(entry, other, relation, maxSpeedKmh);
      if (candidate && better(candidate, best.get(entry))) best.set(entry, candidate);
    }
  }
  // A session from the org's own network (an office, a VPN exit) is a counterpart, never the suspect.
  const suspects = suspectsOf(best, groupOf, regionSizes(groups)).filter((candidate) => !fromSharedNetwork(candidate.self.family));
  const strongest = suspects.reduce<Candidate | undefined>((held, candidate) => (better(candidate, held) ? candidate : held), undefined);
  if (!strongest) return [];
  // One finding per user naming every suspect session: the monitor keeps one alert per rule and
  // user, and "Remove these sessions" must end all of the stranger's sessions, none of the person's.
  const named = [...new Set(suspects.map((candidate) => candidate.self))].sort((a, b) => a.time - b.time);
  const sessionIds = named.map((entry) => entry.family.root.id);
  const more = sessionIds.length - 1;
  const { older, newer, km, gapMs } = strongest;
  return [
    makeFinding({
      rule: DISTANT_PLACES_RULE_ID,
      userId: older.family.root.userId,
      subject: 'sessions',
      rowIds: sessionIds,
      severity: strongest.severityRank === 2 ? 'high' : 'medium',
      message: more > 0 ? `${messageOf(strongest)} (${plural(sessionIds.length, 'session')} from there)` : messageOf(strongest),
      sessionIds,
      evidence: {
        kind: 'travel',
        from: familyPlace(older.family),
        to: familyPlace(newer.family),
        km,
        speedKmh: km === null ? null : speedKmh(km, gapMs),
        gapMs,
      },
    }),
  ];
}

/**
 * The candidates whose own session is the suspect one. A session from a place the person knows is
 * never a suspect while its counterpart's place is unknown. Without history on either side, the
 * smaller side is the stranger's (one session from Moscow among 3,000 from California; sessions near
 * each other count as one side), and on a tie the later login.
 */
/** Login order, ties broken by root id so exactly one of two simultaneous logins is the later. */
function later(a: Entry, b: Entry): boolean {
  return a.time !== b.time ? a.time > b.time : a.family.root.id > b.family.root.id;
}

/**
 * How many of the user's sessions are at or near each group's place (within SAME_PLACE_KM, or the
 * same country without coordinates): San Francisco and Oakland are one side against Moscow.
 */
function regionSizes(groups: readonly Group[]): Map<Group, number> {
  const sizes = new Map<Group, number>();
  // Pairwise, so only while the places are few (as groupPairs); beyond that each place counts alone.
  if (groups.length > MAX_FULL_GROUPS) return sizes;
  for (const group of groups) {
    let size = 0;
    for (const other of groups) {
      const near =
        group === other ||
        (group.coords && other.coords ? haversineKm(group.coords, other.coords) <= SAME_PLACE_KM : !group.coords && !other.coords && group.iso === other.iso);
      if (near) size += other.entries.length;
    }
    sizes.set(group, size);
  }
  return sizes;
}

function suspectsOf(best: ReadonlyMap<Entry, Candidate>, groupOf: ReadonlyMap<Entry, Group>, region: ReadonlyMap<Group, number>): Candidate[] {
  const out: Candidate[] = [];
  for (const candidate of best.values()) {
    const self = groupOf.get(candidate.self);
    const other = groupOf.get(candidate.other);
    if (!self || !other || self.known) continue;
    if (other.known) {
      out.push(candidate);
      continue;
    }
    const mine = region.get(self) ?? self.entries.length;
    const theirs = region.get(other) ?? other.entries.length;
    if (mine < theirs || (mine === theirs && later(candidate.self, candidate.other))) out.push(candidate);
  }
  return out;
}

export const distantPlacesRule: Rule = {
  meta: {
    id: DISTANT_PLACES_RULE_ID,
    title: 'Live sessions of one user from places too far apart for the time between their logins',
    severity: 'high',
    severityNote:
      'high when the implied speed beats maxTravelSpeedKmh on the shortest distance geo-IP allows; medium when only the countries are known to differ; never for two places the person signed in from before',
    reads: ['maxTravelSpeedKmh'],
    runbook: 'Ask the user whether both places are theirs (VPN, travel); if not, contain: freeze, remove the sessions, reset the password.',
    subjects: ['sessions'],
    surface: ['sessions', 'monitor'],
    askFirst: true,
  },
  evaluate: distantPlacesFindings,
};
