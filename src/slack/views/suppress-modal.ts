/**
 * "Mark expected…": the modal that suppresses an alert's rule for its user — for everything, for
 * one address or network, or (token-age) for one connected app — for 1 to 90 days, with a
 * required reason. Also parses what it submits. Pure.
 */
import type { InputBlock, KnownBlock, ModalView, NumberInput, Option, PlainTextInput, RadioButtons } from '@slack/types';
import {
  SUPPRESSION_MAX_DAYS as DAYS_MAX,
  SUPPRESSION_MIN_DAYS as DAYS_MIN,
  SUPPRESSION_REASON_MAX as REASON_MAX,
  SUPPRESSION_REASON_MIN as REASON_MIN,
} from '../../operations/suppressions';
import { context, section } from './blocks';
import { safe, truncate } from './text';

export const SUPPRESS_CALLBACK_ID = 'alert_mark_expected_submit';

export const SUPPRESS_BLOCK_IDS = { scope: 'suppress_scope', network: 'suppress_network', days: 'suppress_days', reason: 'suppress_reason' } as const;
export const SUPPRESS_INPUT_IDS = {
  scope: 'suppress_scope_input',
  network: 'suppress_network_input',
  days: 'suppress_days_input',
  reason: 'suppress_reason_input',
} as const;

/** Option values of the scope radio; an app option is `app:<index into apps>`, the names travel in private_metadata. */
export const SCOPE_USER = 'user';
export const SCOPE_NETWORK = 'network';
const APP_OPTION = /^app:(\d{1,2})$/;

export const SUPPRESS_DEFAULT_DAYS = 7;
/** Slack caps radio buttons at 10 options: user, network and up to 8 apps. */
const APPS_OFFERED = 8;

export interface SuppressModalInput {
  rule: { id: string; title: string };
  user: { name: string; username: string };
  /** The addresses the alert names (the network must hold them all). */
  ips: readonly string[];
  /** The apps a token-age alert names; empty: no app scope offered. */
  apps: readonly string[];
  privateMetadata: string;
}

function plain(text: string, max: number) {
  return { type: 'plain_text' as const, text: truncate(text, max), emoji: true };
}

function option(value: string, text: string, description?: string): Option {
  return { value, text: plain(text, 75), ...(description ? { description: plain(description, 75) } : {}) };
}

export function suppressModal(input: SuppressModalInput): ModalView {
  const { rule, user, ips } = input;
  const name = safe(user.name || user.username, 120);
  const apps = input.apps.slice(0, APPS_OFFERED);
  const addresses = ips.length > 0 ? ips.map((ip) => `\`${safe(ip.replace(/`/g, "'"), 45)}\``).join(', ') : 'none';

  const options: Option[] = [
    option(SCOPE_USER, `Any ${rule.id} alert about ${user.name || user.username}`),
    option(SCOPE_NETWORK, 'Only from the address or network below', ips.length > 0 ? `This alert: ${ips.join(', ')}` : 'This alert names no address'),
    ...apps.map((app, i) => option(`app:${i}`, `Only about the connected app ${app}`)),
  ];
  const scope: RadioButtons = { type: 'radio_buttons', action_id: SUPPRESS_INPUT_IDS.scope, options, initial_option: options[0] };
  const network: PlainTextInput = {
    type: 'plain_text_input',
    action_id: SUPPRESS_INPUT_IDS.network,
    max_length: 60,
    placeholder: plain('203.0.113.7 or 203.0.113.0/24', 150),
    ...(ips.length === 1 ? { initial_value: ips[0] } : {}),
  };
  const days: NumberInput = {
    type: 'number_input',
    action_id: SUPPRESS_INPUT_IDS.days,
    is_decimal_allowed: false,
    min_value: String(DAYS_MIN),
    max_value: String(DAYS_MAX),
    initial_value: String(SUPPRESS_DEFAULT_DAYS),
  };
  const reason: PlainTextInput = {
    type: 'plain_text_input',
    action_id: SUPPRESS_INPUT_IDS.reason,
    multiline: true,
    min_length: REASON_MIN,
    max_length: REASON_MAX,
    placeholder: plain('e.g. Travelling to the Tokyo office until the 20th; confirmed with her by phone', 150),
  };
  const inputs: InputBlock[] = [
    { type: 'input', block_id: SUPPRESS_BLOCK_IDS.scope, label: plain('Suppress', 2_000), element: scope },
    {
      type: 'input',
      block_id: SUPPRESS_BLOCK_IDS.network,
      optional: true,
      label: plain('Address or network', 2_000),
      hint: plain('With "only from": an IP or CIDR range holding every address of the alert.', 2_000),
      element: network,
    },
    { type: 'input', block_id: SUPPRESS_BLOCK_IDS.days, label: plain(`For how many days (${DAYS_MIN}–${DAYS_MAX})`, 2_000), element: days },
    { type: 'input', block_id: SUPPRESS_BLOCK_IDS.reason, label: plain('Why is this expected?', 2_000), element: reason },
  ];
  const blocks: KnownBlock[] = [
    section(`*${safe(rule.title, 300)}* about *${name}* (${safe(user.username, 120)})\nAddresses in this alert: ${addresses}`, 'suppress_about'),
    ...inputs,
    context(
      ['New alerts it covers are counted but not posted until it expires or is removed (`/sessions suppressions`). This alert is marked expected now.'],
      'suppress_note',
    ),
  ];
  return {
    type: 'modal',
    callback_id: SUPPRESS_CALLBACK_ID,
    title: plain('Mark expected', 24),
    submit: plain('Mark expected', 24),
    close: plain('Cancel', 24),
    private_metadata: input.privateMetadata,
    blocks,
  };
}

