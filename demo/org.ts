import { addOrganization, BOT_USERNAME, rng, withBot } from '../test/standins/salesforce/generator';
import { Org } from '../test/standins/salesforce/org';
import { place } from '../test/standins/salesforce/places';
import { carrierIp, homeIp, officeIp } from './org/addresses';
import { addCompromisedUser, type CompromisedUser } from './org/compromised';
import { addIntegrationUser, type IntegrationUser } from './org/integration';
import { addOrdinaryUser, type OrdinaryUser, type OrdinaryUserPlan } from './org/ordinary';
import { COLLEAGUE_ROSTER, officeCities, PEOPLE_ROSTER, type PersonKey, type RosterEntry } from './org/roster';

/**
 * The Salesforce org the demo's stand-in serves: Acme Corporation, a few dozen colleagues on four
 * continents who give the bot nothing to say, one colleague whose password has leaked, and the
 * integration user the data pipelines run as. Every time is relative to `now` (the bot runs on the
 * real clock) and every other choice comes from `seed`, so one seed and one `now` give one org.
 */

export type { CompromisedUser } from './org/compromised';
export type { IntegrationUser } from './org/integration';
export type { OrdinaryUser } from './org/ordinary';
export type { PersonKey } from './org/roster';

export interface DemoOrg {
  org: Org;
  seed: number;
  /** The `now` the org was built around. */
  builtAt: Date;
  botUserId: string;
  botUsername: string;
  /** The console's Slack people, by handle; each is also in `ordinary` (Slack e-mail = Salesforce username). */
  people: Readonly<Record<PersonKey, OrdinaryUser>>;
  /** Everyone the bot should stay quiet about, the four people included. */
  ordinary: readonly OrdinaryUser[];
  compromised: CompromisedUser;
  integration: IntegrationUser;
}

export const DEFAULT_DEMO_SEED = 11;

export function buildDemoOrg(now: Date, seed: number = DEFAULT_DEMO_SEED): DemoOrg {
  const r = rng(seed);
  const org = new Org();
  addOrganization(org, 'Acme Corporation');
  const { botUserId } = withBot(org);

  const offices = officeCities().map((city) => city.city);
  const planFor = (entry: RosterEntry, index: number): OrdinaryUserPlan => ({
    entry,
    home: place(entry.city),
    ip: homeIp(index),
    phoneIp: carrierIp(index),
    officeIp: officeIp(offices.indexOf(entry.city)),
  });
  const personKeys = Object.keys(PEOPLE_ROSTER) as PersonKey[];
  const roster = [...personKeys.map((key) => PEOPLE_ROSTER[key]), ...COLLEAGUE_ROSTER];
  const ordinary = roster.map((entry, index) => addOrdinaryUser(org, r, planFor(entry, index), now));
  const people = Object.fromEntries(personKeys.map((key, index) => [key, ordinary[index]!])) as Record<PersonKey, OrdinaryUser>;

  const compromised = addCompromisedUser(org, r, now);
  const integration = addIntegrationUser(org, r, now);
  return { org, seed, builtAt: new Date(now.getTime()), botUserId, botUsername: BOT_USERNAME, people, ordinary, compromised, integration };
}
