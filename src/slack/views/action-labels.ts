/**
 * How each kind of request is named in Slack, and which request button asks for which kind.
 * One table so the modal title, the request message and the requester's notice never disagree.
 */
import type { ActionKind } from '../../requests/types';
import { ACTIONS } from './action-ids';

export interface ActionLabel {
  /** Modal title: Slack allows 24 characters. */
  title: string;
  /** What the action does, as the object of a sentence ("asks to Freeze user …"). */
  verb: string;
  /** Approvals needed before it runs (the two-person rule; deactivation needs a second approver). */
  approvals: number;
}

export const ACTION_LABELS: Readonly<Record<ActionKind, ActionLabel>> = {
  remove_session: { title: 'Remove session', verb: 'Remove session', approvals: 1 },
  remove_all: { title: 'Remove all sessions', verb: 'Remove all sessions', approvals: 1 },
  freeze: { title: 'Freeze user', verb: 'Freeze user', approvals: 1 },
  unfreeze: { title: 'Unfreeze user', verb: 'Unfreeze user', approvals: 1 },
  reset_password: { title: 'Reset password', verb: 'Reset password', approvals: 1 },
  revoke_tokens: { title: 'Revoke OAuth tokens', verb: 'Revoke OAuth tokens', approvals: 1 },
  deactivate: { title: 'Deactivate user', verb: 'Deactivate user', approvals: 2 },
  contain: { title: 'Contain account', verb: 'Contain account', approvals: 1 },
};

type RequestActionKey = 'removeSession' | 'removeAll' | 'freeze' | 'unfreeze' | 'resetPassword' | 'revokeTokens' | 'deactivate' | 'contain';
type RequestActionId = (typeof ACTIONS)[RequestActionKey];

// Keyed by the literal ids so adding a request button without a kind fails to compile.
const KIND_BY_ACTION: Record<RequestActionId, ActionKind> = {
  [ACTIONS.removeSession]: 'remove_session',
  [ACTIONS.removeAll]: 'remove_all',
  [ACTIONS.freeze]: 'freeze',
  [ACTIONS.unfreeze]: 'unfreeze',
  [ACTIONS.resetPassword]: 'reset_password',
  [ACTIONS.revokeTokens]: 'revoke_tokens',
  [ACTIONS.deactivate]: 'deactivate',
  [ACTIONS.contain]: 'contain',
};

/**
 * Request button action id → kind. Indexable by any string because listeners look up the
 * action_id Slack sent back; an unknown id reads as undefined. No prototype, so an id such as
 * "toString" cannot resolve to an inherited function.
 */
export const REQUEST_ACTION_KINDS: Readonly<Record<string, ActionKind>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, ActionKind>, KIND_BY_ACTION),
);

/** The action ids of the request buttons, for registering one listener for all of them. */
export const REQUEST_ACTION_IDS: readonly string[] = Object.keys(KIND_BY_ACTION);
