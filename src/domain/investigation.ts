/**
 * "What did this session do?" and "what could still let the attacker in?", in domain terms. The
 * Salesforce reader fills these from Setup Audit Trail, Login History, Verification History and
 * event log files; the operation, the Slack view and the evidence pack read only these types.
 */
import { classifySetupChange, WAY_BACK_IN_CLASSES, type SetupChangeClass, type WayBackInClass } from './setup-changes';
import type { LoginEvent, OauthGrant } from './types';

/** One Setup Audit Trail row. */
export interface SetupChange {
  id: string;
  at: Date;
  action: string;
  section: string | null;
  display: string | null;
  createdById: string;
  createdByUsername: string | null;
  /** The admin behind a Login-As (their username) when the change was made through one. */
  delegateUser: string | null;
}

/** One Verification History row: an identity prompt (MFA, e-mail code…) and its outcome. */
export interface Verification {
  id: string;
  at: Date;
  activity: string | null;
  method: string | null;
  status: string | null;
  policy: string | null;
  sourceIp: string | null;
  loginHistoryId: string | null;
}

/** One EventLogFile row (its CSV body is fetched separately: a blob cannot travel in a Composite call). */
export interface EventLogInfo {
  id: string;
  eventType: string;
  logDate: Date;
  interval: string | null;
  length: number;
}

/** API calls from the free ApiTotalUsage log, grouped by what they touched. */
export interface ApiCallGroup {
  entity: string | null;
  method: string | null;
  family: string | null;
  resource: string | null;
  app: string | null;
  clientIp: string | null;
  count: number;
  first: Date | null;
  last: Date | null;
}

/** One Real-Time Event Monitoring event of the session (with the licence only): a query run, a report run. */
export interface SessionEvent {
  source: 'ApiEvent' | 'ReportEvent';
  at: Date;
  operation: string | null;
  /** The objects the query or report read, as Salesforce lists them. */
  entities: string | null;
  rows: number | null;
  sourceIp: string | null;
  reportId: string | null;
}

/** Why a source could not be read. Never shown as "nothing found". */
export type UnreadableCause = 'permission' | 'licence' | 'salesforce';

export type Readable<T> = { kind: 'read'; rows: T[]; truncated: boolean } | { kind: 'unreadable'; cause: UnreadableCause; detail: string };

export const readRows = <T>(rows: T[], truncated = false): Readable<T> => ({ kind: 'read', rows, truncated });

/** The period an investigation covers, and what identifies the session's traffic within it. */
export interface InvestigationWindow {
  from: Date;
  to: Date;
  /** Family root ids the window was built from. */
  sessionIds: string[];
  /** Addresses those sessions came from: event log lines are matched by user, address, app and time. */
  sourceIps: string[];
}

export interface SessionActivityRead {
  /** Changes made from the account, or as the account by Login-As, inside the window (oldest first). */
  setupChanges: Readable<SetupChange>;
  logins: Readable<LoginEvent>;
  verifications: Readable<Verification>;
  eventLogs: Readable<EventLogInfo>;
  /** null when the CSV bodies were not fetched (each file is one more API call). */
  apiCalls: Readable<ApiCallGroup> | null;
  /** With Event Monitoring, on request: the session's own events (one more call); null when not read. */
  sessionEvents: Readable<SessionEvent> | null;
  /** Event Monitoring (every event type, per-session events by LoginKey): seen, not seen, or not knowable. */
  eventMonitoring: 'licensed' | 'not-licensed' | 'unknown';
  /** REST calls spent. */
  calls: number;
}

export interface ClassifiedChange {
  change: SetupChange;
  cls: SetupChangeClass | null;
}

export function classifyChanges(changes: readonly SetupChange[]): ClassifiedChange[] {
  return changes.map((change) => ({ change, cls: classifySetupChange(change.action, change.section) }));
}

