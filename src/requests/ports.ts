import type { ActionRequest } from './types';

/** One executed step, as recorded in the audit trail and shown in the request's thread. */
export interface StepOutcome {
  step: string;
  status: 'ok' | 'partial' | 'failed' | 'skipped';
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
}

/** The Salesforce side of execution, implemented in src/salesforce and adapted in the composition root. */
export interface ExecutorPort {
  run(request: ActionRequest, onStep: (outcome: StepOutcome) => Promise<void>): Promise<StepOutcome[]>;
}

export interface VerifierPort {
  /** `executedAt` set → the delayed re-check, which also looks for new sessions since then. */
  verify(request: ActionRequest, options: { executedAt?: Date }): Promise<Verdict>;
}

export interface ReconcilerPort {
  /** Asks Salesforce what is already done and finishes the rest; never blind re-execution. */
  reconcile(request: ActionRequest, onStep: (outcome: StepOutcome) => Promise<void>): Promise<{ outcome: 'completed' | 'needs_review'; steps: StepOutcome[] }>;
}

/** How requests reach people (Slack, in production), kept behind an interface so this module knows no Slack. */
export interface RequestNotifier {
  posted(request: ActionRequest): Promise<{ channelId: string; ts: string } | null>;
  updated(request: ActionRequest): Promise<void>;
  step(request: ActionRequest, outcome: StepOutcome): Promise<void>;
  verdict(request: ActionRequest, verdict: Verdict): Promise<void>;
  requesterTold(request: ActionRequest): Promise<void>;
}
