import type { Connection } from 'jsforce';

/**
 * The org's daily API allowance as Salesforce last reported it. Every REST answer carries
 * `Sforce-Limit-Info: api-usage=N/M`; jsforce 3 (Connection.request, on each HTTP response,
 * errors included) parses it into `conn.limitInfo.apiUsage = { used, limit }`. jsforce empties
 * `limitInfo` when it (re-)establishes a session, so until the next answer the usage is unknown.
 */
import type { ApiUsage } from '../domain/budget';

export type { ApiUsage };

/** The usage from the last answer on this connection, or null when none has said it yet (or it is unreadable). */
export function apiUsageOf(conn: Pick<Connection, 'limitInfo'>): ApiUsage | null {
  const usage = conn.limitInfo?.apiUsage;
  if (!usage) return null;
  const { used, limit } = usage;
  if (!Number.isFinite(used) || !Number.isFinite(limit) || used < 0 || limit <= 0) return null;
  return { used, limit };
}
