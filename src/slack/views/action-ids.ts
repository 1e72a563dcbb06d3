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
/** Every action id a builder may put on a button (the alert's own ids are defined at the end of this file). */
export type ActionId = (typeof ACTIONS)[ActionKey] | AlertActionId;

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

// --- Monitor alert buttons ------------------------------------------------------------------
// An alert (views/alert.ts) also carries Contain user (ACTIONS.contain + UserButtonValue), Login
// history (ACTIONS.history + UserButtonValue) and Show sessions (ACTIONS.pickUser + UserButtonValue);
// only "Remove these sessions" needs an id and a value shape of its own.

export const ALERT_ACTIONS = {
  removeSessions: 'alert_remove_sessions',
} as const;

export type AlertActionId = (typeof ALERT_ACTIONS)[keyof typeof ALERT_ACTIONS];

/** "Remove these sessions": the user and the session family roots the alert lists. */
export interface AlertSessionsValue {
  u: string;
  ss: string[];
}

/**
 * The same button when the ids would not fit: the finding key of the alert (`${rule}:${userId}:…`),
 * from which the listener reads the alert's sessions in the store.
 */
export interface AlertKeyValue {
  u: string;
  k: string;
}

export type AlertRemoveValue = AlertSessionsValue | AlertKeyValue;

/** At most this many ids travel in the value (≈ 21 characters each); beyond it the alert key does. */
export const MAX_ALERT_SESSION_IDS = 50;

export function encodeAlertRemoveValue(value: AlertRemoveValue): string {
  const text = JSON.stringify(value);
  if (text.length > MAX_BUTTON_VALUE_LENGTH) {
    throw new Error(`button value is ${text.length} characters, Slack allows ${MAX_BUTTON_VALUE_LENGTH}`);
  }
  return text;
}

/** Finding keys are built by the bot from rule ids, Salesforce ids and URI-encoded names: printable ASCII only. */
const ALERT_KEY_PATTERN = /^[\x21-\x7e]+$/;

/**
 * Parses a Remove-these-sessions value coming back from Slack, as strictly as decodeValue: exact
 * keys, well-formed ids, 1 to MAX_ALERT_SESSION_IDS distinct sessions, and a key that names the
 * same user as `u` (so a value cannot pair one user with another user's alert). Anything else: null.
 */
export function decodeAlertRemoveValue(text: unknown): AlertRemoveValue | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_BUTTON_VALUE_LENGTH) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const obj = parsed as Record<string, unknown>;
  if (!isId(obj.u)) return null;
  switch (Object.keys(obj).sort().join(',')) {
    case 'ss,u': {
      const ids = obj.ss;
      if (!Array.isArray(ids) || ids.length === 0 || ids.length > MAX_ALERT_SESSION_IDS) return null;
      if (!ids.every(isId) || new Set(ids).size !== ids.length) return null;
      return { u: obj.u, ss: [...ids] };
    }
    case 'k,u': {
      const key = obj.k;
      if (typeof key !== 'string' || !ALERT_KEY_PATTERN.test(key) || key.split(':')[1] !== obj.u) return null;
      return { u: obj.u, k: key };
    }
    default:
      return null;
  }
}

export function isAlertSessionsValue(v: AlertRemoveValue | null): v is AlertSessionsValue {
  return v !== null && 'ss' in v;
}
export function isAlertKeyValue(v: AlertRemoveValue | null): v is AlertKeyValue {
  return v !== null && 'k' in v;
}
