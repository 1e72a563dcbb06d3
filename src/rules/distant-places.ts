import { familyExpiresAt, familyLoginTime, familyPlaceSession, isBotOwnFamily } from '../domain/families';
import { formatDuration, formatKm, plural } from '../domain/format';
import { coordinatesOf, countryCode, haversineKm, placeLabel, type LatLng } from '../domain/geo';
import type { Finding, Place, SessionFamily } from '../domain/types';
import { familyPlace } from './evidence';
import { MIN_DISTANCE_KM, speedKmh } from './travel';
import { groupByUser, isTrustedIp, makeFinding, type Rule, type RuleInput } from './rule';

export const DISTANT_PLACES_RULE_ID = 'distant-places';

const HOUR_MS = 3_600_000;
/** Families not alive at the same time still count when their logins are this close together. */
export const CREATED_WINDOW_MS = 24 * HOUR_MS;
/** Above this many distinct places, each place is compared only against a reference set (see below). */
const MAX_FULL_GROUPS = 250;
const REFERENCE_LARGEST = 16;
const REFERENCE_FARTHEST = 16;
const REFERENCE_COUNTRIES = 32;
/**
 * The majority side of a pair is named too while it is this small: an attacker with two sessions
 * against one at home is two sessions to end, but 3,000 Californian sessions around one from
 * Moscow are the victim's own, and only the nearest one is named.
 */
const MAJORITY_NAMED_MAX = 10;

interface Entry {
  family: SessionFamily;
  place: Place | null;
  coords: LatLng | null;
  iso: string | null;
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
  const place = familyPlaceSession(family).place;
  return {
    family,
    place,
    coords: coordinatesOf(place),
    iso: countryCode(place),
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
    else groups.set(key, { coords: entry.coords, iso: entry.iso, entries: [entry] });
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
    if (km < MIN_DISTANCE_KM) return null;
    const speed = speedKmh(km, gapMs);
    if (speed <= maxSpeedKmh) return null;
    return { self: a, other: b, older, newer, gapMs, km, severityRank: 2, score: speed };
  }
  return { self: a, other: b, older, newer, gapMs, km: null, severityRank: 1, score: -gapMs };
}

function messageOf(candidate: Candidate): string {
  const { older, newer, km } = candidate;
  const apart = `${formatDuration(candidate.gapMs)} apart`;
  const distance = km === null ? 'a different country' : formatKm(km);
  return `another session from ${label(newer)} — ${distance} from ${label(older)}, ${apart}`;
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
 * them (implied speed above policy.maxTravelSpeedKmh), or — when coordinates are missing — from
 * different countries, while both were alive or within a day of each other. Each family finds its
 * most damning counterpart; one finding per user names every session involved (see below).
 * The bot's own families, and families from a trusted network, take no part.
 */
export function distantPlacesFindings(input: RuleInput): Finding[] {
  const { families, policy, botUserId } = input;
  const judged = families.filter((family) => !isBotOwnFamily(family, botUserId) && !isTrustedIp(input, familyIp(family)));
  const byUser = groupByUser(judged.map((family) => ({ userId: family.root.userId, family })));
  return byUser.flatMap((rows) =>
    findingsForUser(
      rows.map((row) => row.family),
      policy.maxTravelSpeedKmh,
    ),
  );
}

function familyIp(family: SessionFamily): string | null {
  return familyPlaceSession(family).sourceIp ?? family.root.sourceIp;
}

function findingsForUser(families: readonly SessionFamily[], maxSpeedKmh: number): Finding[] {
  const groups = buildGroups(families);
  if (groups.length < 2) return [];
  const best = new Map<Entry, Candidate>();
  const groupSize = new Map<Entry, number>();
  for (const group of groups) for (const entry of group.entries) groupSize.set(entry, group.entries.length);
  for (const [from, to] of groupPairs(groups)) {
    const relation = relationOf(from, to);
    if (!relation) continue;
    for (const entry of from.entries) {
      const other = nearestInTime(to.entries, entry.time);
      if (!other) continue;
      const candidate = evaluate(entry, other, relation, maxSpeedKmh);
      if (candidate && better(candidate, best.get(entry))) best.set(entry, candidate);
    }
  }

  // The minority side of each pair speaks: one session from Moscow among thousands from California
  // names Moscow and its nearest Californian session, not every Californian one. A small majority
  // side speaks too, so an attacker's second session from the far place joins the finding.
  const minority: Candidate[] = [];
  const majority: Candidate[] = [];
  for (const candidate of best.values()) {
    const side = (groupSize.get(candidate.self) ?? 0) <= (groupSize.get(candidate.other) ?? 0) ? minority : majority;
    side.push(candidate);
  }
  const speakers = majority.length <= MAJORITY_NAMED_MAX ? [...minority, ...majority] : minority;
  const strongest = speakers.reduce<Candidate | undefined>((held, candidate) => (better(candidate, held) ? candidate : held), undefined);
  if (!strongest) return [];
  const named = new Set<Entry>(speakers.flatMap((candidate) => [candidate.self, candidate.other]));
  // One finding per user naming every session involved: the monitor keeps one alert per rule and
  // user, and "Remove these sessions" must end all of them. The strongest pair speaks for it.
  const sessionIds = [...named].sort((a, b) => a.time - b.time).map((entry) => entry.family.root.id);
  const more = sessionIds.length - 2;
  const { older, newer, km, gapMs } = strongest;
  return [
    makeFinding({
      rule: DISTANT_PLACES_RULE_ID,
      userId: older.family.root.userId,
      subject: 'sessions',
      rowIds: sessionIds,
      severity: strongest.severityRank === 2 ? 'high' : 'medium',
      message: more > 0 ? `${messageOf(strongest)} (+${plural(more, 'more session')} involved)` : messageOf(strongest),
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

export const distantPlacesRule: Rule = {
  meta: {
    id: DISTANT_PLACES_RULE_ID,
    title: 'Live sessions of one user from places too far apart for the time between their logins',
    severity: 'high',
    severityNote: 'high when the implied speed beats maxTravelSpeedKmh; medium when only the countries are known to differ',
    reads: ['maxTravelSpeedKmh'],
    runbook: 'Ask the user whether both places are theirs (VPN, travel); if not, contain: freeze, remove the sessions, reset the password.',
    subjects: ['sessions'],
    surface: ['sessions', 'monitor'],
  },
  evaluate: distantPlacesFindings,
};
