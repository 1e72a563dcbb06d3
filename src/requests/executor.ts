import { isBotOwnSession } from '../domain/families';
import { plural } from '../domain/format';
import type { Session } from '../domain/types';
import type { Logger } from '../logger';
import { ApiMeter } from '../salesforce/metered-rest';
import { GRANTS_HIDDEN, type GrantResult, type SalesforceActions, type SessionResult } from '../salesforce/actions';
import { toSalesforceError, type SalesforceError } from '../salesforce/errors';
import { retriedText, type Retried } from '../salesforce/change-retry';
import { lostAnswerText, NotAppliedError, OutcomeUnknownError } from '../salesforce/lost-answer';
import { isSalesforceId } from '../salesforce/soql';
import { planFor, type Step, type StepKind } from './plan';
import type { ExecutorPort, StepOutcome } from './ports';
import type { ActionRequest } from '../domain/requests';

/**
 * `unknown`: Salesforce's answer to a change was lost and reading it back did not settle it (or,
 * for a password reset, cannot): the step may have taken effect and is never repeated blindly.
 */
export type StepStatus = 'ok' | 'partial' | 'failed' | 'skipped' | 'unknown';

/** Where a removed session came from, kept so the delayed re-check can spot a comeback. */
export interface Origin {
  ip: string | null;
  city: string | null;
  country: string | null;
}

export interface FailedSession {
  id: string;
  code: string;
  message: string;
}

export interface RemoveDetail {
  kind: 'remove' | 'remove-all';
  ended: number;
  alreadyEnded: number;
  failed: FailedSession[];
  /** Deletes whose answer was lost and whose effect could not be read back. */
  unknown: FailedSession[];
  /** Sessions counted as ended because, their delete's answer lost, Salesforce no longer lists them. */
  readBack?: { lostAnswer: string; ended: number };
  /** remove-all: the bot's own sessions left out of the deletion. */
  excludedOwn?: number;
  /** Salesforce answered busy first; the deletes were sent again. */
  retried?: Retried;
  origins: Origin[];
}

export interface FreezeDetail {
  kind: 'freeze' | 'unfreeze';
  frozen: boolean;
  changed: boolean;
  /** The code of an answer that was lost; the result was read back from Salesforce. */
  lostAnswer?: string;
  retried?: Retried;
}

export interface RevokeDetail {
  kind: 'revoke' | 'revoke-all';
  revoked: string[];
  notFound: string[];
  failed: { appName: string; code: string; message: string }[];
  /** Revocations whose answer was lost and whose effect could not be read back. */
  unknown: { appName: string; code: string; message: string }[];
  /** Apps counted as revoked because, their answer lost, the grant is gone when read back. */
  readBack?: { lostAnswer: string; revoked: string[] };
  retried?: Retried;
}

export interface ResetDetail {
  kind: 'reset-password';
  reset: boolean;
}

export interface DeactivateDetail {
  kind: 'deactivate';
  deactivated: boolean;
  lostAnswer?: string;
  retried?: Retried;
}

export interface ErrorDetail {
  kind: StepKind | 'plan';
  error: { code: string; message: string };
  /**
   * Set when the answer was lost: `not_done` the read-back proved nothing changed; `failed` the
   * read-back failed too; `impossible` nothing can be read back (a password reset).
   */
  readBack?: 'not_done' | 'failed' | 'impossible';
}

/** Set by the reconciler on steps it found done (or could not prove) instead of running them. */
export interface ReconciledDetail {
  kind: StepKind;
  reconciled: 'already_done' | 'needs_review';
  reason: string;
}

export type StepDetail = RemoveDetail | FreezeDetail | RevokeDetail | ResetDetail | DeactivateDetail | ErrorDetail | ReconciledDetail;

export interface StepResult extends StepOutcome {
  step: StepKind | 'plan';
  status: StepStatus;
  detail: StepDetail;
  /** Calls that spent the org's daily API allowance. */
  apiCalls: number;
  /** OAuth revoke calls (not counted by Salesforce against the allowance). */
  oauthCalls: number;
  at: Date;
}

export type StepHook = (result: StepResult) => Promise<void> | void;
/** Awaited before a step's first Salesforce call; a failing one stops the run before anything is sent. */
export type StepStartHook = (step: Step) => Promise<void> | void;

