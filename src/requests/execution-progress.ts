/**
 * How far a request got, as the service records it in `request.result` while the request is
 * executing: which steps may have reached Salesforce, and which finished with what status. After
 * a crash it is what lets the reconciler tell a step that never started (safe to run) from one
 * that may have been sent without its answer being recorded (a password reset: never repeated).
 */
export interface ExecutionProgress {
  /** Step kinds recorded before their first Salesforce call, in order. */
  started: string[];
  /** Finished steps, in order. */
  steps: { step: string; status: string }[];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The progress in a stored result; null when none was recorded (e.g. a run by an older version). */
export function progressOf(result: unknown): ExecutionProgress | null {
  if (!isRecord(result) || !Array.isArray(result.started)) return null;
  const started = result.started.filter((k): k is string => typeof k === 'string');
  const steps = Array.isArray(result.steps)
    ? result.steps.filter(isRecord).flatMap((s) => (typeof s.step === 'string' && typeof s.status === 'string' ? [{ step: s.step, status: s.status }] : []))
    : [];
  return { started, steps };
}

/** `result` with `kind` marked started; other fields (finished steps…) kept. Pure. */
export function withStepStarted<R extends object>(result: R | null | undefined, kind: string): R & { started: string[] } {
  const base = (result ?? {}) as R & { started?: unknown };
  const started = Array.isArray(base.started) ? base.started.filter((k): k is string => typeof k === 'string') : [];
  return { ...base, started: [...started, kind] };
}

export type StepProgress = 'finished' | 'started' | 'not_started' | 'not_recorded';

/** Where one step stood when the run stopped. */
export function stepProgress(progress: ExecutionProgress | null, kind: string): { state: StepProgress; status?: string } {
  if (!progress) return { state: 'not_recorded' };
  // The last record wins: a reconciliation appends to what the interrupted run recorded.
  const finished = [...progress.steps].reverse().find((s) => s.step === kind);
  if (finished) return { state: 'finished', status: finished.status };
  return { state: progress.started.includes(kind) ? 'started' : 'not_started' };
}
