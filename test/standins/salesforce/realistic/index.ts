import { DEFAULT_POLICY } from '../../../../src/domain/types';
import { addOrganization, hashSeed, rng, withBot } from '../generator';
import { Org } from '../org';
import { plantAttacks, attacksPerKind, type AttackLabel } from './attacks';
import { addPeopleGrants } from './grants';
import { planPersonDays, type DayContext } from './humans';
import { addIntegrations, integrationCount, type Integration } from './integrations';
import { addPeople, personRng, type Person } from './people';
import type { Region } from './places';
import { Timeline } from './timeline';
import { planTrip, type Trip } from './trips';
import { DAY_MS, HOUR_MS } from './time';

/**
 * A realistic org for measuring detections (issue 17): people across offices on three continents
 * living ordinary working days, integrations, admins, a month of login history, labelled attacks,
 * and the next day of activity, ready to be played forward. Deterministic per seed and size.
 *
 *   const world = buildRealisticOrg({ seed: 7, people: 1500, now });
 *   startSalesforce({ org: world.org, clock: () => simNow });
 *   world.advanceTo(new Date(now.getTime() + 15 * 60_000)); // the next 15 minutes happen
 */

export interface RealisticOrgOptions {
  seed: number;
  people: number;
  now: Date;
  /** Days of login history before `now` (default 35: more than the bot's 30-day LOGIN_HISTORY_DAYS window). */
  historyDays?: number;
  /** Hours of ordinary activity planned after `now`, played by advanceTo (default 24). */
  horizonHours?: number;
  /** The rotation policy the attacks exceed (TOKEN_MAX_AGE_DAYS). */
  tokenMaxAgeDays?: number;
}

export interface RealisticOrg {
  org: Org;
  now: Date;
  botUserId: string;
  people: readonly Person[];
  integrations: readonly Integration[];
  trips: ReadonlyMap<string, Trip>;
  attacks: readonly AttackLabel[];
  /** Everyone an attack touched (victims, and a spray's other targets): not "ordinary". */
  attackedUserIds: ReadonlySet<string>;
  /** Writes what happened up to `t` (logins, sessions opened, refreshed, timed out or signed out). */
  advanceTo(t: Date): void;
  /** Users whose sessions the stand-in's own tokens hold (the bot): kept fresh by its use. */
  keepFresh: string[];
  horizonEnd: Date;
}

const TRIP_CHANCE = 0.09;

export function buildRealisticOrg(o: RealisticOrgOptions): RealisticOrg {
  if (!Number.isInteger(o.people) || o.people < 100) throw new Error(`a realistic org needs at least 100 people (got ${o.people})`);
  const historyDays = o.historyDays ?? 35;
  const horizonHours = o.horizonHours ?? 24;
  const now = o.now;
  const from = new Date(now.getTime() - historyDays * DAY_MS);
  const horizonEnd = new Date(now.getTime() + horizonHours * HOUR_MS);
  const org = new Org();
  addOrganization(org, 'Acme Corporation');
  const { botUserId } = withBot(org);
  const keepFresh = [botUserId];
  const timeline = new Timeline(org, () => keepFresh);

  const people = addPeople(org, { seed: o.seed, people: o.people, now, historyDays });
  const integrations = addIntegrations(org, integrationCount(o.people), { seed: o.seed, now, from, to: horizonEnd }, timeline);

  const r = rng(hashSeed(`${o.seed}|attacks|${o.people}`));
  const pool = people.filter((p) => !p.admin);
  const attacks = plantAttacks(
    { org, timeline, now, r, pool, integrations, tokenMaxAgeDays: o.tokenMaxAgeDays ?? DEFAULT_POLICY.tokenMaxAgeDays },
    attacksPerKind(o.people),
  );
  const attacked = new Set<string>();
  for (const a of attacks) {
    attacked.add(a.victimUserId);
    for (const id of a.touchedUserIds) attacked.add(id);
  }

  // Login-As targets: ordinary people of the admin's region.
  const byRegion = new Map<Region, string[]>();
  for (const p of people) if (!p.admin && !attacked.has(p.userId)) byRegion.set(p.office.region, [...(byRegion.get(p.office.region) ?? []), p.userId]);
  const ctx: DayContext = { loginAsTargets: (region, pr) => pr.pick(byRegion.get(region) ?? [null]) };

  const trips = new Map<string, Trip>();
  for (const p of people) {
    const pr = personRng(o.seed, p.index, 'days');
    const trip = pr.chance(TRIP_CHANCE) ? planTrip(p, pr, from, horizonEnd) : null;
    if (trip) trips.set(p.userId, trip);
    planPersonDays(p, trip, pr, from, horizonEnd, { login: (plan) => timeline.add(plan), substitute: (plan) => timeline.add(plan) }, ctx);
  }
  addPeopleGrants(org, people, o.seed, now, timeline);

  timeline.advanceTo(now);
  for (const a of attacks) {
    const rows = timeline.rowsOf(a.id);
    a.loginHistoryIds.push(...rows.loginHistoryIds);
    a.sessionIds.push(...rows.sessionIds);
  }
  return {
    org,
    now,
    botUserId,
    people,
    integrations,
    trips,
    attacks,
    attackedUserIds: attacked,
    advanceTo: (t) => timeline.advanceTo(t),
    keepFresh,
    horizonEnd,
  };
}

export type { AttackKind, AttackLabel } from './attacks';
export { ATTACK_KINDS } from './attacks';
export type { Person } from './people';
export type { Integration } from './integrations';
