import type { AttackKind } from '../../test/standins/salesforce/realistic';

/**
 * Which detections "find" each kind of planted attack: an alert (posted to the channel, or asked
 * of the colleague) under one of these rule ids that names the victim and one of the attack's own
 * rows (bench/detection/score.ts). The one place this mapping lives: a rule renamed or added for
 * a kind goes here.
 */
export const ATTACK_RULES: Readonly<Record<AttackKind, readonly string[]>> = {
  // Failures from abroad, then a second live session: each of these rules sees a true part of it.
  'password-stuffing': ['failed-then-success', 'distant-places', 'new-country', 'impossible-travel'],
  'session-kept-alive': ['session-timeout'],
  'impossible-travel': ['impossible-travel'],
  'distant-places': ['distant-places', 'impossible-travel'],
  'integration-session-age': ['token-age'],
  'connected-app-token-age': ['grant-age'],
  'password-spraying': ['password-spraying'],
  'new-app-token': ['new-app-grant'],
};
