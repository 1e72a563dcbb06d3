import { isBotOwnSession } from '../domain/families';
import type { Logger } from '../logger';
import { ApiMeter } from '../salesforce/metered-rest';
import { isServerBusy } from '../salesforce/change-retry';
import { toSalesforceError, type SalesforceError } from '../salesforce/errors';
import { isLostAnswer } from '../salesforce/lost-answer';
import type { SalesforceActions, UserSnapshot } from '../salesforce/actions';
import type { Executor, StepHook, StepHooks, StepResult } from './executor';
import { progressOf, stepProgress, type ExecutionProgress } from './execution-progress';
import { planFor, type Step } from './plan';
import type { ReconcilerPort } from './ports';
import type { ActionRequest } from '../domain/requests';

/** `deferred`: Salesforce could not be read at all (login down, unreachable, busy); nothing was run, try later. */
export type ReconcileOutcome = 'completed' | 'needs_review' | 'deferred';

/**
 * Causes after which Salesforce will answer again by itself: the login is down (the supervisor
 * retries it), the instance is busy or unreachable, or the call timed out. A refusal (missing
 * permission, API disabled) needs a person and still goes to review.
 */
function passing(e: SalesforceError): boolean {
  if (e.errorCode === 'LOGIN_FAILED' || isLostAnswer(e) || isServerBusy(e)) return true;
  return ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'REQUEST_LIMIT_EXCEEDED'].includes(e.errorCode);
}

export interface ReconcilerDeps {
  actions: SalesforceActions;
  executor: Executor;
  logger?: Logger;
  now?: () => Date;
}

/** What a step needs to be judged from Salesforce; 'unprovable' ones are never repeated. */
type Finding = { done: true; reason: string } | { done: false; step: Step } | { unprovable: string };

/**
 * After a restart, requests left in `executing` may be half done. For each, Salesforce is asked
 * what is already in effect (one Composite call) and only the missing steps are run — never a
 * blind re-execution. A password reset leaves nothing to query, and a user found still active
 * may have been reactivated by someone since: both go to a human instead of being repeated —
 * unless the progress recorded in `request.result` (see execution-progress.ts) shows the step
 * never started, in which case nothing was sent and it runs now.
 */
export class Reconciler implements ReconcilerPort {
  private readonly now: () => Date;