/** Rows inside the window, made by the user or through a Login-As by them: others' changes and earlier ones are left out. */
export function changesInWindow(
  changes: readonly SetupChange[],
  userId: string,
  username: string,
  window: Pick<InvestigationWindow, 'from' | 'to'>,
): SetupChange[] {
  const lower = username.toLowerCase();
  return changes
    .filter((c) => c.at >= window.from && c.at <= window.to)
    .filter((c) => c.createdById.slice(0, 15) === userId.slice(0, 15) || (c.delegateUser ?? '').toLowerCase() === lower)
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
}

/** What the bot can do about a way back in, through the approval flow. */
export type Remedy = { kind: 'revoke-grant'; appName: string };

export interface WayBackIn {
  cls: WayBackInClass | 'oauth-grant';
  label: string;
  /** What happened, in Salesforce's words where it has them (the audit trail's Display). */
  what: string;
  at: Date | null;
  advice: string;
  remedy: Remedy | null;
  /** Set when the audit code was only matched by its Setup section or is not confirmed by an example. */
  unconfirmed: boolean;
}

export interface WaysBackInInput {
  window: InvestigationWindow;
  /** Changes already narrowed to the user and the window. */
  changes: Readable<SetupChange>;
  /** Grants left after the action; null when OauthToken could not be read. */
  grantsLeft: OauthGrant[] | null;
  /** Grants as they were before the action, to name the ones authorised inside the window. */
  grantsBefore: ReadonlyArray<Pick<OauthGrant, 'appName' | 'createdAt'>> | null;
}

export interface WaysBackIn {
  items: WayBackIn[];
  /** Sources that could not be read, each with its cause: the list is then incomplete, never "none". */
  unknown: string[];
}

const GRANT_ADVICE = 'Revoke the grant: its refresh token keeps working after the sessions end and the password changes.';

/** Everything that could still let the attacker in once the sessions are gone, worst first. */
export function waysBackIn(input: WaysBackInInput): WaysBackIn {
  const items: WayBackIn[] = [];
  const unknown: string[] = [];
  if (input.changes.kind === 'read') {
    for (const { change, cls } of classifyChanges(input.changes.rows)) {
      if (!cls) continue;
      const info = WAY_BACK_IN_CLASSES[cls.cls];
      items.push({
        cls: cls.cls,
        label: info.label,
        what: change.display ?? change.action,
        at: change.at,
        advice: info.advice,
        remedy: null,
        unconfirmed: cls.source !== 'catalogue',
      });
    }
    if (input.changes.truncated) unknown.push('Setup Audit Trail: more changes than the bot reads in one call; the list below is partial.');
  } else {
    unknown.push(`Setup Audit Trail: ${input.changes.detail}`);
  }
  if (input.grantsLeft === null) {
    unknown.push('OAuth grants: could not be read (OauthToken needs Customize Application).');
  } else {
    for (const g of input.grantsLeft) {
      items.push({
        cls: 'oauth-grant',
        label: 'OAuth grant still active',
        what: `${g.appName} (used ${g.useCount} times${g.lastUsedAt ? `, last ${g.lastUsedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : ''})`,
        at: g.createdAt,
        advice: GRANT_ADVICE,
        remedy: { kind: 'revoke-grant', appName: g.appName },
        unconfirmed: false,
      });
    }
  }
  const left = new Set((input.grantsLeft ?? []).map((g) => g.appName));
  for (const g of input.grantsBefore ?? []) {
    if (!g.createdAt || g.createdAt < input.window.from || g.createdAt > input.window.to || left.has(g.appName)) continue;
    items.push({
      cls: 'oauth-grant',
      label: 'Connected app authorised during the session (now revoked)',
      what: g.appName,
      at: g.createdAt,
      advice: 'Its token is revoked; check in Setup → Connected Apps OAuth Usage that the app is one you know, and block it if not.',
      remedy: null,
      unconfirmed: false,
    });
  }
  return { items, unknown };
}
