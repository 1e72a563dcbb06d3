import type { Connection } from 'jsforce';
import { toSalesforceError } from './errors';

/**
 * The newest REST API version this bot's suite runs against (the Salesforce stand-in serves up to
 * it). Newer ones the org offers are not used until tested: fields and behaviour change by version.
 */
export const NEWEST_TESTED_API_VERSION = '66.0';
/** AuthSession.IsCurrent needs 37.0. */
export const OLDEST_USABLE_API_VERSION = '37.0';

interface ListedVersion {
  version?: unknown;
}

/** The newest version in `listed` no newer than `newestTested` (and usable at all), or null. */
export function chooseApiVersion(listed: unknown, newestTested = NEWEST_TESTED_API_VERSION): string | null {
  if (!Array.isArray(listed)) return null;
  const ceiling = Number(newestTested);
  let best: number | null = null;
  for (const v of listed as ListedVersion[]) {
    const n = typeof v.version === 'string' && /^\d+\.\d$/.test(v.version) ? Number(v.version) : Number.NaN;
    if (Number.isFinite(n) && n >= Number(OLDEST_USABLE_API_VERSION) && n <= ceiling && (best === null || n > best)) best = n;
  }
  return best === null ? null : best.toFixed(1);
}

export type VersionChoice =
  | { kind: 'pinned'; version: string }
  | { kind: 'negotiated'; version: string; newestOffered: string | null }
  | { kind: 'fallback'; version: string; reason: string };

/**
 * Unless pinned, asks the org which versions it serves (GET /services/data: one call, at login)
 * and switches the connection to the newest one up to NEWEST_TESTED_API_VERSION. Every
 * SalesforceRest over this connection follows `conn.version`. A failure keeps the configured one.
 */
export async function settleApiVersion(conn: Connection, configured: string, pinned: boolean): Promise<VersionChoice> {
  if (pinned) return { kind: 'pinned', version: configured };
  let listed: unknown;
  try {
    listed = await conn.request<unknown>({ method: 'GET', url: '/services/data' });
  } catch (err) {
    return { kind: 'fallback', version: configured, reason: `Salesforce did not list its API versions (${toSalesforceError(err).errorCode})` };
  }
  const chosen = chooseApiVersion(listed);
  if (!chosen)
    return { kind: 'fallback', version: configured, reason: `the org lists no version from ${OLDEST_USABLE_API_VERSION} to ${NEWEST_TESTED_API_VERSION}` };
  conn.version = chosen;
  const offered = Array.isArray(listed) ? chooseApiVersion(listed, '999.0') : null;
  return { kind: 'negotiated', version: chosen, newestOffered: offered };
}

/** One sentence for the start log. */
export function describeVersionChoice(c: VersionChoice): string {
  switch (c.kind) {
    case 'pinned':
      return `Salesforce REST API v${c.version}, pinned by SF_API_VERSION`;
    case 'negotiated':
      return (
        `Salesforce REST API v${c.version}: the newest the org offers up to v${NEWEST_TESTED_API_VERSION}, the newest this bot is tested with` +
        (c.newestOffered && c.newestOffered !== c.version ? ` (the org also offers up to v${c.newestOffered})` : '')
      );
    case 'fallback':
      return `Salesforce REST API v${c.version} (the default): ${c.reason}`;
  }
}