export interface StepHooks {
  onStep?: StepHook;
  onStepStart?: StepStartHook;
}

export interface ExecutorDeps {
  actions: SalesforceActions;
  logger?: Logger;
  now?: () => Date;
}

function originOf(s: Session): Origin {
  return { ip: s.sourceIp, city: s.place?.city ?? null, country: s.place?.country ?? null };
}

function distinctOrigins(sessions: readonly Session[]): Origin[] {
  const seen = new Map<string, Origin>();
  for (const s of sessions) {
    const o = originOf(s);
    seen.set(JSON.stringify([o.ip, o.city, o.country]), o);
  }
  return [...seen.values()];
}

/** A proven failure outranks an unknown outcome: it needs a person either way, and is certain. */
function removeStatus(d: RemoveDetail): StepStatus {
  if (d.failed.length > 0) return d.ended + d.alreadyEnded > 0 ? 'partial' : 'failed';
  return d.unknown.length > 0 ? 'unknown' : 'ok';
}

function tally(kind: RemoveDetail['kind'], results: readonly SessionResult[], origins: Origin[]): RemoveDetail {
  const detail: RemoveDetail = { kind, ended: 0, alreadyEnded: 0, failed: [], unknown: [], origins };
  for (const r of results) {
    if (r.result === 'ended') {
      detail.ended += 1;
      if (r.retried && r.retried.count > (detail.retried?.count ?? 0)) detail.retried = r.retried;
      if (r.lostAnswer) detail.readBack = { lostAnswer: r.lostAnswer, ended: (detail.readBack?.ended ?? 0) + 1 };
    } else if (r.result === 'already_ended') detail.alreadyEnded += 1;
    else if (r.result === 'unknown') detail.unknown.push({ id: r.id, code: r.code, message: r.message });
    else detail.failed.push({ id: r.id, code: r.code, message: r.message });
  }
  return detail;
}

/** "(Salesforce answered late (TIMEOUT); read back: done)" */
function readBackNote(lostAnswer: string | undefined): string {
  return lostAnswer ? ` (${lostAnswerText(lostAnswer)}; read back: done)` : '';
}

/** " after 2 retries (503 SERVER_UNAVAILABLE)": the step line says the change needed retries. */
function retriedNote(retried: Retried | undefined): string {
  return retried ? ` ${retriedText(retried)}` : '';
}

const RECHECK_LOOKS_AGAIN = 'the delayed re-check will look again';

function removeSummary(d: RemoveDetail): string {
  const readBack = d.readBack ? ` (${d.readBack.ended} of them: ${lostAnswerText(d.readBack.lostAnswer)}; read back: done)` : '';
  const parts = [`ended ${plural(d.ended, 'session')}${retriedNote(d.retried)}${readBack}`];
  if (d.alreadyEnded > 0) parts.push(`${d.alreadyEnded} had already ended`);
  if (d.failed.length > 0) parts.push(`${d.failed.length} could not be ended (${[...new Set(d.failed.map((f) => f.code))].join(', ')})`);
  if (d.unknown.length > 0) {
    const codes = [...new Set(d.unknown.map((f) => f.code))].join(', ');
    parts.push(`${d.unknown.length} could not be confirmed (answer lost: ${codes}, and the read-back failed); ${RECHECK_LOOKS_AGAIN}`);
  }
  if (d.excludedOwn) parts.push(`left the bot's own ${plural(d.excludedOwn, 'session')} alone`);
  return `${parts.join('; ')}.${d.ended > 0 ? ` ${TOKEN_GRACE_NOTE}` : ''}`;
}

/**
 * "For most Salesforce services, ending the session immediately revokes the associated access
 * token. For some services, it can take up to 30 minutes" (Salesforce Help, Session Management).
 */
export const TOKEN_GRACE_NOTE = 'Some Salesforce services may accept an ended session’s token for up to 30 minutes; the bot checks again then.';

