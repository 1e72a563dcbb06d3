/**
 * The org's daily API allowance and what the monitor does about it. Every Salesforce REST call
 * (the monitor's polls, /sessions, actions) spends the same allowance; the monitor gives way first.
 */

/** What Salesforce last reported in `Sforce-Limit-Info: api-usage=N/M`. */
export interface ApiUsage {
  used: number;
  limit: number;
}

/**
 * normal: poll at the configured interval; stretched: poll less often, the allowance is running
 * low; paused: stop polling, so the bot's own actions (ending sessions, freezing) still have calls.
 */
export type BudgetState = 'normal' | 'stretched' | 'paused';

/** Share of the daily allowance still unspent, in percent (negative once Salesforce let the org overrun). */
export function remainingPercent(usage: ApiUsage): number {
  return ((usage.limit - usage.used) / usage.limit) * 100;
}

/**
 * Remaining below `floorPercent` → stretched; below half of it → paused. Unknown usage (no answer
 * yet) holds nothing back: the first poll's answer tells.
 */
export function budgetState(usage: ApiUsage | null, floorPercent: number): BudgetState {
  if (!Number.isFinite(floorPercent) || floorPercent < 0 || floorPercent > 100) {
    throw new RangeError(`API budget floor must be a percentage from 0 to 100, got ${floorPercent}`);
  }
  if (usage === null) return 'normal';
  if (usage.limit <= 0) return 'paused';
  const remaining = remainingPercent(usage);
  if (remaining < floorPercent / 2 || remaining <= 0) return 'paused';
  if (remaining < floorPercent) return 'stretched';
  return 'normal';
}
