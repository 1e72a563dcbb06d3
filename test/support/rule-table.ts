/** Shared plumbing for the rule tables: a readable scenario in, the findings out. */
import { groupFamilies } from '../../src/domain/families';
import { DEFAULT_POLICY, type Finding, type LoginEvent, type OauthGrant, type Policy, type Session } from '../../src/domain/types';
import type { OrgRule, Rule, RuleInput } from '../../src/rules/rule';
import { HOUR, NOW } from './rule-factories';

/** The user every factory row belongs to unless told otherwise. */
export const USER = '005000000000001AAA';
/** The Salesforce user the bot logs in as. */
export const BOT = '005BOT000000000AAA';

export interface Scenario {
  sessions?: Session[];
  logins?: LoginEvent[];
  grants?: OauthGrant[];
  policy?: Partial<Policy>;
  now?: Date;
  userId?: string;
  trusted?: (ip: string) => boolean;
  /** Addresses many colleagues sign in from (the monitor's learned offices and VPN exits). */
  shared?: (ip: string) => boolean;
}

export function inputOf(scenario: Scenario): RuleInput {
  const input: RuleInput = {
    userId: scenario.userId ?? USER,
    families: groupFamilies(scenario.sessions ?? []),
    // RuleInput promises newest first, as Salesforce returns them.
    logins: [...(scenario.logins ?? [])].sort((a, b) => b.loginTime.getTime() - a.loginTime.getTime()),
    grants: scenario.grants ?? [],
    policy: { ...DEFAULT_POLICY, ...scenario.policy },
    now: scenario.now ?? NOW,
    botUserId: BOT,
  };
  if (scenario.trusted) input.trusted = scenario.trusted;
  if (scenario.shared) input.shared = scenario.shared;
  return input;
}

/** Runs a per-user rule, or an org-wide one (which reads only the logins, policy, clock and trust). */
export function run(rule: Rule | OrgRule, scenario: Scenario): Finding[] {
  return rule.evaluate(inputOf(scenario));
}

/** The same scenario an hour later. */
export function anHourLater(scenario: Scenario): Scenario {
  return { ...scenario, now: new Date((scenario.now ?? NOW).getTime() + HOUR) };
}

/**
 * Every finding cut down to the fields the expected rows name, so a row states only what it is
 * about while the number and order of findings are still checked exactly.
 */
export function shaped(actual: readonly Finding[], expected: ReadonlyArray<Partial<Finding>>): Array<Partial<Finding>> {
  const fields = new Set(expected.flatMap((row) => Object.keys(row))) as Set<keyof Finding>;
  if (fields.size === 0) return [...actual];
  return actual.map((finding) => {
    const picked: Partial<Finding> = {};
    for (const field of fields) Object.assign(picked, { [field]: finding[field] });
    return picked;
  });
}

/** The key a finding about `rowIds` must carry: written out here, independently of the rules' helper. */
export function expectedKey(rule: string, rowIds: readonly string[], userId = USER): string {
  return `${rule}:${userId}:${[...new Set(rowIds)].sort().join(',')}`;
}

export interface KeyCase {
  name: string;
  before: Scenario;
  after: Scenario;
  expected: 'same keys' | 'a new key';
}

/** Checks a key-stability row: the keys and group keys of two evaluations of `rule`. */
export function checkKeys(rule: Rule | OrgRule, { before, after, expected }: KeyCase): void {
  const first = run(rule, before);
  const second = run(rule, after);
  expect(first.length).toBeGreaterThan(0);
  const firstKeys = first.map((f) => f.key).sort();
  const secondKeys = second.map((f) => f.key).sort();
  if (expected === 'same keys') expect(secondKeys).toEqual(firstKeys);
  else expect(secondKeys.filter((key) => !firstKeys.includes(key))).not.toEqual([]);
  // The alert being edited in place is always the same user + rule.
  expect(new Set([...first, ...second].map((f) => f.groupKey))).toEqual(new Set([`${rule.meta.id}:${first[0]?.userId}`]));
}
