/**
 * "What did this session do?" — Setup changes, logins, identity prompts and API traffic of a user
 * inside a session's window — and, after a Contain, what could still let the attacker back in.
 * Free of Slack and Salesforce: the readers come in through ports.
 */
import { familyLoginTime } from '../domain/families';
import {
  changesInWindow,
  classifyChanges,
  waysBackIn,
  type ClassifiedChange,
  type InvestigationWindow,
  type Readable,
  type SessionActivityRead,
  type SetupChange,
  type WaysBackIn,
} from '../domain/investigation';
import type { ActionRequest } from '../domain/requests';
import type { AssessedFamily, OauthGrant, SfUser } from '../domain/types';
import type { Evidence } from '../requests/evidence';
import { lookupSessions, type LookupDeps } from './lookup';
import type { UserMatch } from './ports';

export interface InvestigationParams {
  userId: string;
  username: string;
  window: InvestigationWindow;
  withApiCalls: boolean;
}

/** The Salesforce reader behind an investigation (one Composite call; log bodies cost one call each). */
export interface InvestigationSource {
  read(params: InvestigationParams): Promise<SessionActivityRead>;
}

/** OAuth grants of a user now; null when the bot may not read them. */
export interface GrantSource {
  grantsNow(userId: string): Promise<OauthGrant[] | null>;
}

export interface InvestigateDeps extends LookupDeps {
  investigation: InvestigationSource;
}

export interface Investigation {
  user: SfUser;
  window: InvestigationWindow;
  read: SessionActivityRead;
  /** Setup changes of the user inside the window, each with the way back in it opens (if any). */
  changes: Readable<ClassifiedChange>;
  /** REST calls spent, the session lookup included. */
  calls: number;
}

export type InvestigationAnswer =
  UserMatch<{ investigation: Investigation }> | { kind: 'no_sessions'; user: SfUser } | { kind: 'no_such_session'; user: SfUser };

/** The window of some session families: from the earliest login among them to now. */
export function windowOf(families: readonly AssessedFamily[], now: Date): InvestigationWindow | null {
  if (families.length === 0) return null;
  const from = new Date(Math.min(...families.map((f) => familyLoginTime(f.family).getTime())));
  const ips = families.flatMap((f) => [f.family.root, ...f.family.children].map((s) => s.sourceIp)).filter((ip): ip is string => !!ip);
  return { from, to: now, sessionIds: families.map((f) => f.family.root.id), sourceIps: [...new Set(ips)] };
}

export function narrowChanges(read: Readable<SetupChange>, user: Pick<SfUser, 'id' | 'username'>, window: InvestigationWindow): Readable<SetupChange> {
  return read.kind === 'read' ? { ...read, rows: changesInWindow(read.rows, user.id, user.username, window) } : read;
}

/**
 * What one session family (or, without `sessionId`, every live session of the user) did. Costs the
 * session lookup (one Composite call) and the investigation (one more, plus one per log file when
 * `withApiCalls`).
 */
export async function investigateSessions(
  deps: InvestigateDeps,
  target: { userId: string; sessionId?: string },
  options: { withApiCalls: boolean },
): Promise<InvestigationAnswer> {
  const found = await lookupSessions(deps, { byId: target.userId });
  if (found.kind !== 'found') return found;
  const { user, assessment } = found;
  const families = assessment.families.filter((f) => !f.isBotOwn);
  const chosen = target.sessionId
    ? families.filter((f) => f.family.root.id === target.sessionId || f.family.children.some((c) => c.id === target.sessionId))
    : families;
  if (target.sessionId && chosen.length === 0) return { kind: 'no_such_session', user };
  const window = windowOf(chosen, deps.now());
  if (!window) return { kind: 'no_sessions', user };
  const read = await deps.investigation.read({ userId: user.id, username: user.username, window, withApiCalls: options.withApiCalls });
  const narrowed = narrowChanges(read.setupChanges, user, window);
  const changes: Readable<ClassifiedChange> = narrowed.kind === 'read' ? { ...narrowed, rows: classifyChanges(narrowed.rows) } : narrowed;
  return { kind: 'found', user, investigation: { user, window, read, changes, calls: 1 + read.calls } };
}

export interface WaysBackInDeps {
  investigation: InvestigationSource;
  grants: GrantSource;
  now: () => Date;
}

export interface WaysBackInReport extends WaysBackIn {
  window: InvestigationWindow;
  /** Every Setup change of the user in the window, whether or not it opens a way back in (for the evidence pack). */
  changes: Readable<SetupChange>;
  /** MFA prompts around the ended sessions' logins. */
  verifications: SessionActivityRead['verifications'];
  calls: number;
}

