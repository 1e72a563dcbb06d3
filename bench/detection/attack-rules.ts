import type { AttackKind } from '../../test/standins/salesforce/realistic';

/**
 * Which detections "find" each kind of planted attack: an alert (posted to the channel, or asked
 * of the colleague) naming the victim under one of these rule ids. The one place this mapping
 * lives; a rule renamed or added for a kind (issue 17's spraying and connected-app rules) goes here.
 * Ids that no rule has yet are listed so the figures stay right when those rules arrive.
 */
export const ATTACK_RULES: Readonly<Record<AttackKind, readonly string[]>> = {
  'password-stuffing': ['failed-then-success', 'distant-places', 'new-country', 'impossible-travel'],
  'session-kept-alive': ['session-timeout', 'session-kept-alive', 'session-age'],
  'impossible-travel': ['impossible-travel'],
  'distant-places': ['distant-places', 'impossible-travel'],
  'integration-session-age': ['token-age', 'integration-session-age'],
  'connected-app-token-age': ['token-age', 'grant-age', 'connected-app-token-age', 'oauth-token-age'],
  'password-spraying': ['password-spraying', 'failed-then-success'],
  'new-app-token': ['new-app', 'new-connected-app', 'new-app-token', 'new-oauth-app'],
};
