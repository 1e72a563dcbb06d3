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
export type ActionId = (typeof ACTIONS)[ActionKey] | AlertActionId | DigestActionId | SuppressionActionId | AskActionId | OrgActionId | InvestigateActionId;

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

/**
 * A button value as it comes back from Slack: a JSON object within Slack's length, or null.
 * Values round-trip through the user's client, so anything else is garbage.
 */
function valueObject(text: unknown): Record<string, unknown> | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_BUTTON_VALUE_LENGTH) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
}

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

/**
 * The longest Login History window a button may ask for: Salesforce keeps six months of it, and
 * LOGIN_HISTORY_DAYS and `/sessions history` stop at 180 too. A larger value was not sent by the bot.
 */
export const MAX_HISTORY_DAYS = 180;

function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 1;
}

/**
 * Parses a button value coming back from Slack. Values round-trip through the user's client,
 * so anything unexpected (extra keys, wrong types, odd ids) is treated as garbage: null.
 */
export function decodeValue(text: unknown): ButtonValue | null {
  const obj = valueObject(text);
  if (!obj) return null;
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
      return isPositiveInt(obj.d) && obj.d <= MAX_HISTORY_DAYS ? { u: obj.u, d: obj.d } : null;
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
  const obj = valueObject(text);
  if (!obj) return null;
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

// --- Alert digest buttons -------------------------------------------------------------------
// A digest (views/digest.ts) lists its worst alerts with the alert's own buttons; only "Show the
// rest" needs an id and a value of its own: the digest and the page wanted.

export const DIGEST_ACTIONS = {
  showRest: 'alert_digest_show_rest',
} as const;

export type DigestActionId = (typeof DIGEST_ACTIONS)[keyof typeof DIGEST_ACTIONS];

/** "Show the rest" / "Next page": the digest id ('G' + 16 hex) and the 1-based page of its remaining alerts. */
export interface DigestPageValue {
  d: string;
  p: number;
}

const DIGEST_ID_PATTERN = /^G[0-9a-f]{16}$/;

export function encodeDigestPageValue(value: DigestPageValue): string {
  return JSON.stringify({ d: value.d, p: value.p });
}

/** Parses a Show-the-rest value coming back from Slack, as strictly as decodeValue; anything else is null. */
export function decodeDigestPageValue(text: unknown): DigestPageValue | null {
  const obj = valueObject(text);
  if (!obj) return null;
  if (Object.keys(obj).sort().join(',') !== 'd,p') return null;
  if (typeof obj.d !== 'string' || !DIGEST_ID_PATTERN.test(obj.d) || !isPositiveInt(obj.p)) return null;
  return { d: obj.d, p: obj.p };
}

// --- Mark expected (suppressions) -------------------------------------------------------------
// "Mark expected…" on an alert opens the suppression modal; "Remove" ends one suppression in the
// `/sessions suppressions` list.

export const SUPPRESSION_ACTIONS = {
  markExpected: 'alert_mark_expected',
  remove: 'suppression_remove',
} as const;

export type SuppressionActionId = (typeof SUPPRESSION_ACTIONS)[keyof typeof SUPPRESSION_ACTIONS];

/** "Mark expected…": the user and the alert's group key (`${rule}:${userId}`), which stays the same while the alert is edited in place. */
export interface MarkExpectedValue {
  u: string;
  g: string;
}

/** Rule ids are lowercase words joined by hyphens. */
const GROUP_KEY_PATTERN = /^[a-z][a-z0-9-]{0,63}:[A-Za-z0-9_.-]{1,64}$/;

export function encodeMarkExpectedValue(value: MarkExpectedValue): string {
  return JSON.stringify({ u: value.u, g: value.g });
}

/** Parses a Mark-expected value coming back from Slack: exact keys, a well-formed group key naming the same user. Else null. */
export function decodeMarkExpectedValue(text: unknown): MarkExpectedValue | null {
  const obj = valueObject(text);
  if (!obj) return null;
  if (Object.keys(obj).sort().join(',') !== 'g,u' || !isId(obj.u) || typeof obj.g !== 'string') return null;
  if (!GROUP_KEY_PATTERN.test(obj.g) || obj.g.split(':')[1] !== obj.u) return null;
  return { u: obj.u, g: obj.g };
}

const SUPPRESSION_ID_PATTERN = /^S[A-Z2-7]{10}$/;

/** A Remove button's value is the suppression id itself; anything else is null. */
export function decodeSuppressionId(text: unknown): string | null {
  return typeof text === 'string' && SUPPRESSION_ID_PATTERN.test(text) ? text : null;
}

// --- Ask the user ------------------------------------------------------------------------------
// "Ask <name>" on an alert DMs the colleague; "Yes, it was me" / "No, not me" are in that DM. All
// three carry the alert's finding key (the ask is stored under it).

export const ASK_ACTIONS = {
  ask: 'alert_ask_user',
  yes: 'ask_answer_yes',
  no: 'ask_answer_no',
} as const;

export type AskActionId = (typeof ASK_ACTIONS)[keyof typeof ASK_ACTIONS];

/** The finding key, when it fits a button value; null otherwise (then there is no such button). */
export function encodeAskValue(alertKey: string): string | null {
  return alertKey.length <= MAX_BUTTON_VALUE_LENGTH && ALERT_KEY_PATTERN.test(alertKey) ? alertKey : null;
}

/** Parses an ask button's value coming back from Slack: a well-formed finding key (`rule:userId:…`), else null. */
export function decodeAskValue(text: unknown): string | null {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_BUTTON_VALUE_LENGTH) return null;
  if (!ALERT_KEY_PATTERN.test(text)) return null;
  const [rule, userId] = text.split(':');
  return rule && /^[a-z][a-z0-9-]*$/.test(rule) && isId(userId) ? text : null;
}