function revokeSummary(d: RevokeDetail): string {
  const parts: string[] = [];
  const nothing = d.failed.length + d.unknown.length > 0 ? 'revoked no grant' : 'no grant to revoke';
  parts.push(d.revoked.length > 0 ? `revoked ${plural(d.revoked.length, 'grant')} (${d.revoked.join(', ')})${retriedNote(d.retried)}` : nothing);
  if (d.readBack) parts.push(`${d.readBack.revoked.join(', ')}: ${lostAnswerText(d.readBack.lostAnswer)}; read back: done`);
  if (d.notFound.length > 0) parts.push(`no grant found for ${d.notFound.join(', ')}`);
  if (d.failed.length > 0) parts.push(`could not revoke ${d.failed.map((f) => `${f.appName} (${f.code})`).join(', ')}`);
  if (d.unknown.length > 0) {
    parts.push(`could not confirm ${d.unknown.map((f) => `${f.appName} (answer lost: ${f.code})`).join(', ')}; ${RECHECK_LOOKS_AGAIN}`);
  }
  return `${parts.join('; ')}.`;
}

function revokeDetail(kind: RevokeDetail['kind'], results: readonly GrantResult[]): RevokeDetail {
  const d: RevokeDetail = { kind, revoked: [], notFound: [], failed: [], unknown: [] };
  for (const r of results) {
    if (r.result === 'revoked') {
      d.revoked.push(r.appName);
      if (r.retried && r.retried.count > (d.retried?.count ?? 0)) d.retried = r.retried;
      if (r.lostAnswer) d.readBack = { lostAnswer: r.lostAnswer, revoked: [...(d.readBack?.revoked ?? []), r.appName] };
    } else if (r.result === 'not_found') d.notFound.push(r.appName);
    else if (r.result === 'unknown') d.unknown.push({ appName: r.appName, code: r.code, message: r.message });
    else d.failed.push({ appName: r.appName, code: r.code, message: r.message });
  }
  return d;
}

function revokeStatus(d: RevokeDetail): StepStatus {
  if (d.failed.length > 0) return d.revoked.length > 0 ? 'partial' : 'failed';
  return d.unknown.length > 0 ? 'unknown' : 'ok';
}

/**
 * A step that threw. A change whose answer was lost is `unknown` unless Salesforce read back
 * proved it not done; a password reset that may have gone out is "probably done", never retried.
 */
function thrownOutcome(kind: StepKind, err: unknown): Outcome {
  const e = toSalesforceError(err);
  const error = { code: e.errorCode, message: e.message };
  if (e instanceof NotAppliedError) {
    return { status: 'failed', summary: `${kind} failed: ${e.message}.`, detail: { kind, error, readBack: 'not_done' } };
  }
  if (e instanceof OutcomeUnknownError && e.readBack === null) {
    return {
      status: 'unknown',
      summary: `Password reset probably done: ${lostAnswerText(e.errorCode)}, and a reset cannot be read back. Not repeated — check with the user whether the reset e-mail arrived.`,
      detail: { kind, error, readBack: 'impossible' },
    };
  }
  if (e instanceof OutcomeUnknownError) {
    return {
      status: 'unknown',
      summary: `${kind}: ${lostAnswerText(e.errorCode)}${retriedNote(e.retried)} and reading it back failed (${e.readBack?.errorCode ?? 'UNKNOWN'}); could not confirm — ${RECHECK_LOOKS_AGAIN}.`,
      detail: { kind, error, readBack: 'failed' },
    };
  }
  // The bot refused before calling Salesforce; its message says why and what to do.
  if (e.errorCode === GRANTS_HIDDEN) return { status: 'failed', summary: `${kind} not done: ${e.message}`, detail: { kind, error } };
  if (kind === 'deactivate' && isRefusal(e)) return { status: 'failed', summary: deactivationRefusedText(e), detail: { kind, error } };
  return { status: 'failed', summary: `${kind} failed: Salesforce answered ${e.errorCode}.`, detail: { kind, error } };
}

type Outcome = Pick<StepResult, 'status' | 'summary' | 'detail'>;

/** A definite "no" from Salesforce (a 4xx other than an expired login or the allowance), not a fault worth retrying. */
function isRefusal(e: SalesforceError): boolean {
  return e.status !== undefined && e.status >= 400 && e.status < 500 && e.status !== 401 && e.errorCode !== 'REQUEST_LIMIT_EXCEEDED';
}

