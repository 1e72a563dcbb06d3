/**
 * Alert digests, Slack-free: what a storm's digest says (counts per rule, the worst alerts as they
 * are now) and a slice of the rest, for the digest message and for "Show the rest".
 */
import type { Finding, Session, Severity, SfUser } from '../domain/types';
import type { RuleMeta } from '../rules/rule';
import type { AlertRecord, AlertsStore } from '../store/alerts-store';
import type { DigestsStore } from '../store/digests-store';
import type { MonitorStore } from '../store/monitor-store';

/** One alert of a digest as it is now: its finding, rule, user, the sessions it names, and whether it is still open. */
export interface DigestAlert {
  finding: Finding;
  rule: Pick<RuleMeta, 'title' | 'runbook'>;
  user: Pick<SfUser, 'name' | 'username' | 'email' | 'profileName'>;
  sessions: Session[];
  open: boolean;
}

export interface DigestOverview {
  id: string;
  total: number;
  /** The digest's Slack message, once posted. */
  messageTs: string | null;
  counts: { rule: string; title: string; severity: Severity; count: number }[];
  worst: DigestAlert[];
}

export interface DigestSlice {
  id: string;
  total: number;
  items: DigestAlert[];
}

export interface DigestDeps {
  digests: Pick<DigestsStore, 'get' | 'countsByRule' | 'keys'>;
  alerts: Pick<AlertsStore, 'get'>;
  mirror: Pick<MonitorStore, 'usersByIds' | 'sessionsOfUsers'>;
  /** The rule's title and runbook by id (an unknown rule id is shown as itself). */
  ruleMeta: (ruleId: string) => Pick<RuleMeta, 'title' | 'runbook'>;
}

/** The stored alerts as a person should see them; alerts deleted since are left out. */
export async function alertViews(deps: Pick<DigestDeps, 'mirror' | 'ruleMeta'>, alerts: readonly AlertRecord[]): Promise<DigestAlert[]> {
  const userIds = [...new Set(alerts.map((a) => a.userId))];
  const users = new Map((await deps.mirror.usersByIds(userIds)).map((u) => [u.id, u]));
  const sessions = await deps.mirror.sessionsOfUsers(userIds);
  const byId = new Map(sessions.map((s) => [s.id, s]));
  return alerts.map((alert) => ({
    finding: alert.finding,
    rule: deps.ruleMeta(alert.rule),
    user: users.get(alert.userId) ?? { name: alert.userId, username: alert.userId, email: '', profileName: null },
    sessions: alert.finding.sessionIds.map((id) => byId.get(id)).filter((s): s is Session => s !== undefined),
    open: alert.state === 'open',
  }));
}

async function alertsAt(deps: DigestDeps, digestId: string, offset: number, limit: number): Promise<DigestAlert[]> {
  const keys = await deps.digests.keys(digestId, offset, limit);
  const records = (await Promise.all(keys.map((k) => deps.alerts.get(k)))).filter((a): a is AlertRecord => a !== null);
  return alertViews(deps, records);
}

/** The digest's counts per rule and its `worst` worst alerts; null for an unknown digest. */
export async function digestOverview(deps: DigestDeps, digestId: string, worst: number): Promise<DigestOverview | null> {
  const digest = await deps.digests.get(digestId);
  if (!digest) return null;
  const counts = (await deps.digests.countsByRule(digestId)).map((c) => ({ ...c, title: deps.ruleMeta(c.rule).title }));
  return { id: digest.id, total: digest.total, messageTs: digest.messageTs, counts, worst: await alertsAt(deps, digestId, 0, worst) };
}

/** The digest's alerts at [offset, offset + limit), worst first; null for an unknown digest. */
export async function digestSlice(deps: DigestDeps, digestId: string, offset: number, limit: number): Promise<DigestSlice | null> {
  const digest = await deps.digests.get(digestId);
  if (!digest) return null;
  return { id: digest.id, total: digest.total, items: await alertsAt(deps, digestId, offset, limit) };
}
