/** Times as Slack shows them: the clock in the viewer's zone, the full date on hover. */

export function clockTime(ms: number, timeZone: string): string {
  if (!Number.isFinite(ms)) return '';
  return new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(ms);
}

export function fullTime(ms: number, timeZone: string): string {
  if (!Number.isFinite(ms)) return '';
  return new Intl.DateTimeFormat('en-US', { timeZone, dateStyle: 'medium', timeStyle: 'long' }).format(ms);
}
