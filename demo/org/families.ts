import type { Org, SfRecord } from '../../test/standins/salesforce/org';

/**
 * Reading and ending a user's logins in the stand-in's org, as Salesforce shows them: a UI login is
 * a root AuthSession (its own parent) with children pointing at it.
 */

export interface LiveFamily {
  rootId: string;
  userId: string;
  createdAt: Date;
}

/** The user's live UI logins (integration and API sessions are not families a person signs out of). */
export function liveUiFamilies(org: Org, userId: string): LiveFamily[] {
  return org
    .byReference('AuthSession', 'UsersId', userId)
    .filter((s) => s.SessionType === 'UI' && s.ParentId === s.Id)
    .map((root) => ({ rootId: root.Id as string, userId, createdAt: new Date(root.CreatedDate as string) }));
}

/** Ends a login the way signing out does: every session of the family goes; its LoginHistory row stays. */
export function endFamily(org: Org, rootId: string): string[] {
  const rows: SfRecord[] = org.byReference('AuthSession', 'ParentId', rootId);
  const ids = rows.map((row) => row.Id as string);
  for (const id of ids) org.delete('AuthSession', id);
  return ids;
}

/** Whether Salesforce would let this user in at all right now (the bot may have frozen or deactivated them). */
export function loginRefusal(org: Org, userId: string): string | null {
  const user = org.get(userId);
  if (!user || user.IsActive !== true) return 'User is Inactive';
  const frozen = org.byReference('UserLogin', 'UserId', userId).some((login) => login.IsFrozen === true);
  return frozen ? 'User Is Frozen' : null;
}

/** Activity on a login: every session of the family was used at `at` (a refreshed session stays alive). */
export function touchFamily(org: Org, rootId: string, at: Date): void {
  const lastModified = at.toISOString();
  for (const row of org.byReference('AuthSession', 'ParentId', rootId)) row.LastModifiedDate = lastModified;
}
