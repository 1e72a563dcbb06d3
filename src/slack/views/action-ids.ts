/**
 * The contract between the Block Kit builders and the Slack listeners: action ids and the
 * small JSON payloads carried in button values. Both sides import from here so a renamed id
 * cannot silently stop a button from working.
 */

import type { ActionKind } from '../../domain/requests';

/** The request button of each action kind; keyed by kind so a new kind without a button fails to compile. */
export const REQUEST_BUTTON_IDS: { readonly [K in ActionKind]: `request_${K}` } = {
  remove_session: 'request_remove_session',
  remove_all: 'request_remove_all',
  freeze: 'request_freeze',
  unfreeze: 'request_unfreeze',
  reset_password: 'request_reset_password',
  revoke_tokens: 'request_revoke_tokens',
  deactivate: 'request_deactivate',
  contain: 'request_contain',
};

export const ACTIONS = {
  history: 'sessions_history',
  page: 'sessions_page',
  pickUser: 'sessions_pick_user',
  removeSession: REQUEST_BUTTON_IDS.remove_session,
  removeAll: REQUEST_BUTTON_IDS.remove_all,
  freeze: REQUEST_BUTTON_IDS.freeze,
  unfreeze: REQUEST_BUTTON_IDS.unfreeze,
  resetPassword: REQUEST_BUTTON_IDS.reset_password,
  revokeTokens: REQUEST_BUTTON_IDS.revoke_tokens,
  deactivate: REQUEST_BUTTON_IDS.deactivate,
  contain: REQUEST_BUTTON_IDS.contain,
  approve: 'approval_approve',
  deny: 'approval_deny',
  askAgain: 'approval_ask_again',
} as const;

export type ActionKey = keyof typeof ACTIONS;
export type ActionId = (typeof ACTIONS)[ActionKey];

/** Value of a button acting on one session family. */
export interface SessionButtonValue {
  u: string;
  s: string;
}
/** Value of a button acting on a whole user. */
export interface UserButtonValue {
  u: string;
}
/** Value of a "Show more" button. */
export interface PageButtonValue {
  u: string;
  p: number;
}
/** Value of a "Login history" button. */
export interface HistoryButtonValue {
  u: string;
  d: number;
}

export type ButtonValue = SessionButtonValue | UserButtonValue | PageButtonValue | HistoryButtonValue;

/** Slack caps button values at 2000 characters; ids are 15–18 chars so this never bites in practice. */
export const MAX_BUTTON_VALUE_LENGTH = 2000;

const MAX_ID_LENGTH = 64;
const ID_PATTERN = /^[A-Za-z0-9_.-]+$/;

export function encodeValue(value: ButtonValue): string {
  const text = JSON.stringify(value);
  if (text.length > MAX_BUTTON_VALUE_LENGTH) {
    throw new Error(`button value is ${text.length} characters, Slack allows ${MAX_BUTTON_VALUE_LENGTH}`);
  }
  return text;
}

function isId(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= MAX_ID_LENGTH && ID_PATTERN.test(v);
}

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

/**
 * Parses a button value coming back from Slack. Values round-trip through the user's client,
 * so anything unexpected (extra keys, wrong types, odd ids) is treated as garbage: null.
 */
export function decodeValue(text: unknown): ButtonValue | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_BUTTON_VALUE_LENGTH) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const obj = parsed as Record<string, unknown>;
  const keys = Object.keys(obj).sort().join(',');
  if (!isId(obj.u)) return null;
  switch (keys) {
    case 'u':
      return { u: obj.u };
    case 's,u':
      return isId(obj.s) ? { u: obj.u, s: obj.s } : null;
    case 'p,u':
      return isPositiveInt(obj.p) ? { u: obj.u, p: obj.p } : null;
    case 'd,u':
      return isPositiveInt(obj.d) ? { u: obj.u, d: obj.d } : null;
    default:
      return null;
  }
}

export function isSessionValue(v: ButtonValue | null): v is SessionButtonValue {
  return v !== null && 's' in v;
}
export function isPageValue(v: ButtonValue | null): v is PageButtonValue {
  return v !== null && 'p' in v;
}
export function isHistoryValue(v: ButtonValue | null): v is HistoryButtonValue {
  return v !== null && 'd' in v;
}
export function isUserValue(v: ButtonValue | null): v is UserButtonValue {
  return v !== null && Object.keys(v).length === 1;
}
