/** Plain domain objects for the view tests: every field explicit, overridable per test. */
import type { ActionKind, ActionRequest, ParamsByKind, RequestOf } from '../../src/domain/requests';
import type { ConcernedSession, Evidence } from '../../src/requests/evidence';
import type { HomeSnapshot } from '../../src/operations/home';
import { HOME_ALERTS_SHOWN } from '../../src/slack/views/home';
import type { SessionsMessageInput } from '../../src/slack/views/sessions';
import { DEFAULT_POLICY } from '../../src/domain/types';
import type { AssessedFamily, Finding, LoginEvent, LoginSummary, Place, Session, SessionAssessment, SfUser } from '../../src/domain/types';

export const NOW = new Date('2026-11-26T12:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const MOSCOW: Place = {
  city: 'Moscow',
  subdivision: 'Moscow',
  country: 'Russia',
  countryIso: 'RU',
  latitude: 55.75,
  longitude: 37.62,
};
export const SAN_FRANCISCO: Place = {
  city: 'San Francisco',
  subdivision: 'California',
  country: 'United States',
  countryIso: 'US',
  latitude: 37.77,
  longitude: -122.42,
};

export function makeUser(over: Partial<SfUser> = {}): SfUser {
  return {
    id: '005000000000001AAA',
    username: 'ada@acme.com',
    name: 'Ada Lovelace',
    email: 'ada@acme.com',
    isActive: true,
    isFrozen: false,
    userLoginId: '0Yw000000000001AAA',
    userType: 'Standard',
    profileName: 'System Administrator',
    ...over,
  };
}

/** A session id that is unique per n, shaped like an AuthSession id. */
export function sessionId(n: number): string {
  return `0Ak${n.toString().padStart(15, '0')}`;
}

export function makeSession(n: number, over: Partial<Session> = {}): Session {
  const createdAt = new Date(NOW.getTime() - 45 * DAY);
  const lastModifiedAt = new Date(NOW.getTime() - 50 * 60_000);
  return {
    id: sessionId(n),
    userId: '005000000000001AAA',
    parentId: null,
    sessionType: 'UI',
    loginType: 'Application',
    securityLevel: 'STANDARD',
    sourceIp: '203.0.113.7',
    createdAt,
    lastModifiedAt,
    secondsValid: 7200,
    expiresAt: new Date(lastModifiedAt.getTime() + 7200 * 1000),
    isCurrent: false,
    login: {
      loginTime: createdAt,
      browser: 'Chrome 120',
      platform: 'Mac OSX',
      application: 'Browser',
      loginType: 'Application',
    },
    place: SAN_FRANCISCO,
    ...over,
  };
}

export function makeFinding(over: Partial<Finding> = {}): Finding {
  return {
    rule: 'test',
    severity: 'medium',
    message: 'Something looks off',
    sessionIds: [],
    userId: '005000000000001AAA',
    subject: 'sessions',
    key: 'test:005000000000001AAA:',
    groupKey: 'test:005000000000001AAA',
    ...over,
  };
}

export function makeFamily(n: number, over: Partial<AssessedFamily> = {}, childTypes: string[] = []): AssessedFamily {
  const root = makeSession(n);
  const children = childTypes.map((type, i) => makeSession(n * 100 + i + 1_000_000, { parentId: root.id, sessionType: type }));
  return { family: { root, children }, findings: [], risk: 0, isBotOwn: false, ...over };
}

export function makeAssessment(families: AssessedFamily[], over: Partial<SessionAssessment> = {}): SessionAssessment {
  const sessions = families.reduce((sum, f) => sum + 1 + f.family.children.length, 0);
  const countries = [...new Set(families.map((f) => f.family.root.place?.countryIso).filter((c): c is string => Boolean(c)))];
  const oldest = families.map((f) => f.family.root.createdAt).reduce<Date | null>((min, d) => (min === null || d < min ? d : min), null);
  return {
    families,
    userFindings: [],
    totals: { sessions, families: families.length, countries, oldestCreatedAt: oldest },
    ...over,
  };
}

export function makeLogin(n: number, over: Partial<LoginEvent> = {}): LoginEvent {
  return {
    id: `0Ya${n.toString().padStart(15, '0')}`,
    userId: '005000000000001AAA',
    loginTime: new Date(NOW.getTime() - n * HOUR),
    status: 'Success',
    success: true,
    sourceIp: '203.0.113.7',
    loginType: 'Application',
    application: 'Browser',
    browser: 'Chrome 120',
    platform: 'Mac OSX',
    place: SAN_FRANCISCO,
    ...over,
  };
}

export function makeSummary(over: Partial<LoginSummary> = {}): LoginSummary {
  return { total: 0, failures: 0, countries: [], distinctIps: 0, ...over };
}

export { HOUR, DAY };

/** A concerned session family as requests/evidence.ts stores it (ISO dates): n = 1 logged in 3 h 10 min before NOW, each next one 10 min earlier. */
export function makeConcerned(n: number, over: Partial<ConcernedSession> = {}): ConcernedSession {
  const loginAt = new Date(NOW.getTime() - 3 * HOUR - n * 10 * 60_000);
  return {
    id: sessionId(n),
    sessionType: 'UI',
    loginType: 'Application',
    ip: '203.0.113.9',
    place: 'Moscow, RU',
    loginAt: loginAt.toISOString(),
    createdAt: loginAt.toISOString(),
    children: 2,
    findings: [],
    ...over,
  };
}

