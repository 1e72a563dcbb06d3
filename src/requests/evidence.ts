import type { AssessedFamily, Finding, LoginEvent, OauthGrant, SessionAssessment, SfUser } from '../domain/types';
import { placeLabel } from '../domain/geo';
import { familyLoginTime, familyPlaceSession } from '../domain/families';

/** One session family an action concerns, as the approver needs to see it. */
export interface ConcernedSession {
  id: string;
  sessionType: string;
  loginType: string | null;
  ip: string | null;
  place: string | null;
  /** When the login behind it happened (ISO). */
  loginAt: string;
  createdAt: string;
  /** Sessions of the family besides the root (Aura, Visualforce…); they end with it. */
  children: number;
  /** What the rules said about this family, in words. */
  findings: string[];
}

/** What the requester saw when asking: kept with the request and in the audit trail. */
export interface Evidence {
  capturedAt: string;
  user: { id: string; username: string; name: string; isActive: boolean; isFrozen: boolean | null; profile: string | null };
  sessions: number;
  families: number;
  countries: string[];
  /** Findings about the concerned sessions first, then the rest. */
  findings: string[];
  /** The session families the action ends (remove one / remove all / contain), riskiest first; empty otherwise. */
  concerned: ConcernedSession[];
  /** Root sessions at request time: id, type, IP, place, created. */
  snapshot: { id: string; type: string; ip: string | null; place: string | null; createdAt: string; children: number }[];
  logins: { at: string; status: string; ip: string | null; place: string | null }[];
  /**
   * The user's OAuth grants at request time (names and dates, never tokens), so the ways back in
   * can name apps authorised during the sessions after a Contain has revoked them. null: unreadable;
   * absent on requests recorded before this field existed.
   */
  grants?: { appName: string; createdAt: string | null }[] | null;
}

const MAX_SNAPSHOT = 200;
const MAX_CONCERNED = 50;
const MAX_LOGINS = 20;

export function concernedSession({ family, findings }: AssessedFamily): ConcernedSession {
  const { root } = family;
  return {
    id: root.id,
    sessionType: root.sessionType,
    loginType: root.loginType ?? root.login?.loginType ?? null,
    ip: root.sourceIp,
    place: placeLabel(familyPlaceSession(family).place),
    loginAt: familyLoginTime(family).toISOString(),
    createdAt: root.createdAt.toISOString(),
    children: family.children.length,
    findings: unique(findings.map((f) => f.message)),
  };
}

const unique = (messages: string[]): string[] => messages.filter((m, i, all) => all.indexOf(m) === i);

/**
 * @param concernedIds the family root ids the action ends; the evidence names those sessions and
 *   puts what the rules said about them first, so the approver sees what they approve.
 */
export function buildEvidence(
  user: SfUser,
  assessment: SessionAssessment,
  logins: LoginEvent[],
  now: Date,
  concernedIds: ReadonlySet<string> = new Set(),
  grants?: readonly Pick<OauthGrant, 'appName' | 'createdAt'>[] | null,
): Evidence {
  const concerned = assessment.families.filter(({ family }) => concernedIds.has(family.root.id));
  const others = assessment.families.filter(({ family }) => !concernedIds.has(family.root.id));
  const messages = (findings: Finding[]) => findings.map((f) => f.message);
  return {
    capturedAt: now.toISOString(),
    user: { id: user.id, username: user.username, name: user.name, isActive: user.isActive, isFrozen: user.isFrozen, profile: user.profileName },
    sessions: assessment.totals.sessions,
    families: assessment.totals.families,
    countries: assessment.totals.countries,
    findings: unique([...concerned.flatMap((f) => messages(f.findings)), ...messages(assessment.userFindings), ...others.flatMap((f) => messages(f.findings))]),
    concerned: concerned.slice(0, MAX_CONCERNED).map(concernedSession),
    snapshot: assessment.families.slice(0, MAX_SNAPSHOT).map(({ family }) => ({
      id: family.root.id,
      type: family.root.sessionType,
      ip: family.root.sourceIp,
      place: placeLabel(family.root.place),
      createdAt: family.root.createdAt.toISOString(),
      children: family.children.length,
    })),
    logins: logins.slice(0, MAX_LOGINS).map((l) => ({ at: l.loginTime.toISOString(), status: l.status, ip: l.sourceIp, place: placeLabel(l.place) })),
    ...(grants === undefined
      ? {}
      : { grants: grants === null ? null : grants.map((g) => ({ appName: g.appName, createdAt: g.createdAt?.toISOString() ?? null })) }),
  };
}
