import type { BlastRadius } from './blast-radius';
import type { ActionKind } from './requests';

/** What is known of the target when a request is prepared or submitted. */
export interface TargetState {
  isActive: boolean;
  /** null: the user has no UserLogin row, or it could not be read. */
  isFrozen: boolean | null;
}

/**
 * Why the action would change nothing in Salesforce right now, or null when it would change
 * something (or cannot be known to change nothing). Such a request is neither offered by the form
 * nor accepted when submitted: approvers are not asked to approve a no-op.
 */
export function nothingToChange(kind: ActionKind, target: TargetState, br: BlastRadius): string | null {
  switch (kind) {
    case 'remove_session':
      return br.families === 0 ? 'These sessions have already ended; the request would change nothing.' : null;
    case 'remove_all':
      return br.sessionsToEnd === 0 ? 'The user has no open session to end; the request would change nothing.' : null;
    case 'freeze':
      return target.isFrozen === true ? 'The user is already frozen; the request would change nothing.' : null;
    case 'unfreeze':
      return target.isFrozen === false ? 'The user is not frozen; the request would change nothing.' : null;
    case 'deactivate':
      return !target.isActive ? 'The user is already inactive; the request would change nothing.' : null;
    default:
      // A reset always sends a new link; revoke and contain have their own checks (grants unknown is never "none").
      return null;
  }
}