type Submitted = Record<string, Record<string, { value?: string | null; selected_option?: { value: string } | null }>>;

export type SuppressScopeChoice = { kind: 'user' } | { kind: 'network'; text: string } | { kind: 'app'; index: number };
export type SuppressSubmission = { scope: SuppressScopeChoice; days: number; reason: string } | { errors: Record<string, string> };

/** Validates the submitted modal; errors are keyed by block id for `response_action: 'errors'`. */
export function parseSuppressSubmission(values: Submitted): SuppressSubmission {
  const errors: Record<string, string> = {};
  const field = (block: string, action: string) => values[block]?.[action];
  const picked = field(SUPPRESS_BLOCK_IDS.scope, SUPPRESS_INPUT_IDS.scope)?.selected_option?.value ?? '';
  const networkText = (field(SUPPRESS_BLOCK_IDS.network, SUPPRESS_INPUT_IDS.network)?.value ?? '').trim();
  let scope: SuppressScopeChoice = { kind: 'user' };
  const app = APP_OPTION.exec(picked);
  if (picked === SCOPE_NETWORK) {
    if (!networkText) errors[SUPPRESS_BLOCK_IDS.network] = 'Give the address or network to suppress';
    scope = { kind: 'network', text: networkText };
  } else if (app) scope = { kind: 'app', index: Number(app[1]) };
  else if (picked !== SCOPE_USER) errors[SUPPRESS_BLOCK_IDS.scope] = 'Choose what to suppress';

  const daysText = (field(SUPPRESS_BLOCK_IDS.days, SUPPRESS_INPUT_IDS.days)?.value ?? '').trim();
  const days = /^\d{1,3}$/.test(daysText) ? Number(daysText) : NaN;
  if (!(days >= DAYS_MIN && days <= DAYS_MAX)) errors[SUPPRESS_BLOCK_IDS.days] = `Give a whole number of days from ${DAYS_MIN} to ${DAYS_MAX}`;

  const reason = (field(SUPPRESS_BLOCK_IDS.reason, SUPPRESS_INPUT_IDS.reason)?.value ?? '').trim();
  if (reason.length < REASON_MIN) errors[SUPPRESS_BLOCK_IDS.reason] = `Give a reason of at least ${REASON_MIN} characters`;
  else if (reason.length > REASON_MAX) errors[SUPPRESS_BLOCK_IDS.reason] = `Keep the reason under ${REASON_MAX} characters`;

  return Object.keys(errors).length > 0 ? { errors } : { scope, days, reason };
}
