/**
 * "Mark expected": suppressing one rule's alerts about one user for a while, optionally only from
 * one network or only about one connected app. Slack-free: the alert button, the modal and
 * `/sessions suppressions` call these and render; the monitor asks the gate built here before
 * posting a new finding. Matching is pure (covers / findingFacts) and reads the bot's clock, so an
 * expired suppression stops applying by itself.
 */
import ipaddr from 'ipaddr.js';
import { parseNetwork, trustedNetworks } from '../domain/networks';
import type { Finding, Session, SfUser } from '../domain/types';
import type { SuppressionGate } from '../monitor/ports';
import type { AlertRecord, AlertsStore } from '../store/alerts-store';
import type { AuditStore } from '../store/audit-store';
import type { Suppression, SuppressionScope, SuppressionsStore } from '../store/suppressions-store';

export type { Suppression, SuppressionScope };

export const SUPPRESSION_MIN_DAYS = 1;
export const SUPPRESSION_MAX_DAYS = 90;
export const SUPPRESSION_REASON_MIN = 5;
export const SUPPRESSION_REASON_MAX = 1_000;
/** The rules whose findings are about a connected app or integration session (the 'app' scope). */
export const APP_SCOPED_RULES: ReadonlySet<string> = new Set(['token-age', 'grant-age', 'new-app-grant']);
/** `/sessions suppressions` lists at most this many (the soonest to expire first). */
export const SUPPRESSIONS_LISTED = 40;
const DAY_MS = 86_400_000;

/** What a finding names that a scope can be compared with. */
export interface FindingFacts {
  /** Source IPs of the places and sessions the finding is about. */
  ips: string[];
  /** Connected apps (grant findings) or the application / session type of the sessions concerned. */
  apps: string[];
}

function unique(values: readonly (string | null | undefined)[]): string[] {
  return [...new Set(values.map((v) => v?.trim() ?? '').filter((v) => v !== ''))];
}

/** The addresses and apps a finding is about: from its evidence and from the sessions it names. */
export function findingFacts(finding: Finding, sessions: readonly Session[]): FindingFacts {
  const wanted = new Set(finding.sessionIds);
  const own = sessions.filter((s) => wanted.has(s.id));
  const evidence = finding.evidence;
  const places =
    evidence?.kind === 'travel'
      ? [evidence.from.ip, evidence.to.ip]
      : evidence?.kind === 'failed-logins'
        ? [evidence.success.ip]
        : evidence?.kind === 'new-country'
          ? [evidence.login.ip]
          : [];
  const apps = evidence?.kind === 'grant-age' || evidence?.kind === 'grant-new' ? [evidence.appName] : own.map((s) => s.login?.application || s.sessionType);
  return { ips: unique([...places, ...own.map((s) => s.sourceIp)]), apps: unique(apps) };
}

/** A CIDR range as typed, or one address made into its single-address range; null when it is neither. */
export function normalizeNetwork(text: string): string | null {
  const typed = text.trim();
  if (typed === '') return null;
  if (typed.includes('/')) return parseNetwork(typed) ? typed : null;
  if (ipaddr.IPv4.isValidFourPartDecimal(typed)) return `${typed}/32`;
  if (ipaddr.IPv6.isValid(typed)) return `${typed}/128`;
  return null;
}

const sameApp = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Whether a scope covers a finding. A network covers it only when every address the finding
 * names lies inside: marking a person's office expected must never hide a finding that also
 * involves somewhere else (the Moscow side of a "distant places" pair). Likewise an app scope
 * covers only findings about that app alone. A finding naming no address (or app) is not covered
 * by a network (or app) scope.
 */
export function scopeCovers(scope: SuppressionScope, facts: FindingFacts): boolean {
  switch (scope.kind) {
    case 'user':
      return true;
    case 'network': {
      const inside = trustedNetworks([scope.cidr]);
      return facts.ips.length > 0 && facts.ips.every(inside);
    }
    case 'app':
      return facts.apps.length > 0 && facts.apps.every((app) => sameApp(app, scope.app));
  }
}

/** True while the suppression applies (not removed, not expired at `now`) and it covers this finding. */
export function covers(suppression: Suppression, finding: Finding, facts: FindingFacts, now: Date): boolean {
  if (suppression.removedAt !== null || suppression.expiresAt.getTime() <= now.getTime()) return false;
  if (suppression.rule !== finding.rule || suppression.userId !== finding.userId) return false;
  return scopeCovers(suppression.scope, facts);
}

