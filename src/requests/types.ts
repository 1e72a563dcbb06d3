/** Lifecycle of an action request; every change goes through a compare-and-set on the current state. */
export type RequestState = 'pending' | 'approved' | 'executing' | 'done' | 'failed' | 'denied' | 'expired';
export type ActionKind = 'remove_session' | 'remove_all' | 'freeze' | 'unfreeze' | 'reset_password' | 'revoke_tokens' | 'deactivate' | 'contain';

export const REQUEST_STATES: readonly RequestState[] = ['pending', 'approved', 'executing', 'done', 'failed', 'denied', 'expired'];
export const ACTION_KINDS: readonly ActionKind[] = [
  'remove_session', 'remove_all', 'freeze', 'unfreeze', 'reset_password', 'revoke_tokens', 'deactivate', 'contain',
];

export interface RequestTarget { userId: string; username: string; name: string; email: string }
export interface Approval { userId: string; at: Date }
export interface ActionRequest {
  id: string;                 // opaque, e.g. 'R' + 10 chars of crypto randomness (base32)
  kind: ActionKind;
  state: RequestState;
  target: RequestTarget;
  params: Record<string, unknown>;   // e.g. { sessionIds: [...] } or { appNames: [...], resetPassword: true }
  reason: string;
  requestedBy: string;        // Slack user id
  requiredApprovals: number;  // 1, or 2 for deactivate
  approvals: Approval[];
  decidedBy: string | null;   // who denied, or the approver who completed approval
  channelId: string | null;
  messageTs: string | null;
  evidence: unknown;          // JSON snapshot at request time
  result: unknown;            // JSON: per-step results, verification
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  verifyDueAt: Date | null;   // when the delayed (30-minute) re-check is due
  verifiedAt: Date | null;
  version: number;            // bumped on every write; used for compare-and-set
}
export type NewRequest = Pick<ActionRequest, 'kind' | 'target' | 'params' | 'reason' | 'requestedBy' | 'requiredApprovals' | 'evidence' | 'expiresAt'>;