/**
 * Salesforce will not deactivate a user who is a default owner or creator (default case owner,
 * automated case user, Web-to-Lead default creator, default workflow user, assignment or
 * auto-response rules, an approver) or who is named in a custom hierarchy field (Salesforce Help
 * 000384586 and 000384761). Its own message names which; the admin reassigns that, or freezes.
 */
function deactivationRefusedText(e: SalesforceError): string {
  const said = e.message.replace(/\s+/g, ' ').trim().slice(0, 300);
  return (
    `Salesforce refused to deactivate the user (${e.errorCode}: ${said}). A user who is a default owner or creator ` +
    '(default case owner, automated case user, Web-to-Lead default creator, default workflow user, assignment or auto-response rules, an approver) ' +
    'or is named in a hierarchy field cannot be deactivated: reassign that setting to another user in Setup and ask again, ' +
    'or freeze the user instead (Freeze blocks new logins at once and can be undone).'
  );
}

/**
 * Runs an approved request's steps against Salesforce, in order, once. A failed step does not stop
 * the later ones (containment should get as far as it can); `onStep` is awaited after every step
 * so the caller can audit it and reply in the thread before the next one starts. A failing
 * `onStep` stops the run: no action goes unrecorded. `onStepStart` is awaited before each step,
 * so the caller can record that the step may be sent (see the reconciler).
 */
export class Executor implements ExecutorPort {
  private readonly now: () => Date;

