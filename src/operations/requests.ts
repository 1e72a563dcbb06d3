import { specOf } from '../domain/action-kinds';
import type { ActionKind, ActionRequest, KindAndParams, NewRequest, ParamsByKind } from '../domain/requests';
import type { AppUse, BlastRadius, ConcernedFamily } from '../domain/blast-radius';
import type { AssessedFamily, GrantsCaveat, OauthGrant, Session, SessionAssessment, SfUser } from '../domain/types';
import { nothingToChange } from '../domain/no-change';
import { buildEvidence, concernedSession } from '../requests/evidence';
import type { DecisionResult, RequestService } from '../requests/service';
import { isIntegrationSession } from '../rules/integration';
import { assessSessions } from '../rules/assess';
import type { LookupDeps } from './lookup';

/** Why a request cannot be prepared or submitted; each is a sentence for the person asking. */
export type RequestProblem = 'bot_user' | 'user_gone' | 'not_target_sessions' | 'nothing_to_change';

export const REQUEST_PROBLEMS: Readonly<Record<RequestProblem, string>> = {
  bot_user: "That is the bot's own Salesforce user; it cannot act on itself.",
  user_gone: 'That Salesforce user no longer exists.',
  not_target_sessions: 'Some of the sessions named are not open sessions of this user (they ended meanwhile, or were never theirs); run /sessions again.',
  nothing_to_change: 'The request would change nothing in Salesforce right now.',
};

export interface PreparedRequest {
  kind: ActionKind;
  target: SfUser;
  grants: AppUse[];
  /** Why the grants are not known in full (hidden from the bot, unreadable, past Salesforce's cap); null when they are. */
  grantsCaveat: GrantsCaveat | null;
  blastRadius: BlastRadius;
}

/** Which session family a request is about (remove one session), or the whole user. */
export interface RequestSubject {
  kind: ActionKind;
  userId: string;
  /** Remove session: the family roots to end (one from /sessions, several from an alert). */
  familyIds?: string[];
}

export interface RequestForm extends RequestSubject {
  reason: string;
  requestedBy: string;
  /** Revoke tokens: the chosen connected apps (none → every grant). */
  appNames?: string[];
  /** Contain: also reset the password. */
  resetPassword?: boolean;
  /** Where to confirm to the requester (a Slack response_url), delivered after the request is posted. */
  confirmTo?: string;
}

export interface RequestDeps extends LookupDeps {
  service: RequestService;
}

const HOURS_OF_LOGINS_FOR_EVIDENCE = 24;
const LOGINS_FOR_EVIDENCE = 200;

function concernedFamily(assessed: AssessedFamily): ConcernedFamily {
  const c = concernedSession(assessed);
  return { ...c, loginAt: new Date(c.loginAt), createdAt: new Date(c.createdAt) };
}

/** The families an action ends: one family, every family, or none for actions that end no session. */
function concernedFamilies(subject: RequestSubject, assessment: SessionAssessment): AssessedFamily[] {
  if (!specOf(subject.kind).endsSessions) return [];
  const live = assessment.families.filter((f) => !f.isBotOwn);
  if (subject.kind !== 'remove_session') return live;
  const chosen = new Set(subject.familyIds ?? []);
  return live.filter((f) => chosen.has(f.family.root.id));
}

const appUse = (g: OauthGrant): AppUse => ({ appName: g.appName, useCount: g.useCount, lastUsedAt: g.lastUsedAt });

function blastRadiusOf(subject: RequestSubject, target: SfUser, sessions: Session[], assessment: SessionAssessment, grants: OauthGrant[]): BlastRadius {
  const concerned = concernedFamilies(subject, assessment);
  const ending = concerned.flatMap(({ family }) => [family.root, ...family.children]);
  const warnings: string[] = [];
  if (subject.kind === 'remove_session' && concerned.length === 0) warnings.push('These sessions have already ended; the request would change nothing.');
  else if (subject.kind === 'remove_session' && concerned.length < (subject.familyIds?.length ?? 0))
    warnings.push('Some of these sessions have already ended.');
  return {
    sessionsToEnd: ending.length,
    families: concerned.length,
    // Roots only: a UI login's own 'API' child session is part of that login, not an integration.
    integrationSessions: concerned.filter(({ family }) => isIntegrationSession(family.root)).length,
    sessionTypes: [...new Set(ending.map((s) => s.sessionType))],
    connectedApps: grants.map(appUse),
    isIntegrationUser:
      /integration|api only/i.test(target.profileName ?? '') || (sessions.length > 0 && sessions.every((s) => s.parentId !== null || isIntegrationSession(s))),
    isBotTarget: false,
    warnings,
    profileName: target.profileName,
    concerned: concerned.map(concernedFamily),
  };
}

/** Reads the target, its sessions and grants (one Composite call) and what the rules say of them. */
async function readTarget(deps: RequestDeps, userId: string, withLogins: boolean) {
  const now = deps.now();
  const activity = await deps.activity.read(
    { byId: userId },
    withLogins ? { now, loginWindowHours: HOURS_OF_LOGINS_FOR_EVIDENCE, loginLimit: LOGINS_FOR_EVIDENCE } : { now, loginWindowHours: 0, loginLimit: 1 },
  );
  const [user] = activity.users;
  if (!user) return null;
  const grants = activity.grants ?? [];
  const assessment = assessSessions({
    sessions: activity.sessions,
    logins: activity.recentLogins,
    grants,
    policy: deps.settings.policy,
    now,
    botUserId: deps.botUserId() ?? '',
  });
  return { user, sessions: activity.sessions, logins: activity.recentLogins, grants, grantsCaveat: activity.grantsCaveat, assessment, now };
}