/** The evidence snapshot stored with a request, as requests/evidence.ts writes it today. */
export function makeEvidence(over: Partial<Evidence> = {}): Evidence {
  return {
    capturedAt: NOW.toISOString(),
    user: { id: '005000000000001AAA', username: 'ada@acme.com', name: 'Ada Lovelace', isActive: true, isFrozen: false, profile: 'System Administrator' },
    sessions: 12,
    families: 3,
    countries: ['US', 'RU'],
    findings: ['Impossible travel: San Francisco → Moscow', 'Older than the 2 h timeout'],
    concerned: [makeConcerned(1, { findings: ['Impossible travel: San Francisco → Moscow'] })],
    snapshot: [],
    logins: [],
    ...over,
  };
}

/** Evidence as rows written before `concerned` existed store it. */
export function legacyEvidence(): Omit<Evidence, 'concerned'> {
  const { concerned: _dropped, ...rest } = makeEvidence();
  return rest;
}

/** Everything a request carries besides its kind and params. */
export type RequestOverrides = Partial<Omit<ActionRequest, 'kind' | 'params'>>;

/** A request of one kind, with that kind's params; pending, one approval needed, unless overridden. */
export function requestOf<K extends ActionKind>(kind: K, params: ParamsByKind[K], over: RequestOverrides = {}): RequestOf<K> {
  return {
    id: 'RABCDEFGHJK',
    state: 'pending',
    target: { userId: '005000000000001AAA', username: 'ada@acme.com', name: 'Ada Lovelace', email: 'ada@acme.com' },
    reason: 'Login from Moscow ten minutes after San Francisco',
    requestedBy: 'UADMIN0001',
    requiredApprovals: 1,
    approvals: [],
    decidedBy: null,
    channelId: 'CSECURITY1',
    messageTs: '1764158400.000100',
    evidence: makeEvidence(),
    result: null,
    createdAt: NOW,
    updatedAt: NOW,
    expiresAt: new Date(NOW.getTime() + 15 * 60_000),
    verifyDueAt: null,
    verifiedAt: null,
    version: 1,
    ...over,
    kind,
    params,
  };
}

/** The usual request of the view tests: remove one session family of three sessions. */
export function makeRequest(over: RequestOverrides = {}): RequestOf<'remove_session'> {
  return requestOf('remove_session', { sessionIds: [sessionId(1), sessionId(2), sessionId(3)], familyIds: [sessionId(1)] }, over);
}

/** An App Home snapshot: 40 open alerts (one high), a pending request, a suppression, a polling monitor. */
export function makeHomeSnapshot(over: Partial<HomeSnapshot> = {}): HomeSnapshot {
  const alerts = Array.from({ length: 40 }, (_, i) => ({
    finding: makeFinding({ severity: i === 0 ? 'high' : 'medium', message: `Finding number ${i + 1}`, key: `k${i}`, groupKey: `g${i}` }),
    rule: { title: 'Session too old', runbook: 'End it.' },
    user: makeUser({ name: `Person ${i + 1}`, username: `p${i + 1}@acme.com` }),
    sessions: [],
    open: true,
    firstSeenAt: new Date(NOW.getTime() - i * 60_000),
  }));
  return {
    now: NOW,
    openAlerts: alerts.slice(0, HOME_ALERTS_SHOWN),
    openAlertCount: alerts.length,
    openAlertsCapped: false,
    pendingRequests: [{ request: makeRequest({ createdAt: new Date(NOW.getTime() - 2 * HOUR - 5 * 60_000) }), ageMs: 2 * HOUR + 5 * 60_000 }],
    suppressions: [
      {
        id: 'SABCDEFGHJK',
        rule: 'new-country',
        userId: '005000000000001AAA',
        scope: { kind: 'network', cidr: '203.0.113.0/24' },
        reason: 'Travelling to the Lisbon office',
        createdBy: 'U0ADMIN01',
        createdAt: NOW,
        expiresAt: new Date(NOW.getTime() + 48 * HOUR),
        removedAt: null,
        removedBy: null,
        alertKey: null,
        suppressedCount: 2,
      },
    ],
    userNames: new Map([['005000000000001AAA', 'Ada Lovelace']]),
    monitor: { role: 'leader', lastPollAt: new Date(NOW.getTime() - 60_000), callsToday: 1_234, budget: 'normal', lastError: null },
    ...over,
  };
}

/** What sessionsMessage() renders: one family of a user, page 1, an admin who may act. */
export function makeSessionsInput(over: Partial<SessionsMessageInput> = {}): SessionsMessageInput {
  return {
    user: makeUser(),
    assessment: makeAssessment([makeFamily(1)]),
    page: 1,
    now: NOW,
    policy: DEFAULT_POLICY,
    botUserId: 'U0BOT',
    canAct: true,
    historyDays: 30,
    ...over,
  };
}