  constructor(private readonly deps: ExecutorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async run(request: ActionRequest, hooks: StepHook | StepHooks = {}): Promise<StepResult[]> {
    const onStep = typeof hooks === 'function' ? hooks : hooks.onStep;
    const onStepStart = typeof hooks === 'function' ? undefined : hooks.onStepStart;
    let steps: Step[];
    try {
      steps = planFor(request);
    } catch (err) {
      const result: StepResult = {
        step: 'plan',
        status: 'failed',
        summary: `The request cannot be executed: ${err instanceof Error ? err.message : String(err)}.`,
        detail: { kind: 'plan', error: { code: 'INVALID_REQUEST', message: err instanceof Error ? err.message : String(err) } },
        apiCalls: 0,
        oauthCalls: 0,
        at: this.now(),
      };
      await onStep?.(result);
      return [result];
    }
    const results: StepResult[] = [];
    for (const step of steps) {
      await onStepStart?.(step);
      const result = await this.runStep(request, step);
      results.push(result);
      await onStep?.(result);
    }
    return results;
  }

  /** One step, metered; Salesforce errors become a failed result instead of an exception. */
  async runStep(request: ActionRequest, step: Step, meter: ApiMeter = new ApiMeter()): Promise<StepResult> {
    const actions = this.deps.actions.metered(meter);
    let outcome: Outcome;
    try {
      outcome = await this.perform(actions, request, step);
    } catch (err) {
      outcome = thrownOutcome(step.kind, err);
    }
    const result: StepResult = { step: step.kind, ...outcome, apiCalls: meter.rest, oauthCalls: meter.oauth, at: this.now() };
    this.deps.logger?.info(
      { request: request.id, step: step.kind, status: result.status, apiCalls: result.apiCalls, oauthCalls: result.oauthCalls },
      'request step done',
    );
    return result;
  }

  private async perform(actions: SalesforceActions, request: ActionRequest, step: Step): Promise<Outcome> {
    const userId = request.target.userId;
    const botUserId = await actions.botUserId();
    if (botUserId !== null && botUserId === userId) {
      return {
        status: 'failed',
        summary: "Refused: the target is the bot's own Salesforce user.",
        detail: { kind: step.kind, error: { code: 'REFUSED_BOT_USER', message: 'the bot never acts on its own Salesforce user' } },
      };
    }
    switch (step.kind) {
      case 'remove':
        return this.remove(actions, userId, botUserId, step.ids);
      case 'remove-all':
        return this.removeAll(actions, userId, botUserId);
      case 'freeze':
      case 'unfreeze': {
        const frozen = step.kind === 'freeze';
        // The UserLogin id read at request time saves the lookup query.
        const userLoginId = 'userLoginId' in request.params ? request.params.userLoginId : undefined;
        const r = await actions.freeze(userId, frozen, userLoginId);
        const detail: FreezeDetail = {
          kind: step.kind,
          frozen,
          changed: r.result === 'changed',
          ...(r.lostAnswer ? { lostAnswer: r.lostAnswer } : {}),
          ...(r.retried ? { retried: r.retried } : {}),
        };
        const verb = frozen ? 'frozen' : 'unfrozen';
        return {
          status: 'ok',
          summary:
            r.result === 'changed' ? `User ${verb}${retriedNote(r.retried)}${readBackNote(r.lostAnswer)}.` : `User was already ${verb}; nothing changed.`,
          detail,
        };
      }
      case 'reset-password':
        await actions.resetPassword(userId);
        return {
          status: 'ok',
          summary: 'Password reset; Salesforce emails the user a link to set a new one.',
          detail: { kind: 'reset-password', reset: true },
        };
      case 'revoke':
      case 'revoke-all': {
        const d = revokeDetail(step.kind, await actions.revokeGrants(userId, step.kind === 'revoke' ? step.appNames : undefined));
        return { status: revokeStatus(d), summary: revokeSummary(d), detail: d };
      }
      case 'deactivate': {
        const r = await actions.deactivate(userId);
        const detail: DeactivateDetail = {
          kind: 'deactivate',
          deactivated: true,
          ...(r.lostAnswer ? { lostAnswer: r.lostAnswer } : {}),
          ...(r.retried ? { retried: r.retried } : {}),
        };
        return { status: 'ok', summary: `User deactivated${retriedNote(r.retried)}${readBackNote(r.lostAnswer)}.`, detail };
      }
    }
  }

  /**
   * Chosen sessions: their owners are checked first (one query), so a session of the bot, or of
   * anyone but the target, is refused even if the request names it; ids Salesforce no longer
   * knows count as already ended without spending a delete on them.
   */
  private async remove(actions: SalesforceActions, userId: string, botUserId: string | null, ids: readonly string[]): Promise<Outcome> {
    const found = new Map((await actions.sessionsById(ids)).map((s) => [s.id, s]));
    const settled: SessionResult[] = [];
    const toRemove: string[] = [];
    for (const id of new Set(ids)) {
      const s = found.get(id);
      // Malformed ids go on so that removeSessions reports them; it never sends them.
      if (!isSalesforceId(id)) toRemove.push(id);
      else if (!s) settled.push({ id, result: 'already_ended', code: 'NOT_FOUND' });
      else if (s.userId !== userId && !isBotOwnSession(s, botUserId)) {
        settled.push({ id, result: 'failed', code: 'NOT_TARGET_SESSION', message: 'the session belongs to another user than the request names' });
      } else toRemove.push(id);
    }
    const isOwn = (id: string): boolean => {
      const s = found.get(id);
      return s !== undefined && isBotOwnSession(s, botUserId);
    };
    const results = [...(toRemove.length > 0 ? await actions.removeSessions(toRemove, isOwn) : []), ...settled];
    const ended = new Set(results.filter((r) => r.result === 'ended').map((r) => r.id));
    const detail = tally('remove', results, distinctOrigins([...found.values()].filter((s) => ended.has(s.id))));
    return { status: removeStatus(detail), summary: removeSummary(detail), detail };
  }

  /** Every session the user has at execution time (newer ones included), except the bot's own. */
  private async removeAll(actions: SalesforceActions, userId: string, botUserId: string | null): Promise<Outcome> {
    const sessions = await actions.remainingSessions(userId);
    const own = (s: Session): boolean => isBotOwnSession(s, botUserId);
    const targets = sessions.filter((s) => !own(s));
    const ownIds = new Set(sessions.filter(own).map((s) => s.id));
    const results =
      targets.length > 0
        ? await actions.removeSessions(
            targets.map((s) => s.id),
            (id) => ownIds.has(id),
          )
        : [];
    const ended = new Set(results.filter((r) => r.result === 'ended').map((r) => r.id));
    const detail = tally('remove-all', results, distinctOrigins(targets.filter((s) => ended.has(s.id))));
    detail.excludedOwn = ownIds.size;
    const summary = targets.length === 0 ? 'The user had no session to end.' : removeSummary(detail);
    return { status: removeStatus(detail), summary, detail };
  }
}
