import { addOauthToken, addUser } from '../standins/salesforce/generator';
import { addEventLogFile, addSetupAuditTrail, addVerification } from '../standins/salesforce/investigation';
import type { Org } from '../standins/salesforce/org';
import { addCompromisedUser, COMPROMISED_TIMES, IPS, type CompromisedUserIds } from '../standins/salesforce/scenarios';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const minutesAgo = (now: Date, m: number): Date => new Date(now.getTime() - m * MINUTE_MS);

export interface InvestigationScenario extends CompromisedUserIds {
  aliceId: string;
  /** PermSetAssign and insertConnectedApplication by Bob inside the Moscow session. */
  inSessionChangeIds: string[];
  /** PermSetAssign by Bob the day before: outside every live session but the 45-day-old one. */
  dayBeforeChangeId: string;
  /** Alice's profile change on Bob, inside the window: another person's change. */
  othersChangeId: string;
  verificationId: string;
  apiTotalUsageFileId: string;
}

export const INVESTIGATION_TEXT = {
  permSet: 'Permission set Modify All Data Ops: assigned to user Bob Baker',
  connectedApp: 'Installed Connected App Exfil Sync to Salesforce',
  dayBefore: 'Permission set Reports Viewer: assigned to user Bob Baker',
  others: 'Changed profile for user Bob Baker from Standard User to System Administrator',
} as const;

/**
 * bob@acme.com (the compromised user) whose Moscow session, 25 minutes old, assigned a permission
 * set and installed a connected app; a day-before change and Alice's change must not be shown.
 * The free ApiTotalUsage file of the day holds Bob's calls from Moscow and from home, and Alice's.
 */
export function addInvestigationScenario(org: Org, { now }: { now: Date }): InvestigationScenario {
  const bob = addCompromisedUser(org, { now });
  const alice = addUser(org, { username: 'alice.admin@acme.com', name: 'Alice Admin' });
  const moscowLogin = minutesAgo(now, COMPROMISED_TIMES.moscowLoginMinutesAgo);
  const inSessionChangeIds = [
    addSetupAuditTrail(org, {
      action: 'PermSetAssign',
      section: 'Manage Users',
      display: `${INVESTIGATION_TEXT.permSet} (UserID: [${bob.userId.slice(0, 15)}])`,
      createdById: bob.userId,
      at: minutesAgo(now, 20),
    }),
    addSetupAuditTrail(org, {
      action: 'insertConnectedApplication',
      section: 'Connected Apps',
      display: INVESTIGATION_TEXT.connectedApp,
      createdById: bob.userId,
      at: minutesAgo(now, 15),
    }),
  ];
  const dayBeforeChangeId = addSetupAuditTrail(org, {
    action: 'PermSetAssign',
    section: 'Manage Users',
    display: `${INVESTIGATION_TEXT.dayBefore} (UserID: [${bob.userId.slice(0, 15)}])`,
    createdById: bob.userId,
    at: new Date(moscowLogin.getTime() - DAY_MS),
  });
  const othersChangeId = addSetupAuditTrail(org, {
    action: 'changedprofileforuser',
    section: 'Manage Users',
    display: INVESTIGATION_TEXT.others,
    createdById: alice.userId,
    at: minutesAgo(now, 12),
  });
  // The attacker authorised their own app during the session: a refresh token that outlives it.
  addOauthToken(org, { userId: bob.userId, appName: 'Exfil Sync', createdAt: minutesAgo(now, 15), lastUsedAt: minutesAgo(now, 2), useCount: 41 });
  const verificationId = addVerification(org, {
    userId: bob.userId,
    at: minutesAgo(now, COMPROMISED_TIMES.moscowLoginMinutesAgo),
    activity: 'Login',
    method: 'Email',
    status: 'Succeeded',
    policy: 'DeviceActivation',
    sourceIp: IPS.moscow,
    loginHistoryId: bob.successLoginId,
  });
  const line = (userId: string, ip: string, at: Date, method: string, entity: string) => ({
    EVENT_TYPE: 'ApiTotalUsage',
    TIMESTAMP: at.toISOString().replace(/[-:T]/g, '').replace('Z', ''),
    TIMESTAMP_DERIVED: at.toISOString(),
    USER_ID: userId.slice(0, 15),
    USER_ID_DERIVED: userId,
    API_FAMILY: 'REST',
    API_VERSION: '62.0',
    API_RESOURCE: `/v62.0/sobjects/${entity}`,
    HTTP_METHOD: method,
    CLIENT_IP: ip,
    CLIENT_NAME: 'python-requests',
    CONNECTED_APP_NAME: 'Exfil Sync',
    ENTITY_NAME: entity,
    STATUS_CODE: '200',
    COUNTS_AGAINST_API_LIMIT: 'true',
  });
  const apiTotalUsageFileId = addEventLogFile(org, {
    eventType: 'ApiTotalUsage',
    logDate: new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS),
    lines: [
      line(bob.userId, IPS.moscow, minutesAgo(now, 18), 'GET', 'Account'),
      line(bob.userId, IPS.moscow, minutesAgo(now, 17), 'GET', 'Account'),
      line(bob.userId, IPS.moscow, minutesAgo(now, 16), 'GET', 'Account'),
      line(bob.userId, IPS.moscow, minutesAgo(now, 14), 'POST', 'Contact'),
      line(bob.userId, IPS.sanFrancisco, minutesAgo(now, 10), 'GET', 'Opportunity'),
      line(alice.userId, IPS.moscow, minutesAgo(now, 10), 'GET', 'Lead'),
    ],
  });
  return { ...bob, aliceId: alice.userId, inSessionChangeIds, dayBeforeChangeId, othersChangeId, verificationId, apiTotalUsageFileId };
}
