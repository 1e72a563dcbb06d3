import type { ActionRequest } from '../domain/requests';

/** One executed step, as recorded in the audit trail and shown in the request's thread. */
export interface StepOutcome {
  step: string;
  /** `unknown`: the answer to a change was lost and could not be read back; never repeated blindly. */
  status: 'ok' | 'partial' | 'failed' | 'skipped' | 'unknown';
  /** A sentence for people (no secrets). */
  summary: string;
  /** The API's answer in structured form (ids ended, error codes…), for the audit trail. */
  detail: unknown;
  apiCalls: number;
}

export interface Verdict {
  ok: boolean;
  summary: string;
  /** Sentences that deserve an alert (e.g. a new session from the same IP after containment). */
  alerts: string[];
  detail: unknown;
  /** Salesforce could not be read to verify: nothing is known either way (never "not in effect"). */
  unverified?: boolean;
}

/**
 * `onStepStart` is awaited before a step's first Salesforce call, so that after a crash the
 * reconciler can tell a step that never started (safe to run) from one that may have been sent
 * (a password reset is then never repeated); `onStep` is awaited after each step.
 */
export interface RunHooks {
  onStep: (outcome: StepOutcome) => Promise<void>;
  onStepStart?: (step: { kind: string }) => Promise<void>;
}

/** The Salesforce side of execution, implemented in src/salesforce and adapted in the composition root. */
export interface ExecutorPort {
  run(request: ActionRequest, hooks: ((outcome: StepOutcome) => Promise<void>) | RunHooks): Promise<StepOutcome[]>;
}

export interface VerifierPort {
  /** `executedAt` set → the delayed re-check, which also looks for new sessions since then. */
  verify(request: ActionRequest, options: { executedAt?: Date }): Promise<Verdict>;
}

export interface ReconcilerPort {
  /**
   * Asks Salesforce what is already done and finishes the rest; never blind re-execution.
   * `deferred` (with the cause in `reason`): Salesforce could not be read and nothing was run.
   */
  reconcile(
    request: ActionRequest,
    hooks: ((outcome: StepOutcome) => Promise<void>) | RunHooks,
  ): Promise<{ outcome: 'completed' | 'needs_review' | 'deferred'; steps: StepOutcome[]; reason?: string }>;
}

/**
 * How requests reach people (Slack, in production), kept behind an interface so this module knows
 * no Slack. Every method only records what is owed (an outbox row in the database) and returns:
 * none waits for Slack or fails because of it, so deciding and executing never depend on Slack
 * being up. A database failure does throw.
 */
export interface RequestNotifier {
  /** Queues the request message; 'already_queued' when a post for it is still waiting. */
  posted(request: ActionRequest): Promise<'queued' | 'already_queued'>;
  /** Queues the requester's private confirmation (with a link to the posted message) to a response_url. */
  confirmed(request: ActionRequest, responseUrl: string): Promise<void>;
  /** Queues an in-place update showing the request's state at delivery time. */
  updated(request: ActionRequest): Promise<void>;
  step(request: ActionRequest, outcome: StepOutcome): Promise<void>;
  verdict(request: ActionRequest, verdict: Verdict): Promise<void>;
  requesterTold(request: ActionRequest): Promise<void>;
}
