import type { Finding, Policy, Session, SessionFamily, Severity } from '../domain/types';

/** What every family-level rule sees. Rules never read the clock: `now` is passed in. */
export interface FamilyRuleInput {
  families: readonly SessionFamily[];
  policy: Policy;
  now: Date;
}

/** A detection over one user's session families, in the style of one-rule-per-file detections. */
export interface FamilyRule {
  id: string;
  run(input: FamilyRuleInput): Finding[];
}

export function finding(rule: string, severity: Severity, message: string, sessionIds: string[] = []): Finding {
  return { rule, severity, message, sessionIds };
}

/** Salesforce may put a session's place on the root only, or only on a child: take the first known. */
export function familyPlaceSession(family: SessionFamily): Session {
  if (family.root.place) return family.root;
  return family.children.find((child) => child.place !== null) ?? family.root;
}

/**
 * When the family's login happened. LoginHistory (and the LoginGeo place) is moved to the latest
 * login when a session is reused, so the login time is the moment that matches the place;
 * CreatedDate is the fallback.
 */
export function familyLoginTime(family: SessionFamily): Date {
  return familyPlaceSession(family).login?.loginTime ?? family.root.createdAt;
}