/**
 * After an action that ended a compromised user's sessions: what could still let the attacker in.
 * The window is the ended sessions' (as the request recorded them), so it needs no session read:
 * one Composite call for the audit trail and one query for the grants left.
 */
export async function waysBackInAfter(
  deps: WaysBackInDeps,
  input: { user: Pick<SfUser, 'id' | 'username'>; window: InvestigationWindow; grantsBefore: ReadonlyArray<Pick<OauthGrant, 'appName' | 'createdAt'>> | null },
): Promise<WaysBackInReport> {
  const window = { ...input.window, to: deps.now() };
  const read = await deps.investigation.read({ userId: input.user.id, username: input.user.username, window, withApiCalls: false });
  const grantsLeft = await deps.grants.grantsNow(input.user.id);
  const changes = narrowChanges(read.setupChanges, input.user, window);
  const result = waysBackIn({ window, changes, grantsLeft, grantsBefore: input.grantsBefore });
  return { ...result, window, changes, verifications: read.verifications, calls: read.calls + 1 };
}

function isEvidence(value: unknown): value is Evidence {
  const e = value as Partial<Evidence> | null;
  return !!e && typeof e === 'object' && Array.isArray(e.snapshot) && Array.isArray(e.concerned) && typeof e.capturedAt === 'string';
}

/**
 * The window of the sessions a request concerned, as recorded when it was made: the families it
 * ends (or, for actions that end none, every family listed then), from the earliest login to `to`.
 */
export function windowFromRequest(request: Pick<ActionRequest, 'evidence'>, to: Date): InvestigationWindow | null {
  if (!isEvidence(request.evidence)) return null;
  const e = request.evidence;
  const rows =
    e.concerned.length > 0 ? e.concerned.map((c) => ({ id: c.id, at: c.loginAt, ip: c.ip })) : e.snapshot.map((s) => ({ id: s.id, at: s.createdAt, ip: s.ip }));
  const times = rows.map((r) => Date.parse(r.at)).filter((t) => Number.isFinite(t));
  if (times.length === 0) return null;
  const ips = [...new Set(rows.map((r) => r.ip).filter((ip): ip is string => !!ip))];
  return { from: new Date(Math.min(...times)), to, sessionIds: rows.map((r) => r.id), sourceIps: ips };
}

/** The user as the request recorded them (the person may have changed since). */
export function userFromRequest(request: Pick<ActionRequest, 'evidence' | 'target'>): SfUser {
  const e = isEvidence(request.evidence) ? request.evidence.user : null;
  return {
    id: request.target.userId,
    username: request.target.username,
    name: request.target.name,
    email: request.target.email,
    isActive: e?.isActive ?? true,
    isFrozen: e?.isFrozen ?? null,
    userLoginId: null,
    userType: null,
    profileName: e?.profile ?? null,
  };
}

/** "What did it do?" on a request: the recorded sessions, up to when the request finished (or now). One Composite call. */
export async function investigateRequest(deps: { investigation: InvestigationSource; now: () => Date }, request: ActionRequest): Promise<Investigation | null> {
  const finished = request.state === 'done' || request.state === 'failed';
  const window = windowFromRequest(request, finished ? request.updatedAt : deps.now());
  if (!window) return null;
  const user = userFromRequest(request);
  const read = await deps.investigation.read({ userId: user.id, username: user.username, window, withApiCalls: false });
  const narrowed = narrowChanges(read.setupChanges, user, window);
  const changes: Readable<ClassifiedChange> = narrowed.kind === 'read' ? { ...narrowed, rows: classifyChanges(narrowed.rows) } : narrowed;
  return { user, window, read, changes, calls: read.calls };
}

/** Grants recorded with the request (names and dates), or null when none were recorded or readable. */
export function grantsFromRequest(request: Pick<ActionRequest, 'evidence'>): Array<Pick<OauthGrant, 'appName' | 'createdAt'>> | null {
  if (!isEvidence(request.evidence) || !Array.isArray(request.evidence.grants)) return null;
  return request.evidence.grants.map((g) => ({ appName: g.appName, createdAt: g.createdAt ? new Date(g.createdAt) : null }));
}

/**
 * Requests after which the thread lists the ways back in: a Contain, and any removal of sessions
 * the rules had found something wrong with (a compromised account's sessions ending).
 */
export function endsCompromisedSessions(request: Pick<ActionRequest, 'kind' | 'evidence' | 'state'>): boolean {
  if (request.state !== 'done' && request.state !== 'failed') return false;
  if (request.kind === 'contain') return true;
  if (request.kind !== 'remove_all' && request.kind !== 'remove_session') return false;
  return isEvidence(request.evidence) && request.evidence.findings.length > 0;
}