// --- The org view (`/sessions` alone) ---------------------------------------------------------
// Each line's "Show sessions" answers below the view (so the view stays); "Previous" / "Next"
// carry the page wanted; "Export CSV" sends the whole list to the clicker's DM with the bot.

export const ORG_ACTIONS = {
  showSessions: 'org_show_sessions',
  page: 'org_page',
  /** A block's buttons need distinct action ids: Previous has its own, handled like page. */
  previousPage: 'org_page_previous',
  exportCsv: 'org_export_csv',
} as const;

export type OrgActionId = (typeof ORG_ACTIONS)[keyof typeof ORG_ACTIONS];

/** The largest page number a value may carry (far beyond any org: 100k sessions give few pages of lines). */
const MAX_ORG_PAGE = 1_000;

/** Which summary a page button pages through: the bot keeps a read a few minutes so Next does not read the org again. */
export interface OrgPageValue {
  page: number;
  /** The kept read's id; null for a value without one (then the click reads the org again). */
  snapshot: string | null;
}

const ORG_SNAPSHOT_ID = /^[0-9a-f]{16}$/;

export function encodeOrgPage(value: OrgPageValue): string {
  return value.snapshot ? `${value.page}.${value.snapshot}` : String(value.page);
}

/** A page button's value: the page number, optionally "." and the kept read's id ("2.0f3a…"); anything else is null. */
export function decodeOrgPage(text: unknown): OrgPageValue | null {
  if (typeof text !== 'string') return null;
  const m = /^([1-9][0-9]{0,3})(?:\.([0-9a-f]{16}))?$/.exec(text);
  if (!m) return null;
  const page = Number(m[1]);
  const snapshot = m[2] ?? null;
  if (snapshot !== null && !ORG_SNAPSHOT_ID.test(snapshot)) return null;
  return page <= MAX_ORG_PAGE ? { page, snapshot } : null;
}

// --- What did this session do? ---------------------------------------------------------------
// On each session row of /sessions (SessionButtonValue), on alerts (UserButtonValue: every live
// session of the user) and on requests (the request id: the sessions it ended, as recorded).

export const INVESTIGATE_ACTIONS = {
  session: 'investigate_session',
  /** The same answer with the API Total Usage log bodies read (one API call per file). */
  apiCalls: 'investigate_api_calls',
  request: 'investigate_request',
} as const;

export type InvestigateActionId = (typeof INVESTIGATE_ACTIONS)[keyof typeof INVESTIGATE_ACTIONS];

const REQUEST_ID_PATTERN = /^R[A-Z0-9]{6,40}$/;

/** A request's investigate button carries the request id itself; anything else is null. */
export function decodeRequestIdValue(text: unknown): string | null {
  return typeof text === 'string' && REQUEST_ID_PATTERN.test(text) ? text : null;
}