/** The oldest applicable suppression covering the finding, or null. */
export function coveringSuppression(suppressions: readonly Suppression[], finding: Finding, facts: FindingFacts, now: Date): Suppression | null {
  return suppressions.find((s) => covers(s, finding, facts, now)) ?? null;
}

/** The monitor's question before posting: which new findings a suppression keeps out of Slack. */
export function suppressionGate(store: Pick<SuppressionsStore, 'activeForUsers' | 'countSuppressed'>): SuppressionGate {
  return {
    async covering(findings, sessions, now) {
      const out = new Map<string, string>();
      if (findings.length === 0) return out;
      const active = await store.activeForUsers(
        findings.map((f) => f.userId),
        now,
      );
      if (active.length === 0) return out;
      for (const finding of findings) {
        const hit = coveringSuppression(active, finding, findingFacts(finding, sessions), now);
        if (hit) out.set(finding.key, hit.id);
      }
      return out;
    },
    recordSuppressed: (id) => store.countSuppressed(id),
  };
}

// --- What people do ------------------------------------------------------------------------

export interface SuppressionDeps {
  store: SuppressionsStore;
  alerts: Pick<AlertsStore, 'openByGroup' | 'suppress'>;
  /** The monitor's mirror: the sessions (for the facts) and the names of the users behind alerts. */
  sessionsOfUser: (userId: string) => Promise<Session[]>;
  usersByIds: (ids: readonly string[]) => Promise<SfUser[]>;
  audit: Pick<AuditStore, 'append'>;
  /** Re-renders an alert's Slack message (through the outbox). */
  alertUpdated: (alertKey: string, groupKey: string) => Promise<void>;
  now: () => Date;
}

/** The alert a person is about to mark expected, with what its scopes can be. */
export interface SuppressionDraft {
  alert: AlertRecord;
  user: SfUser | null;
  facts: FindingFacts;
  /** Offered only for the app-scoped rules (token-age, grant-age, new-app-grant), with the apps the finding names. */
  appScope: boolean;
}

/** The scope as the person chose it; `network` is text still to be checked. */
export type ChosenScope = { kind: 'user' } | { kind: 'network'; text: string } | { kind: 'app'; app: string };

export interface MarkExpectedForm {
  groupKey: string;
  scope: ChosenScope;
  days: number;
  reason: string;
  by: string;
}

/** Which field a problem is about, so a form can show it next to that field. */
export type SuppressionField = 'alert' | 'scope' | 'network' | 'days' | 'reason';
export interface SuppressionProblem {
  field: SuppressionField;
  message: string;
}

export interface SuppressionListing {
  suppressions: Suppression[];
  users: Map<string, SfUser>;
}

export type RemoveOutcome = { removed: Suppression } | { problem: string };

export interface SuppressionOperations {
  prepare(groupKey: string): Promise<SuppressionDraft | { problem: string }>;
  markExpected(form: MarkExpectedForm): Promise<{ suppression: Suppression } | { problem: SuppressionProblem }>;
  list(): Promise<SuppressionListing>;
  remove(id: string, by: string): Promise<RemoveOutcome>;
}

const NOT_OPEN = 'This alert is no longer open (it was resolved or already marked expected); nothing was suppressed.';

function resolutionSentence(s: Suppression): string {
  const scope = s.scope.kind === 'network' ? ` from ${s.scope.cidr}` : s.scope.kind === 'app' ? ` for ${s.scope.app}` : '';
  return `marked expected${scope} by <@${s.createdBy}> until ${s.expiresAt.toISOString().slice(0, 16).replace('T', ' ')} UTC (suppression ${s.id}): ${s.reason}`;
}

function problem(field: SuppressionField, message: string): { problem: SuppressionProblem } {
  return { problem: { field, message } };
}

