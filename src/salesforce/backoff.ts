export interface BackoffPolicy {
  /** Wait after the first failure. */
  initialMs: number;
  maxMs: number;
  /** Each further failure multiplies the wait by this. */
  factor: number;
  /**
   * Share of the wait that is random (0–1), so several bots (or replicas) that lost Salesforce
   * together do not all come back at the same instant.
   */
  jitter: number;
}

/** 1 s, 2 s, 4 s … at most 60 s, up to 20 % shorter at random. */
export const LOGIN_BACKOFF: BackoffPolicy = { initialMs: 1_000, maxMs: 60_000, factor: 2, jitter: 0.2 };

/**
 * How long to wait after the `failures`-th failure in a row (1 = the first). `random` is in [0, 1);
 * jitter only shortens the wait, so `maxMs` stays a true maximum.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.max(0, failures - 1);
  const base = Math.min(policy.maxMs, policy.initialMs * policy.factor ** exponent);
  return Math.round(base * (1 - policy.jitter * random()));
}
