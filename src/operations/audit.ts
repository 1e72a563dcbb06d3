import type { AuditLine } from '../domain/audit-line';
import type { UserSelector } from '../domain/types';
import type { AuditEntry, AuditStore } from '../store/audit-store';
import { matchOne, type ActivitySource, type UserMatch } from './ports';

export type { AuditLine };

/** How many of a user's audit rows `/sessions audit <user>` shows. */
const USER_TRAIL_ROWS = 40;

export interface AuditDeps {
  activity: ActivitySource;
  audit: Pick<AuditStore, 'listForRequest' | 'listForTarget' | 'verifyChain'>;
}

function summarize(detail: unknown): string {
  if (!detail || typeof detail !== 'object') return '';
  const d = detail as Record<string, unknown>;
  const said = ['summary', 'reason', 'kind'].map((k) => d[k]).find((v): v is string => typeof v === 'string') ?? '';
  return typeof d.step === 'string' ? `${d.step}${said ? `: ${said}` : ''}` : said;
}

const line = (e: AuditEntry): AuditLine => ({ seq: e.seq, at: e.at, requestId: e.requestId, actor: e.actor, event: e.event, detail: summarize(e.detail) });

/** One request's audit rows, oldest first. */
export async function requestTrail(deps: AuditDeps, requestId: string): Promise<AuditLine[]> {
  return (await deps.audit.listForRequest(requestId)).map(line);
}

/** The latest audit rows about a Salesforce user, found by e-mail, username or id. */
export async function userTrail(deps: AuditDeps, selector: UserSelector): Promise<UserMatch<{ entries: AuditLine[] }>> {
  const match = matchOne(await deps.activity.findUsers(selector), selector);
  if (match.kind !== 'found') return match;
  return { ...match, entries: (await deps.audit.listForTarget(match.user.id, USER_TRAIL_ROWS)).map(line) };
}
