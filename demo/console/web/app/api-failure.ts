/**
 * Turns what the console server answered (or did not) into one sentence for a toast. Pure, so every
 * way a request can fail is tested in one table.
 */

export const SERVER_SILENT = 'The console server did not answer — is npm run demo still running?';

/** What came back from one request: nothing at all, or an HTTP status with the body as text. */
export type Outcome = { kind: 'network-error' } | { kind: 'http'; status: number; body: string };

function serverErrorText(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed !== null && typeof parsed === 'object' && 'error' in parsed && typeof parsed.error === 'string' && parsed.error.trim() !== '')
      return parsed.error;
  } catch {
    // Not JSON (a proxy's HTML page, an empty body): the status says enough.
  }
  return undefined;
}

/** null when the request succeeded (2xx and `{ ok: true }`), otherwise the cause in words. */
export function describeFailure(outcome: Outcome): string | null {
  if (outcome.kind === 'network-error') return SERVER_SILENT;
  const error = serverErrorText(outcome.body);
  if (outcome.status < 200 || outcome.status > 299) return error ?? `The console server answered HTTP ${outcome.status}.`;
  if (error !== undefined) return error;
  try {
    const parsed: unknown = JSON.parse(outcome.body);
    if (parsed !== null && typeof parsed === 'object' && 'ok' in parsed && parsed.ok === true) return null;
    if (parsed !== null && typeof parsed === 'object' && 'ok' in parsed && parsed.ok === false)
      return 'The console server refused the request without saying why.';
  } catch {
    // Falls through: a 2xx that is not JSON is the server's bug, named below.
  }
  return 'The console server sent an answer this page does not understand.';
}