/** The request form's content: who, what ends, which apps stop. */
export async function prepareRequest(deps: RequestDeps, subject: RequestSubject): Promise<PreparedRequest | { problem: RequestProblem }> {
  if (subject.userId === deps.botUserId()) return { problem: 'bot_user' };
  const read = await readTarget(deps, subject.userId, false);
  if (!read) return { problem: 'user_gone' };
  return {
    kind: subject.kind,
    target: read.user,
    grants: read.grants.map(appUse),
    grantsCaveat: read.grantsCaveat,
    blastRadius: blastRadiusOf(subject, read.user, read.sessions, read.assessment, read.grants),
  };
}

/** Params per kind, from what Salesforce shows now and what the form said. */
function draft(form: RequestForm, user: SfUser, sessions: Session[]): KindAndParams {
  const loginId: { userLoginId?: string } = user.userLoginId ? { userLoginId: user.userLoginId } : {};
  const of = <K extends ActionKind>(kind: K, params: ParamsByKind[K]) => ({ kind, params });
  switch (form.kind) {
    case 'remove_session': {
      const familyIds = [...new Set(form.familyIds ?? [])];
      const chosen = new Set(familyIds);
      const live = sessions.filter((s) => chosen.has(s.id) || (s.parentId !== null && chosen.has(s.parentId))).map((s) => s.id);
      // Families already ended are still named, and execution reports them as already ended.
      const ended = familyIds.filter((id) => !live.includes(id));
      return of('remove_session', { familyIds, sessionIds: [...live, ...ended] });
    }
    case 'freeze':
    case 'unfreeze':
      return of(form.kind, loginId);
    case 'revoke_tokens':
      return of('revoke_tokens', form.appNames && form.appNames.length > 0 ? { appNames: form.appNames } : {});
    case 'contain':
      return of('contain', { ...loginId, resetPassword: form.resetPassword === true });
    case 'remove_all':
    case 'reset_password':
    case 'deactivate':
      return of(form.kind, {});
  }
}

/**
 * Records a request with a snapshot of the evidence (the sessions it ends first), posts it for
 * approval and confirms to the requester — the last two through the outbox, so a Slack outage
 * loses neither.
 */
export async function submitRequest(deps: RequestDeps, form: RequestForm): Promise<{ request: ActionRequest } | { problem: RequestProblem }> {
  if (form.userId === deps.botUserId()) return { problem: 'bot_user' };
  const read = await readTarget(deps, form.userId, true);
  if (!read) return { problem: 'user_gone' };
  const { user, now } = read;
  // Checked against Salesforce now, before any approver sees it: the form carries ids, and ids can be edited.
  if (form.kind === 'remove_session') {
    const theirs = new Set(read.assessment.families.filter((f) => !f.isBotOwn).map((f) => f.family.root.id));
    if ((form.familyIds ?? []).length === 0 || (form.familyIds ?? []).some((id) => !theirs.has(id))) return { problem: 'not_target_sessions' };
  }
  if (nothingToChange(form.kind, user, blastRadiusOf(form, user, read.sessions, read.assessment, read.grants)) !== null)
    return { problem: 'nothing_to_change' };
  const concernedIds = new Set(concernedFamilies(form, read.assessment).map((f) => f.family.root.id));
  const input: NewRequest = {
    ...draft(form, user, read.sessions),
    target: { userId: user.id, username: user.username, name: user.name, email: user.email },
    reason: form.reason,
    requestedBy: form.requestedBy,
    requiredApprovals: specOf(form.kind).approvals,
    evidence: buildEvidence(user, read.assessment, read.logins, now, concernedIds, read.grants),
    expiresAt: new Date(now.getTime() + deps.settings.requestTtlMinutes * 60_000),
  };
  const request = await deps.service.submit(input, form.confirmTo ? { responseUrl: form.confirmTo } : {});
  return { request };
}

/** Where a click came from: the request message it was on, when it was on one. */
export interface ClickOrigin {
  channelId: string;
  ts: string;
}

/**
 * Approve / Deny as any surface calls them. The two-person rule lives in the request service;
 * here a click is also refused when its request id does not belong to the message it was on
 * (a payload that would need the signing secret to forge, checked anyway).
 */
export async function decide(
  deps: RequestDeps,
  how: 'approve' | 'deny',
  requestId: string,
  slackUserId: string,
  origin?: ClickOrigin,
): Promise<DecisionResult> {
  if (origin) {
    const request = await deps.service.get(requestId);
    if (request?.messageTs && (request.messageTs !== origin.ts || request.channelId !== origin.channelId)) {
      return { refusal: 'unknown_request', request: null };
    }
  }
  return how === 'approve' ? deps.service.approve(requestId, slackUserId) : deps.service.deny(requestId, slackUserId);
}

/** An expired request asked again: a new pending request with the same content. */
export async function askAgain(deps: RequestDeps, requestId: string, by: string): Promise<ActionRequest | null> {
  return deps.service.askAgain(requestId, by, deps.settings.requestTtlMinutes);
}