  constructor(private readonly deps: ReconcilerDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  /** `onStepStart` is awaited before a step is run here, as in the executor, so a second crash is reconciled as safely. */
  async reconcile(request: ActionRequest, hooks: StepHook | StepHooks = {}): Promise<{ outcome: ReconcileOutcome; steps: StepResult[]; reason?: string }> {
    return this.reconcileOne(request, typeof hooks === 'function' ? { onStep: hooks } : hooks);
  }

  private async reconcileOne(request: ActionRequest, hooks: StepHooks): Promise<{ outcome: ReconcileOutcome; steps: StepResult[]; reason?: string }> {
    const { onStep, onStepStart } = hooks;
    let plan: Step[];
    try {
      plan = planFor(request);
    } catch {
      // The executor turns an invalid plan into one failed step; nothing was run then either.
      const steps = await this.deps.executor.run(request, hooks);
      return { outcome: 'needs_review', steps };
    }
    const progress = progressOf(request.result);
    const meter = new ApiMeter();
    let snap: UserSnapshot;
    let botUserId: string | null;
    try {
      const actions = this.deps.actions.metered(meter);
      snap = await actions.snapshot(request.target.userId, {
        sessions: plan.some((s) => s.kind === 'remove' || s.kind === 'remove-all'),
        grants: plan.some((s) => s.kind === 'revoke' || s.kind === 'revoke-all'),
        frozen: plan.some((s) => s.kind === 'freeze' || s.kind === 'unfreeze'),
        active: plan.some((s) => s.kind === 'deactivate'),
      });
      botUserId = await actions.botUserId();
    } catch (err) {
      const e = toSalesforceError(err);
      if (passing(e)) {
        // Nothing was sent: closing the request now would drop an approved action for an outage of seconds.
        this.deps.logger?.warn({ request: request.id, code: e.errorCode }, 'reconciliation could not read Salesforce; waiting for it');
        return { outcome: 'deferred', steps: [], reason: e.errorCode };
      }
      this.deps.logger?.error({ request: request.id, code: e.errorCode }, 'reconciliation could not read Salesforce');
      const steps: StepResult[] = [];
      for (const step of plan) {
        const r = this.record(
          step,
          'skipped',
          'needs_review',
          `Salesforce could not be read (${e.errorCode}); check by hand.`,
          steps.length === 0 ? meter : undefined,
        );
        steps.push(r);
        await onStep?.(r);
      }
      return { outcome: 'needs_review', steps };
    }

    const steps: StepResult[] = [];
    let review = false;
    for (const step of plan) {
      // The snapshot's cost is reported on the first step.
      const checkCost = steps.length === 0 ? meter : undefined;
      const finding = this.judge(step, snap, botUserId, progress);
      let result: StepResult;
      if ('unprovable' in finding) {
        review = true;
        result = this.record(step, 'skipped', 'needs_review', finding.unprovable, checkCost);
      } else if (finding.done) {
        result = this.record(step, 'ok', 'already_done', finding.reason, checkCost);
      } else {
        await onStepStart?.(finding.step);
        result = await this.deps.executor.runStep(request, finding.step);
        if (checkCost) result = { ...result, apiCalls: result.apiCalls + checkCost.rest };
        if (result.status !== 'ok') review = true;
      }
      steps.push(result);
      await onStep?.(result);
    }
    this.deps.logger?.info({ request: request.id, outcome: review ? 'needs_review' : 'completed' }, 'request reconciled');
    return { outcome: review ? 'needs_review' : 'completed', steps };
  }

  private judge(step: Step, snap: UserSnapshot, botUserId: string | null, progress: ExecutionProgress | null): Finding {
    const live = (snap.sessions ?? []).filter((s) => !isBotOwnSession(s, botUserId));
    switch (step.kind) {
      case 'remove': {
        const left = new Set(live.map((s) => s.id));
        const ids = step.ids.filter((id) => left.has(id));
        return ids.length === 0 ? { done: true, reason: 'Salesforce lists none of these sessions any more.' } : { done: false, step: { kind: 'remove', ids } };
      }
      case 'remove-all':
        // Running it again deletes only what Salesforce still lists, fetched afresh.
        return live.length === 0 ? { done: true, reason: 'Salesforce lists no session for the user any more.' } : { done: false, step };
      case 'freeze':
      case 'unfreeze': {
        const want = step.kind === 'freeze';
        if (snap.isFrozen === want) return { done: true, reason: `The user is already ${want ? 'frozen' : 'unfrozen'} in Salesforce.` };
        return { done: false, step };
      }
      case 'revoke':
      case 'revoke-all': {
        if (snap.grants === null) return { unprovable: 'The grants could not be read (the bot needs Customize Application); check them by hand.' };
        const wanted = step.kind === 'revoke' ? new Set(step.appNames) : null;
        const left = snap.grants.filter((a) => !wanted || wanted.has(a));
        return left.length === 0
          ? { done: true, reason: 'No matching grant is left in Salesforce.' }
          : { done: false, step: step.kind === 'revoke' ? { kind: 'revoke', appNames: [...new Set(left)] } : step };
      }
      case 'reset-password':
        return judgeReset(step, progress);
      case 'deactivate':
        if (snap.isActive === false) return { done: true, reason: 'The user is already inactive in Salesforce.' };
        // Never started: nobody can have reactivated a user the bot never deactivated.
        if (stepProgress(progress, 'deactivate').state === 'not_started') return { done: false, step };
        return {
          unprovable: 'The user is still active; deactivation was not repeated (it may have been reactivated on purpose). Deactivate by hand if still wanted.',
        };
    }
  }

  private record(
    step: Step,
    status: 'ok' | 'skipped',
    reconciled: 'already_done' | 'needs_review',
    reason: string,
    checkCost: ApiMeter | undefined,
  ): StepResult {
    return {
      step: step.kind,
      status,
      summary: reason,
      detail: { kind: step.kind, reconciled, reason },
      apiCalls: checkCost?.rest ?? 0,
      oauthCalls: 0,
      at: this.now(),
    };
  }
}

const CHECK_EMAIL = 'Check with the user whether the reset e-mail arrived.';

/**
 * A reset leaves nothing Salesforce lets us read back, so only the recorded progress can tell:
 * never started → run it; finished ok → done; Salesforce refused it (a proven failure, no e-mail
 * sent) → run it; started without a recorded answer, or an unknown outcome → probably done,
 * never repeated; nothing recorded at all → not repeated either.
 */
function judgeReset(step: Step, progress: ExecutionProgress | null): Finding {
  const { state, status } = stepProgress(progress, 'reset-password');
  switch (state) {
    case 'not_started':
      return { done: false, step };
    case 'finished':
      if (status === 'ok') return { done: true, reason: 'The password reset was done before the restart.' };
      if (status === 'failed') return { done: false, step };
      return { unprovable: `The password reset's answer was lost before the restart: probably done. It was not repeated. ${CHECK_EMAIL}` };
    case 'started':
      return {
        unprovable: `The password reset had started when the bot stopped, and no answer was recorded: probably done. It was not repeated. ${CHECK_EMAIL}`,
      };
    case 'not_recorded':
      return {
        unprovable: `A password reset leaves nothing Salesforce lets us read back, and this run recorded no progress; it was not repeated. ${CHECK_EMAIL}`,
      };
  }
}