/** Checks the chosen scope against what the alert names; the scope to store, or why not. */
function resolveScope(chosen: ChosenScope, draft: SuppressionDraft): SuppressionScope | { problem: SuppressionProblem } {
  if (chosen.kind === 'user') return { kind: 'user' };
  if (chosen.kind === 'app') {
    if (!draft.appScope || !draft.facts.apps.some((a) => sameApp(a, chosen.app))) return problem('scope', 'This alert is not about that connected app.');
    return { kind: 'app', app: chosen.app.trim() };
  }
  const cidr = normalizeNetwork(chosen.text);
  if (!cidr) return problem('network', 'Give an IP address (203.0.113.7) or a CIDR range (203.0.113.0/24, 2001:db8::/32).');
  if (draft.facts.ips.length === 0) return problem('network', 'This alert names no address; choose "this user" instead.');
  const scope: SuppressionScope = { kind: 'network', cidr };
  if (!scopeCovers(scope, draft.facts)) {
    return problem('network', `This alert names ${draft.facts.ips.join(', ')}; ${cidr} must hold every one of them.`);
  }
  return scope;
}

export function createSuppressionOperations(deps: SuppressionDeps): SuppressionOperations {
  const prepare = async (groupKey: string): Promise<SuppressionDraft | { problem: string }> => {
    const [alert] = await deps.alerts.openByGroup(groupKey);
    if (!alert) return { problem: NOT_OPEN };
    const facts = findingFacts(alert.finding, await deps.sessionsOfUser(alert.userId));
    const [user] = await deps.usersByIds([alert.userId]);
    return { alert, user: user ?? null, facts, appScope: APP_SCOPED_RULES.has(alert.rule) && facts.apps.length > 0 };
  };

  return {
    prepare,

    async markExpected(form) {
      const reason = form.reason.trim();
      if (!Number.isInteger(form.days) || form.days < SUPPRESSION_MIN_DAYS || form.days > SUPPRESSION_MAX_DAYS) {
        return problem('days', `Give a whole number of days from ${SUPPRESSION_MIN_DAYS} to ${SUPPRESSION_MAX_DAYS}.`);
      }
      if (reason.length < SUPPRESSION_REASON_MIN || reason.length > SUPPRESSION_REASON_MAX) {
        return problem('reason', `Say why, in ${SUPPRESSION_REASON_MIN} to ${SUPPRESSION_REASON_MAX} characters.`);
      }
      const draft = await prepare(form.groupKey);
      if ('problem' in draft) return problem('alert', draft.problem);
      const scope = resolveScope(form.scope, draft);
      if ('problem' in scope) return scope;
      const now = deps.now();
      const { alert } = draft;
      const suppression = await deps.store.create({
        rule: alert.rule,
        userId: alert.userId,
        scope,
        reason,
        createdBy: form.by,
        createdAt: now,
        expiresAt: new Date(now.getTime() + form.days * DAY_MS),
        alertKey: alert.key,
      });
      await deps.audit.append(
        {
          targetUserId: alert.userId,
          actor: form.by,
          event: 'suppression-created',
          detail: {
            suppression: suppression.id,
            rule: alert.rule,
            scope,
            days: form.days,
            expiresAt: suppression.expiresAt.toISOString(),
            alert: alert.key,
            reason,
          },
        },
        now,
      );
      // The alert it was made from (and any other open one of its group) stops asking for action, in place.
      for (const open of await deps.alerts.openByGroup(form.groupKey)) {
        if (await deps.alerts.suppress(open.key, resolutionSentence(suppression), now)) await deps.alertUpdated(open.key, open.groupKey);
      }
      return { suppression };
    },

    async list() {
      const suppressions = await deps.store.listActive(deps.now(), SUPPRESSIONS_LISTED);
      const users = await deps.usersByIds(suppressions.map((s) => s.userId));
      return { suppressions, users: new Map(users.map((u) => [u.id, u])) };
    },

    async remove(id, by) {
      const now = deps.now();
      const found = await deps.store.get(id);
      if (!found) return { problem: 'There is no such suppression.' };
      if (!(await deps.store.remove(id, by, now))) return { problem: 'That suppression was already removed.' };
      const removed: Suppression = { ...found, removedAt: now, removedBy: by };
      await deps.audit.append(
        {
          targetUserId: found.userId,
          actor: by,
          event: 'suppression-removed',
          detail: { suppression: id, rule: found.rule, scope: found.scope, suppressed: found.suppressedCount, reason: found.reason },
        },
        now,
      );
      return { removed };
    },
  };
}
