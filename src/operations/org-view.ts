/**
 * The org view (`/sessions` alone, App Home): every live session of the org, grouped the way the
 * Session Management page is read during an investigation. Slack-free and Salesforce-free: the
 * sessions come from the monitor's mirror when it is fresh (no API call) or from Salesforce through
 * a port, and the aggregation itself is a pure function over domain rows.
 */
import { familySessions, groupFamilies, isBotOwnSession } from '../domain/families';
import { wholeDaysBetween } from '../domain/format';
import { countryCode } from '../domain/geo';
import type { Finding, Policy, Session, SessionFamily, Severity, SfUser } from '../domain/types';
import { isMobileLogin } from '../rules/familiarity';
import { isIntegrationSession } from '../rules/integration';
import { sessionTimeoutFindings } from '../rules/session-timeout';
import { tokenAgeSessionFindings } from '../rules/token-age';

/** A person as the org view names them; null fields when the source did not say. */
export interface OrgPerson {
  userId: string;
  name: string | null;
  username: string | null;
}

/** A connected-app token (OauthToken row) old enough to be past rotation, as the view reads it. */
export interface OrgToken {
  appName: string;
  userId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

/** Every live AuthSession, read from Salesforce (src/salesforce/org-sessions-reader.ts). */
export interface OrgSessionsRead {
  sessions: Session[];
  /** The users behind the sessions, as the same read named them. */
  people: OrgPerson[];
  /** REST calls spent: one per page of up to 2,000 rows. */
  calls: number;
  /** Calls beyond one per 2,000 sessions, because Salesforce sent shorter pages than asked (the batch size is a request, not a promise). */
  extraCalls: number;
  /** Tokens created before the cut-off asked for, oldest first (`complete` false: more than one page), or why they could not be read. */
  tokens: { rows: OrgToken[]; complete: boolean } | { problem: string };
}

export interface OrgSessionSource {
  /** In the same round trip as the first page of sessions: the tokens created before `tokensCreatedBefore`. */
  liveSessions(options: { tokensCreatedBefore: Date }): Promise<OrgSessionsRead>;
}

/** What the view knows of the org's old tokens. */
export type OrgTokens =
  | { state: 'read'; rows: readonly OrgToken[]; complete: boolean }
  /** The mirror holds sessions, never tokens; or Salesforce refused the read (Customize Application). */
  | { state: 'unknown'; why: 'not-in-mirror' }
  | { state: 'unknown'; why: 'refused'; detail: string };

/** The monitor's mirror, as far as the org view reads it. */
export interface OrgMirror {
  allSessions(): Promise<Session[]>;
  usersByIds(ids: readonly string[]): Promise<SfUser[]>;
}

/** When the monitor last refreshed its mirror (the values the monitor keeps in its state table). */
export interface MirrorClock {
  /** The last steady poll: sessions created until then are in the mirror. */
  lastPollAt: Date | null;
  /** The last full read: sessions ended before it have left the mirror. */
  lastFullScanAt: Date | null;
}

export interface OrgAlertCounts {
  count: number;
  /** More may be open than were counted. */
  capped: boolean;
  bySeverity: Record<Severity, number>;
  /** Per user: how many open alerts and the worst of them. */
  byUser: Map<string, { count: number; worst: Severity; rules: string[] }>;
}

export interface OrgViewDeps {
  source: OrgSessionSource;
  mirror: OrgMirror;
  mirrorClock: () => Promise<MirrorClock>;
  /** The monitor's settings: 0 s means it is off (the mirror then is never fresh). */
  monitor: { intervalSeconds: number; fullScanMinutes: number };
  openAlerts: () => Promise<OrgAlertCounts>;
  policy: Policy;
  botUserId: () => string | null;
  now: () => Date;
}

/** Where the view's sessions came from, and what that cost. */
export type OrgViewSource =
  | { kind: 'mirror'; polledAt: Date; scannedAt: Date }
  | { kind: 'salesforce'; calls: number; extraCalls: number; mirror: 'off' | 'stale'; mirrorPolledAt: Date | null };

export interface CountBy {
  label: string;
  count: number;
}

export type OrgLine =
  | { kind: 'countries'; person: OrgPerson; countries: string[]; sessions: number }
  | { kind: 'past-policy'; person: OrgPerson; families: number; oldestCreatedAt: Date; oldestDays: number; beyondMaxAge: boolean }
  | { kind: 'integration'; person: OrgPerson; families: number; oldestCreatedAt: Date; oldestDays: number }
  | { kind: 'tokens'; person: OrgPerson; apps: string[]; count: number; oldestDays: number }
  | { kind: 'holder'; person: OrgPerson; sessions: number; families: number }
  | { kind: 'alerts'; person: OrgPerson; count: number; worst: Severity; rules: string[] };

export type OrgLineKind = OrgLine['kind'];

export interface OrgSummary {
  now: Date;
  source: OrgViewSource;
  totals: {
    sessions: number;
    /** Logins (a root session and its Aura / Visualforce / Content children). */
    families: number;
    /** Distinct people holding a live session, the bot's own user left out. */
    people: number;
    /** Of them, those whose every session is an integration one (an integration user, or a person online only through an app). */
    apiOnlyPeople: number;
    integrationSessions: number;
    /** Rows of the bot's own session family and integration user. */
    botOwn: number;
    /** Sessions whose place is unknown (no LoginGeo). */
    unknownPlace: number;
  };
  bySessionType: CountBy[];
  byLoginType: CountBy[];
  /** In reading order: several countries, past the timeout, integration sessions and tokens past rotation, most sessions, open alerts. */
  lines: OrgLine[];
  /** Integrations' tokens past rotation (and, not listed, how many people's app tokens are as old): at least, when not complete; or why unknown. */
  tokens: { state: 'read'; count: number; people: number; complete: boolean } | Extract<OrgTokens, { state: 'unknown' }>;
  alerts: Omit<OrgAlertCounts, 'byUser'>;
  policy: Policy;
}

export interface OrgView {
  summary: OrgSummary;
  /** Every live session, for the CSV export, oldest first. */
  sessions: Session[];
  people: Map<string, OrgPerson>;
}

/** The people holding the most sessions shown. */
export const TOP_HOLDERS = 10;
/** A steady poll older than this many intervals (and at least this long) means the monitor is behind. */
const POLL_INTERVALS_FRESH = 3;
const MIN_POLL_FRESH_MS = 3 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Whether the mirror can stand in for Salesforce: the monitor is on, polled within three
 * intervals, and did a full read within the full-scan period (plus those intervals), so a
 * session that ended is gone from the mirror no later than the page says it would be.
 */
export function mirrorIsFresh(clock: MirrorClock, monitor: OrgViewDeps['monitor'], now: Date): clock is { lastPollAt: Date; lastFullScanAt: Date } {
  if (monitor.intervalSeconds <= 0 || !clock.lastPollAt || !clock.lastFullScanAt) return false;
  const pollSlack = Math.max(POLL_INTERVALS_FRESH * monitor.intervalSeconds * 1000, MIN_POLL_FRESH_MS);
  const pollAge = now.getTime() - clock.lastPollAt.getTime();
  const scanAge = now.getTime() - clock.lastFullScanAt.getTime();
  return pollAge <= pollSlack && scanAge <= monitor.fullScanMinutes * 60_000 + pollSlack;
}

/**
 * The org as it is now: from the mirror when fresh, otherwise one Salesforce call per 2,000
 * sessions. `mirrorOnly` (App Home, re-published on every change) never calls Salesforce and
 * answers null when the mirror cannot serve.
 */
export async function orgView(deps: OrgViewDeps, options: { mirrorOnly?: boolean } = {}): Promise<OrgView | null> {
  const now = deps.now();
  const clock = await deps.mirrorClock();
  let sessions: Session[];
  let people: OrgPerson[];
  let source: OrgViewSource;
  let tokens: OrgTokens;
  if (mirrorIsFresh(clock, deps.monitor, now)) {
    tokens = { state: 'unknown', why: 'not-in-mirror' };
    sessions = await deps.mirror.allSessions();
    const known = await deps.mirror.usersByIds([...new Set(sessions.map((s) => s.userId))]);
    people = known.map((u) => ({ userId: u.id, name: u.name || null, username: u.username || null }));
    source = { kind: 'mirror', polledAt: clock.lastPollAt, scannedAt: clock.lastFullScanAt };
  } else {
    if (options.mirrorOnly) return null;
    const read = await deps.source.liveSessions({ tokensCreatedBefore: new Date(now.getTime() - deps.policy.tokenMaxAgeDays * DAY_MS) });
    tokens = 'problem' in read.tokens ? { state: 'unknown', why: 'refused', detail: read.tokens.problem } : { state: 'read', ...read.tokens };
    sessions = read.sessions;
    people = read.people;
    source = {
      kind: 'salesforce',
      calls: read.calls,
      extraCalls: read.extraCalls,
      mirror: deps.monitor.intervalSeconds <= 0 ? 'off' : 'stale',
      mirrorPolledAt: clock.lastPollAt,
    };
  }
  const byId = new Map(people.map((p) => [p.userId, p]));
  const alerts = await deps.openAlerts();
  const summary = summarizeOrg({ sessions, people: byId, alerts, policy: deps.policy, now, botUserId: deps.botUserId(), source, tokens });
  return { summary, sessions: [...sessions].sort(byCreated), people: byId };
}

export interface SummarizeInput {
  sessions: readonly Session[];
  people: ReadonlyMap<string, OrgPerson>;
  alerts: OrgAlertCounts;
  policy: Policy;
  now: Date;
  botUserId: string | null;
  source: OrgViewSource;
  tokens: OrgTokens;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { high: 0, medium: 1, low: 2 };

/** Pure: the summary of a set of live sessions. */
export function summarizeOrg(input: SummarizeInput): OrgSummary {
  const { sessions, policy, now, botUserId } = input;
  const personOf = (userId: string): OrgPerson => input.people.get(userId) ?? { userId, name: null, username: null };
  const families = groupFamilies(sessions);
  const familiesByUser = new Map<string, SessionFamily[]>();
  for (const f of families) push(familiesByUser, f.root.userId, f);

  const isBot = (userId: string): boolean => botUserId !== null && botUserId !== '' && userId === botUserId;
  const sessionsByUser = new Map<string, Session[]>();
  let integrationSessions = 0;
  let botOwn = 0;
  let unknownPlace = 0;
  for (const s of sessions) {
    push(sessionsByUser, s.userId, s);
    if (isIntegrationSession(s)) integrationSessions += 1;
    if (isBotOwnSession(s, botUserId)) botOwn += 1;
    if (!s.place || countryCode(s.place) === null) unknownPlace += 1;
  }
  const humans = [...sessionsByUser.keys()].filter((id) => !isBot(id));
  const apiOnlyPeople = humans.filter((id) => (sessionsByUser.get(id) ?? []).every(isIntegrationSession)).length;

  const lines: OrgLine[] = [];
  // Several countries at once: the first thing an investigator looks for on the page.
  const countryLines: Array<Extract<OrgLine, { kind: 'countries' }>> = [];
  for (const userId of humans) {
    const own = sessionsByUser.get(userId) ?? [];
    const countries = [...new Set(own.map((s) => countryCode(s.place)).filter((c): c is string => c !== null))].sort();
    if (countries.length >= 2) countryLines.push({ kind: 'countries', person: personOf(userId), countries, sessions: own.length });
  }
  countryLines.sort((a, b) => b.countries.length - a.countries.length || b.sessions - a.sessions || byPerson(a.person, b.person));
  lines.push(...countryLines);

  const pastPolicy: Array<Extract<OrgLine, { kind: 'past-policy' }>> = [];
  const pastRotation: Array<Extract<OrgLine, { kind: 'integration' }>> = [];
  for (const [userId, own] of familiesByUser) {
    if (isBot(userId)) continue;
    // The monitor's own rules decide what is past the policy, so the view and the alerts never disagree.
    const ruleInput = { userId, families: own, logins: [], grants: [], policy, now, botUserId: botUserId ?? '' };
    const rootsOf = (findings: readonly Finding[]): Set<string> => new Set(findings.flatMap((f) => f.sessionIds));
    const kept = sessionTimeoutFindings(ruleInput);
    const keptRoots = rootsOf(kept);
    const people = own.filter((f) => keptRoots.has(f.root.id));
    const programRoots = rootsOf(tokenAgeSessionFindings(ruleInput));
    const programs = own.filter((f) => programRoots.has(f.root.id));
    const oldestOf = (list: SessionFamily[]): Date =>
      list.reduce((min, f) => (f.root.createdAt < min ? f.root.createdAt : min), (list[0] as SessionFamily).root.createdAt);
    if (people.length > 0) {
      const oldest = oldestOf(people);
      pastPolicy.push({
        kind: 'past-policy',
        person: personOf(userId),
        families: people.length,
        oldestCreatedAt: oldest,
        oldestDays: wholeDaysBetween(oldest, now),
        // High is the rule's "kept in use for whole days": what a replayed stolen cookie looks like.
        beyondMaxAge: kept.some((f) => f.severity === 'high'),
      });
    }
    if (programs.length > 0) {
      const oldest = oldestOf(programs);
      pastRotation.push({
        kind: 'integration',
        person: personOf(userId),
        families: programs.length,
        oldestCreatedAt: oldest,
        oldestDays: wholeDaysBetween(oldest, now),
      });
    }
  }
  pastPolicy.sort((a, b) => a.oldestCreatedAt.getTime() - b.oldestCreatedAt.getTime() || byPerson(a.person, b.person));
  pastRotation.sort((a, b) => a.oldestCreatedAt.getTime() - b.oldestCreatedAt.getTime() || byPerson(a.person, b.person));
  lines.push(...pastPolicy, ...pastRotation);

  // Whole days, as the grant-age rule counts them: "30 days; policy is 30" is never past it. Like the
  // monitor, only integrations are held to rotation: a person's phone app keeps a months-old token by
  // design. An integration is a user online only through integration sessions, none of them a phone.
  const integrations = new Set(humans.filter((id) => (sessionsByUser.get(id) ?? []).every((x) => isIntegrationSession(x) && !isMobileLogin(x.login))));
  const tokenLines: Array<Extract<OrgLine, { kind: 'tokens' }>> = [];
  let oldTokens = 0;
  let peoplesOldTokens = 0;
  if (input.tokens.state === 'read') {
    const byUser = new Map<string, OrgToken[]>();
    for (const t of input.tokens.rows) {
      if (isBot(t.userId) || wholeDaysBetween(t.createdAt, now) <= policy.tokenMaxAgeDays) continue;
      if (!integrations.has(t.userId)) {
        peoplesOldTokens += 1;
        continue;
      }
      oldTokens += 1;
      push(byUser, t.userId, t);
    }
    for (const [userId, own] of byUser) {
      const oldest = own.reduce((min, t) => (t.createdAt < min ? t.createdAt : min), (own[0] as OrgToken).createdAt);
      tokenLines.push({
        kind: 'tokens',
        person: personOf(userId),
        apps: [...new Set(own.map((t) => t.appName))].sort(compareText),
        count: own.length,
        oldestDays: wholeDaysBetween(oldest, now),
      });
    }
    tokenLines.sort((a, b) => b.oldestDays - a.oldestDays || byPerson(a.person, b.person));
  }
  lines.push(...tokenLines);

  const holders = humans
    .map((userId) => ({
      kind: 'holder' as const,
      person: personOf(userId),
      sessions: sessionsByUser.get(userId)?.length ?? 0,
      families: familiesByUser.get(userId)?.length ?? 0,
    }))
    .sort((a, b) => b.sessions - a.sessions || b.families - a.families || byPerson(a.person, b.person))
    .slice(0, TOP_HOLDERS);
  lines.push(...holders);

  const alertLines = [...input.alerts.byUser.entries()]
    .map(([userId, a]) => ({ kind: 'alerts' as const, person: personOf(userId), count: a.count, worst: a.worst, rules: a.rules }))
    .sort((a, b) => SEVERITY_RANK[a.worst] - SEVERITY_RANK[b.worst] || b.count - a.count || byPerson(a.person, b.person));
  lines.push(...alertLines);

  return {
    now,
    source: input.source,
    totals: { sessions: sessions.length, families: families.length, people: humans.length, apiOnlyPeople, integrationSessions, botOwn, unknownPlace },
    bySessionType: countBy(sessions, (s) => s.sessionType || 'unknown'),
    byLoginType: countBy(sessions, (s) => s.loginType ?? 'unknown'),
    lines,
    alerts: { count: input.alerts.count, capped: input.alerts.capped, bySeverity: input.alerts.bySeverity },
    tokens: input.tokens.state === 'read' ? { state: 'read', count: oldTokens, people: peoplesOldTokens, complete: input.tokens.complete } : input.tokens,
    policy,
  };
}

/** Open alerts, counted per severity and per user (pure over the alert rows the store lists). */
export function countAlerts(alerts: ReadonlyArray<{ userId: string; severity: Severity; rule: string }>, capped: boolean): OrgAlertCounts {
  const bySeverity: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  const byUser = new Map<string, { count: number; worst: Severity; rules: string[] }>();
  for (const a of alerts) {
    bySeverity[a.severity] += 1;
    const seen = byUser.get(a.userId);
    if (!seen) byUser.set(a.userId, { count: 1, worst: a.severity, rules: [a.rule] });
    else {
      seen.count += 1;
      if (SEVERITY_RANK[a.severity] < SEVERITY_RANK[seen.worst]) seen.worst = a.severity;
      if (!seen.rules.includes(a.rule)) seen.rules.push(a.rule);
    }
  }
  return { count: alerts.length, capped, bySeverity, byUser };
}

/** The families a session list forms (exported for the CSV: a row names its login's root). */
export function rootIdsOf(sessions: readonly Session[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of groupFamilies(sessions)) for (const s of familySessions(f)) out.set(s.id, f.root.id);
  return out;
}

function countBy(sessions: readonly Session[], key: (s: Session) => string): CountBy[] {
  const counts = new Map<string, number>();
  for (const s of sessions) counts.set(key(s), (counts.get(key(s)) ?? 0) + 1);
  return [...counts.entries()].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || compareText(a.label, b.label));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function byPerson(a: OrgPerson, b: OrgPerson): number {
  return compareText(a.name ?? a.username ?? a.userId, b.name ?? b.username ?? b.userId) || compareText(a.userId, b.userId);
}

function byCreated(a: Session, b: Session): number {
  return a.createdAt.getTime() - b.createdAt.getTime() || compareText(a.id, b.id);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
