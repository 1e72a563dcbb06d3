import type { Org, SfRecord } from './org';

/**
 * A user's effective permissions, as an org keeps them: PermissionSet rows (one of them owned by the
 * user's profile, IsOwnedByProfile = true) reached through PermissionSetAssignment. A permission is
 * held when any assigned set grants it — what Salesforce computes, and what the bot reads back.
 *
 * What each one gates here, after the object reference:
 * - API Enabled: without it every REST call is refused (403 API_CURRENTLY_DISABLED).
 * - Manage Users: AuthSession and UserLogin are only served with it ("must have Manage Users";
 *   without, INVALID_TYPE like an object the caller cannot see — the general behaviour, not
 *   confirmed for these objects); LoginHistory then shows the caller's own rows only (every user
 *   reads their own since 37.0).
 * - Customize Application: OauthToken shows every user's tokens with it, otherwise only the
 *   caller's own — with no error ("Special Access Rules").
 * - View Setup and Configuration: SetupAuditTrail is only served with it; View Event Log Files:
 *   EventLogFile and its LogFile bodies likewise (INVALID_TYPE / 404 without, see investigation.ts).
 *
 * A user with no assignment at all gets a profile permission set granting everything the first
 * time it is looked at, so orgs built by tests hold the permissions by default; a test drops one
 * with `setPermission`.
 */
export const PERMISSION_FIELDS = [
  'PermissionsApiEnabled',
  'PermissionsManageUsers',
  'PermissionsCustomizeApplication',
  'PermissionsViewSetup',
  'PermissionsViewEventLogFiles',
] as const;
export type PermissionField = (typeof PERMISSION_FIELDS)[number];

function assignments(org: Org, userId: string): SfRecord[] {
  return org.byReference('PermissionSetAssignment', 'AssigneeId', userId);
}

/** Gives a user without any assignment its profile's permission set, granting every permission. */
export function ensurePermissionSets(org: Org, userId: string): void {
  if (assignments(org, userId).length > 0) return;
  const user = org.get(userId);
  const fields: SfRecord = { Name: `X00e_profile_${userId.slice(-6)}`, Label: 'Profile permission set', IsOwnedByProfile: true };
  if (typeof user?.ProfileId === 'string') fields.ProfileId = user.ProfileId;
  for (const f of PERMISSION_FIELDS) fields[f] = true;
  const set = org.insert('PermissionSet', fields);
  org.insert('PermissionSetAssignment', { AssigneeId: userId, PermissionSetId: set.Id as string });
}

/** Whether any permission set assigned to the user grants the permission. */
export function holds(org: Org, userId: string, permission: PermissionField): boolean {
  ensurePermissionSets(org, userId);
  return assignments(org, userId).some((a) => {
    const set = typeof a.PermissionSetId === 'string' ? org.get(a.PermissionSetId) : undefined;
    return set?.[permission] === true;
  });
}

/** Sets the permission on every set assigned to the user, so it is held (true) or missing (false). */
export function setPermission(org: Org, userId: string, permission: PermissionField, granted: boolean): void {
  ensurePermissionSets(org, userId);
  for (const a of assignments(org, userId)) {
    if (typeof a.PermissionSetId === 'string') org.update(a.PermissionSetId, { [permission]: granted });
  }
}

/** Objects the caller may not query at all, merged into the fault injector's denials. */
export function permissionDenials(org: Org, userId: string, denied: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  const hidden: string[] = [];
  // VerificationHistory: "Only users with Manage Users permission can access this object" (object reference).
  if (!holds(org, userId, 'PermissionsManageUsers')) hidden.push('authsession', 'userlogin', 'verificationhistory');
  if (!holds(org, userId, 'PermissionsViewSetup')) hidden.push('setupaudittrail');
  if (!holds(org, userId, 'PermissionsViewEventLogFiles')) hidden.push('eventlogfile');
  if (hidden.length === 0) return denied;
  const out = new Map(denied);
  for (const name of hidden) if (!out.has(name)) out.set(name, 'INVALID_TYPE');
  return out;
}

/** Rows the caller sees of objects it may query: the ones whose visibility depends on a permission. */
export function rowVisibility(org: Org, userId: string): (objectName: string, record: SfRecord) => boolean {
  const manageUsers = holds(org, userId, 'PermissionsManageUsers');
  const customizeApplication = holds(org, userId, 'PermissionsCustomizeApplication');
  return (objectName, record) => {
    if (objectName === 'OauthToken') return customizeApplication || record.UserId === userId;
    if (objectName === 'LoginHistory') return manageUsers || record.UserId === userId;
    return true;
  };
}
