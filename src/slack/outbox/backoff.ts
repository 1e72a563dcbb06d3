export interface BackoffPolicy {
  /** Wait before the second attempt. */
  baseMs: number;
  /** No wait is longer than this, however many attempts failed. */
  maxMs: number;
}

/**
 * Exponential backoff with "equal jitter": the wait doubles per failed attempt up to the cap,
 * and a random half of it spreads replicas and rows out so they do not hit a recovering Slack
 * in lockstep. `failures` counts failed attempts so far (1 after the first failure).
 */
export function backoffMs(failures: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(failures - 1, 0), 30);
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
