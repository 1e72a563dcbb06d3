/** How long to wait before reopening the event stream: quick at first, never hammering a stopped server. */
export function reconnectDelayMs(failedAttempts: number): number {
  const attempts = Math.max(0, Math.floor(failedAttempts));
  return Math.min(1000 * 2 ** attempts, 15000);
}
