import { formatUtcTime } from '../domain/format';
import { isSuccessStatus } from '../domain/login-status';
import type { Finding, OauthGrant } from '../domain/types';
import { quotedApp } from './grant-age';
import { makeFinding, rowIdOfGrant, type Rule, type RuleInput } from './rule';

export const NEW_APP_GRANT_RULE_ID = 'new-app-grant';

const HOUR_MS = 3_600_000;
/** Only grants this recent are news; older ones were judged when they were made (or before the bot watched). */
export const NEW_GRANT_HOURS = 24;
/** How long before the grant's CreatedDate its own authorisation login may be recorded (clocks, slow consent screens). */
const AUTHORISATION_SLACK_MS = HOUR_MS;

function appKey(name: string): string {
  return name.replace(/\s+/g, ' ').trim().toLowerCase();
}

/**
 * A connected app authorised for this person in the last day that they had never used before: no
 * earlier grant of that app, and no earlier login through it in the login window. That is what an
 * attacker holding a stolen password does to keep access after the password is reset (a refresh
 * token outlives it) — and what a person does the day they install the mobile app, which is why it
 * is medium and asked about first.
 */
export function newAppGrantFindings({ userId, grants, logins, now }: RuleInput): Finding[] {
  const findings: Finding[] = [];
  const since = now.getTime() - NEW_GRANT_HOURS * HOUR_MS;
  const byApp = new Map<string, OauthGrant[]>();
  for (const grant of grants) {
    const key = appKey(grant.appName);
    if (!key) continue;
    const list = byApp.get(key);
    if (list) list.push(grant);
    else byApp.set(key, [grant]);
  }
  for (const [key, appGrants] of byApp) {
    const dated = appGrants
      .filter((g): g is OauthGrant & { createdAt: Date } => g.createdAt !== null)
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    const first = dated[0];
    // An undated grant of the app may be older: the app is not known to be new.
    if (!first || dated.length !== appGrants.length || first.createdAt.getTime() < since) continue;
    // The authorisation itself is a login through the app, at (about) the grant's creation: only use before it counts.
    const before = first.createdAt.getTime() - AUTHORISATION_SLACK_MS;
    const usedBefore = logins.some(
      (event) => isSuccessStatus(event.status) && event.application !== null && appKey(event.application) === key && event.loginTime.getTime() < before,
    );
    if (usedBefore) continue;
    findings.push(
      makeFinding({
        rule: NEW_APP_GRANT_RULE_ID,
        userId,
        subject: 'grants',
        rowIds: [rowIdOfGrant(first)],
        severity: 'medium',
        message: `connected app ${quotedApp(first.appName)} authorised at ${formatUtcTime(first.createdAt)}; this person had not used it before`,
        evidence: { kind: 'grant-new', appName: first.appName, createdAt: first.createdAt, lastUsedAt: first.lastUsedAt, useCount: first.useCount },
      }),
    );
  }
  return findings;
}

export const newAppGrantRule: Rule = {
  meta: {
    id: NEW_APP_GRANT_RULE_ID,
    title: 'A connected app authorised that this person never used before',
    severity: 'medium',
    severityNote: 'always medium: installing an app is ordinary; the person can say whether it was them',
    reads: [],
    runbook:
      'Ask the person whether they authorised this app; if not, revoke its token (Revoke OAuth tokens), reset the password and look at what the app did.',
    subjects: ['grants'],
    surface: ['monitor'],
    askFirst: true,
  },
  evaluate: newAppGrantFindings,
};
