import type { Finding } from '../domain/types';
import { distantPlacesRule } from './distant-places';
import { failedThenSuccessRule } from './failed-then-success';
import { grantAgeRule } from './grant-age';
import { impossibleTravelRule } from './impossible-travel';
import { newAppGrantRule } from './new-app-grant';
import { newCountryRule } from './new-country';
import { passwordSprayingRule } from './password-spraying';
import type { OrgRule, Rule, RuleInput, RuleSurface } from './rule';
import { sessionTimeoutRule } from './session-timeout';
import { substituteUserRule } from './substitute-user';
import { tokenAgeRule } from './token-age';

/**
 * Every detection. The order is the order findings are listed in, within a family and among the
 * user findings of one subject.
 */
export const RULES: readonly Rule[] = [
  distantPlacesRule,
  sessionTimeoutRule,
  tokenAgeRule,
  grantAgeRule,
  newAppGrantRule,
  substituteUserRule,
  failedThenSuccessRule,
  impossibleTravelRule,
  newCountryRule,
];

/** Detections across people, run by the monitor over the org's recent logins. */
export const ORG_RULES: readonly OrgRule[] = [passwordSprayingRule];

/** Every rule's metadata, per-user and org-wide: what alert messages and the README describe. */
export const ALL_RULE_META = [...RULES.map((r) => r.meta), ...ORG_RULES.map((r) => r.meta)];

/** The rules whose findings are shown on `surface`. */
export function rulesFor(surface: RuleSurface, rules: readonly Rule[] = RULES): Rule[] {
  return rules.filter((rule) => rule.meta.surface.includes(surface));
}

/** Runs `rules` (every rule unless told) over one user's input. */
export function evaluateRules(input: RuleInput, rules: readonly Rule[] = RULES): Finding[] {
  return rules.flatMap((rule) => rule.evaluate(input));
}
