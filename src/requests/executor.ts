import type { Session } from '../domain/types';
import type { Logger } from '../logger';
import { ApiMeter } from '../salesforce/metered-rest';
import type { GrantResult, SalesforceActions, SessionResult } from '../salesforce/actions';
import { toSalesforceError } from '../salesforce/errors';
import { isSalesforceId } from '../salesforce/soql';
import { planFor, type Step, type StepKind } from './plan';
import type { ExecutorPort, StepOutcome } from './ports';
import type { ActionRequest } from './types';

export type StepStatus = 'ok' | 'partial' | 'failed' | 'skipped';

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
  /** remove-all: the bot's own sessions left out of the deletion. */
  excludedOwn?: number;
  origins: Origin[];
}

export interface FreezeDetail {
  kind: 'freeze' | 'unfreeze';
  frozen: boolean;
  changed: boolean;
}

export interface RevokeDetail {
  kind: 'revoke' | 'revoke-all';
  revoked: string[];
  notFound: string[];
  failed: { appName: string; code: string; message: string }[];
}

export interface ResetDetail {
  kind: 'reset-password';
  reset: boolean;
}

export interface DeactivateDetail {
  kind: 'deactivate';
  deactivated: boolean;
}

export interface ErrorDetail {
  kind: StepKind | 'plan';
  error: { code: string; message: string };
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

function removeStatus(d: RemoveDetail): StepStatus {
  if (d.failed.length === 0) return 'ok';
  return d.ended + d.alreadyEnded > 0 ? 'partial' : 'failed';
}

function tally(kind: RemoveDetail['kind'], results: readonly SessionResult[], origins: Origin[]): RemoveDetail {
  const detail: RemoveDetail = { kind, ended: 0, alreadyEnded: 0, failed: [], origins };
  for (const r of results) {
    if (r.result === 'ended') detail.ended += 1;
    else if (r.result === 'already_ended') detail.alreadyEnded += 1;
    else detail.failed.push({ id: r.id, code: r.code, message: r.message });
  }
  return detail;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function removeSummary(d: RemoveDetail): string {
  const parts = [`ended ${plural(d.ended, 'session')}`];
  if (d.alreadyEnded > 0) parts.push(`${d.alreadyEnded} had already ended`);
  if (d.failed.length > 0) parts.push(`${d.failed.length} could not be ended (${[...new Set(d.failed.map((f) => f.code))].join(', ')})`);
  if (d.excludedOwn) parts.push(`left the bot's own ${plural(d.excludedOwn, 'session')} alone`);
  return `${parts.join('; ')}.`;
}

function revokeSummary(d: RevokeDetail): string {
  const parts: string[] = [];
  parts.push(d.revoked.length > 0 ? `revoked ${plural(d.revoked.length, 'grant')} (${d.revoked.join(', ')})` : 'no grant to revoke');
  if (d.notFound.length > 0) parts.push(`no grant found for ${d.notFound.join(', ')}`);
  if (d.failed.length > 0) parts.push(`could not revoke ${d.failed.map((f) => `${f.appName} (${f.code})`).join(', ')}`);
  return `${parts.join('; ')}.`;
}

function revokeDetail(kind: RevokeDetail['kind'], results: readonly GrantResult[]): RevokeDetail {
  const d: RevokeDetail = { kind, revoked: [], notFound: [], failed: [] };
  for (const r of results) {
    if (r.result === 'revoked') d.revoked.push(r.appName);
    else if (r.result === 'not_found') d.notFound.push(r.appName);
    else d.failed.push({ appName: r.appName, code: r.code, message: r.message });
  }
  return d;
}

type Outcome = Pick<StepResult, 'status' | 'summary' | 'detail'>;

/**
 * Runs an approved request's steps against Salesforce, in order, once. A failed step does not stop
 * the later ones (containment should get as far as it can); `onStep` is awaited after every step
 * so the caller can audit it and reply in the thread before the next one starts. A failing
 * `onStep` stops the run: no action goes unrecorded.
 */
export class Executor implements ExecutorPort {
  private readonly now: () => Date;

  constructor(private readonly deps: ExecutorDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  async run(request: ActionRequest, hooks: StepHook | { onStep?: StepHook } = {}): Promise<StepResult[]> {
    const onStep = typeof hooks === 'function' ? hooks : hooks.onStep;
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
      const e = toSalesforceError(err);
      outcome = {
        status: 'failed',
        summary: `${step.kind} failed: Salesforce answered ${e.errorCode}.`,
        detail: { kind: step.kind, error: { code: e.errorCode, message: e.message } },
      };
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
        detail: { kind: step.kind, error: { code: 'REFUSED_BOT_USER', message: "the bot never acts on its own Salesforce user" } },
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
        const userLoginId = typeof request.params.userLoginId === 'string' ? request.params.userLoginId : undefined;
        const r = await actions.freeze(userId, frozen, userLoginId);
        const detail: FreezeDetail = { kind: step.kind, frozen, changed: r.result === 'changed' };
        const verb = frozen ? 'frozen' : 'unfrozen';
        return { status: 'ok', summary: r.result === 'changed' ? `User ${verb}.` : `User was already ${verb}; nothing changed.`, detail };
      }
      case 'reset-password':
        await actions.resetPassword(userId);
        return { status: 'ok', summary: 'Password reset; Salesforce emails the user a link to set a new one.', detail: { kind: 'reset-password', reset: true } };
      case 'revoke':
      case 'revoke-all': {
        const d = revokeDetail(step.kind, await actions.revokeGrants(userId, step.kind === 'revoke' ? step.appNames : undefined));
        const status: StepStatus = d.failed.length === 0 ? 'ok' : d.revoked.length > 0 ? 'partial' : 'failed';
        return { status, summary: revokeSummary(d), detail: d };
      }
      case 'deactivate':
        await actions.deactivate(userId);
        return { status: 'ok', summary: 'User deactivated.', detail: { kind: 'deactivate', deactivated: true } };
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
      else if (s.userId !== userId && s.userId !== botUserId && !s.isCurrent) {
        settled.push({ id, result: 'failed', code: 'NOT_TARGET_SESSION', message: 'the session belongs to another user than the request names' });
      } else toRemove.push(id);
    }
    const isOwn = (id: string): boolean => {
      const s = found.get(id);
      return s !== undefined && (s.isCurrent || s.userId === botUserId);
    };
    const results = [...(toRemove.length > 0 ? await actions.removeSessions(toRemove, isOwn) : []), ...settled];
    const ended = new Set(results.filter((r) => r.result === 'ended').map((r) => r.id));
    const detail = tally('remove', results, distinctOrigins([...found.values()].filter((s) => ended.has(s.id))));
    return { status: removeStatus(detail), summary: removeSummary(detail), detail };
  }

  /** Every session the user has at execution time (newer ones included), except the bot's own. */
  private async removeAll(actions: SalesforceActions, userId: string, botUserId: string | null): Promise<Outcome> {
    const sessions = await actions.remainingSessions(userId);
    const own = (s: Session): boolean => s.isCurrent || (botUserId !== null && s.userId === botUserId);
    const targets = sessions.filter((s) => !own(s));
    const ownIds = new Set(sessions.filter(own).map((s) => s.id));
    const results = targets.length > 0 ? await actions.removeSessions(targets.map((s) => s.id), (id) => ownIds.has(id)) : [];
    const ended = new Set(results.filter((r) => r.result === 'ended').map((r) => r.id));
    const detail = tally('remove-all', results, distinctOrigins(targets.filter((s) => ended.has(s.id))));
    detail.excludedOwn = ownIds.size;
    const summary = targets.length === 0 ? 'The user had no session to end.' : removeSummary(detail);
    return { status: removeStatus(detail), summary, detail };
  }
}
