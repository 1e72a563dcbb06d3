import { sfError, type HttpReply } from './http';
import type { Org } from './org';

/**
 * Users Salesforce refuses to deactivate: a user who is a default owner or creator in the org's
 * settings, or named in a hierarchy field. The messages are the ones Salesforce Help quotes
 * ("Salesforce Error When Deactivating a User That is the Default Owner of Cases or Automation",
 * 000384586; "Unable to Deactivate a Salesforce User Due to Web-to-Lead or Other Configuration
 * Dependencies", 000384761). The error code an API PATCH gets is not documented there;
 * FIELD_INTEGRITY_EXCEPTION is the usual code of such validation refusals and is UNCONFIRMED for
 * this case, so the bot must not depend on it.
 */
export type DeactivationBlocker = 'default-case-owner' | 'web-to-lead-creator' | 'default-workflow-user' | 'hierarchy';

const MESSAGES: Record<DeactivationBlocker, string> = {
  'default-case-owner': 'You cannot deactivate this user. You cannot deactivate a user who is the default owner of cases.',
  'web-to-lead-creator': 'You cannot disable the Web to Lead Default Creator.',
  'default-workflow-user': 'You cannot deactivate the Default Workflow User.',
  hierarchy: 'You cannot deactivate this user because the user is selected in a custom hierarchy field. Remove the user from the hierarchy field first.',
};

export const DEACTIVATION_REFUSAL_CODE = 'FIELD_INTEGRITY_EXCEPTION';

const blockers = new WeakMap<Org, Map<string, DeactivationBlocker>>();

/** Makes the user one Salesforce will not deactivate, for the given reason. */
export function blockDeactivation(org: Org, userId: string, why: DeactivationBlocker): void {
  let m = blockers.get(org);
  if (!m) {
    m = new Map();
    blockers.set(org, m);
  }
  m.set(userId, why);
}

/** The refusal for `PATCH /sobjects/User/<id>` with IsActive false, when the user is blocked. */
export function deactivationRefusal(org: Org, typeName: string, id: string, body: string): HttpReply | undefined {
  if (typeName.toLowerCase() !== 'user') return undefined;
  const why = blockers.get(org)?.get(id);
  if (!why) return undefined;
  let changes: unknown;
  try {
    changes = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof changes !== 'object' || changes === null || (changes as { IsActive?: unknown }).IsActive !== false) return undefined;
  return sfError(400, DEACTIVATION_REFUSAL_CODE, MESSAGES[why], []);
}
