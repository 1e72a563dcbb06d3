import type { LoginEvent, SessionAssessment, SfUser } from '../domain/types';
import { placeLabel } from '../domain/geo';

/** What the requester saw when asking: kept with the request and in the audit trail. */
export interface Evidence {
  capturedAt: string;
  user: { id: string; username: string; name: string; isActive: boolean; isFrozen: boolean | null; profile: string | null };
  sessions: number;
  families: number;
  countries: string[];
  findings: string[];
  /** Root sessions at request time: id, type, IP, place, created. */
  snapshot: { id: string; type: string; ip: string | null; place: string | null; createdAt: string; children: number }[];
  logins: { at: string; status: string; ip: string | null; place: string | null }[];
}

const MAX_SNAPSHOT = 200;
const MAX_LOGINS = 20;

export function buildEvidence(user: SfUser, assessment: SessionAssessment, logins: LoginEvent[], now: Date): Evidence {
  return {
    capturedAt: now.toISOString(),
    user: { id: user.id, username: user.username, name: user.name, isActive: user.isActive, isFrozen: user.isFrozen, profile: user.profileName },
    sessions: assessment.totals.sessions,
    families: assessment.totals.families,
    countries: assessment.totals.countries,
    findings: [...assessment.userFindings, ...assessment.families.flatMap((f) => f.findings)].map((f) => f.message).filter((m, i, all) => all.indexOf(m) === i),
    snapshot: assessment.families.slice(0, MAX_SNAPSHOT).map(({ family }) => ({
      id: family.root.id,
      type: family.root.sessionType,
      ip: family.root.sourceIp,
      place: placeLabel(family.root.place),
      createdAt: family.root.createdAt.toISOString(),
      children: family.children.length,
    })),
    logins: logins.slice(0, MAX_LOGINS).map((l) => ({ at: l.loginTime.toISOString(), status: l.status, ip: l.sourceIp, place: placeLabel(l.place) })),
  };
}
