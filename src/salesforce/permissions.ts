import { describeSalesforceError, toSalesforceError } from './errors';
import { idLiteral } from './soql';
import type { SalesforceRest } from './rest';

/**
 * The integration user's permissions, read once at login instead of assumed. Salesforce does not
 * refuse every read a missing permission affects: OauthToken without Customize Application simply
 * returns the caller's own tokens, so a bot that assumed the permission would report "no grants"
 * for everyone. Each permission says what its absence hides, for the start log and /healthz.
 */
export type PermissionName = 'apiEnabled' | 'manageUsers' | 'customizeApplication' | 'viewSetup' | 'viewEventLogFiles';

interface PermissionDef {
  name: PermissionName;
  /** The PermissionSet field that grants it. */
  field: string;
  label: string;
  /** What the bot cannot see or do without it. */
  hides: string;
}

export const PERMISSIONS: readonly PermissionDef[] = [
  { name: 'apiEnabled', field: 'PermissionsApiEnabled', label: 'API Enabled', hides: 'every Salesforce API call is refused' },
  {
    name: 'manageUsers',
    field: 'PermissionsManageUsers',
    label: 'Manage Users',
    hides:
      "other users' sessions (AuthSession), freeze state (UserLogin), places (LoginGeo) and logins (LoginHistory); " +
      'ending sessions, freezing, password resets and deactivation',
  },
  {
    name: 'customizeApplication',
    field: 'PermissionsCustomizeApplication',
    label: 'Customize Application',
    hides: "other users' connected-app grants (OauthToken then shows only the bot's own, without an error): they cannot be listed, revoked or verified",
  },
  { name: 'viewSetup', field: 'PermissionsViewSetup', label: 'View Setup and Configuration', hides: 'the Setup Audit Trail' },
  {
    name: 'viewEventLogFiles',
    field: 'PermissionsViewEventLogFiles',
    label: 'View Event Log Files',
    hides: "the event log files (a session's API calls, and whether the org has Event Monitoring)",
  },
];

export type PermissionsState = { state: 'unknown'; reason: string } | { state: 'known'; held: Readonly<Record<PermissionName, boolean>>; readAt: Date };

export interface MissingPermission {
  label: string;
  hides: string;
}

/** What /healthz says of them. */
export interface PermissionsHealth {
  ok: boolean;
  /** Labels of the permissions the integration user lacks. */
  missing: MissingPermission[];
  /** Set when the bot could not read them: nothing is known, nothing is assumed. */
  unknown?: string;
}

/**
 * Effective permissions are the union of every permission set assigned to the user; the profile's
 * own permission set (IsOwnedByProfile) and a permission set group's aggregate set are assignments
 * too, so one query over PermissionSetAssignment sees them all.
 */
export function effectivePermissionsQuery(userId: string): string {
  const fields = PERMISSIONS.map((p) => `PermissionSet.${p.field}`).join(', ');
  return `SELECT ${fields} FROM PermissionSetAssignment WHERE AssigneeId = ${idLiteral(userId)}`;
}

type AssignmentRow = { PermissionSet: Record<string, unknown> | null };

export class IntegrationPermissions {
  private current: PermissionsState = { state: 'unknown', reason: 'the bot has not logged in to Salesforce yet' };

  /** One query. A failure leaves the permissions unknown, with the cause, and is not thrown. */
  async read(rest: SalesforceRest, userId: string | null, now: Date): Promise<PermissionsState> {
    if (!userId) {
      this.current = { state: 'unknown', reason: 'the bot does not know its own Salesforce user' };
      return this.current;
    }
    try {
      const rows = await rest.queryAll<AssignmentRow>(effectivePermissionsQuery(userId));
      const held = {} as Record<PermissionName, boolean>;
      for (const p of PERMISSIONS) held[p.name] = rows.some((r) => r.PermissionSet?.[p.field] === true);
      this.current = { state: 'known', held, readAt: now };
    } catch (err) {
      const e = toSalesforceError(err);
      this.current = {
        state: 'unknown',
        reason: `Salesforce did not let the bot read its own permission set assignments (${e.errorCode}: ${describeSalesforceError(e)})`,
      };
    }
    return this.current;
  }

  state(): PermissionsState {
    return this.current;
  }

  missing(): MissingPermission[] {
    const s = this.current;
    if (s.state !== 'known') return [];
    return PERMISSIONS.filter((p) => !s.held[p.name]).map(({ label, hides }) => ({ label, hides }));
  }

  health(): PermissionsHealth {
    const s = this.current;
    if (s.state === 'unknown') return { ok: false, missing: [], unknown: s.reason };
    const missing = this.missing();
    return { ok: missing.length === 0, missing };
  }

  /** One sentence for the start log. */
  describe(): string {
    const s = this.current;
    if (s.state === 'unknown') return `the integration user's Salesforce permissions are unknown: ${s.reason}`;
    const missing = this.missing();
    if (missing.length === 0) return `the integration user holds ${PERMISSIONS.map((p) => p.label).join(', ')}`;
    return `the integration user lacks ${missing.map((m) => `${m.label} (hides ${m.hides})`).join('; ')}`;
  }

  /**
   * Why other users' OAuth grants cannot be read, or null when they can. Unknown permissions count
   * as hidden: an empty answer could then mean "none" or "not shown to the bot".
   */
  grantsHidden(): string | null {
    const s = this.current;
    if (s.state === 'unknown') {
      return `Connected-app grants are unknown: Salesforce shows other users' grants only to a user with Customize Application, and ${s.reason}.`;
    }
    if (!s.held.customizeApplication) {
      return "Connected-app grants cannot be read: the bot's Salesforce user lacks Customize Application, so Salesforce shows it only its own grants (no error, just fewer rows).";
    }
    return null;
  }
}
