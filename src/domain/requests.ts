/**
 * Action requests as the domain sees them: the kinds of action, their typed parameters and the
 * lifecycle. Storage, the request service and the Slack views all read these types from here, so
 * none of them has to import another layer to agree on what a request is.
 */

/** Lifecycle of an action request; every change goes through a compare-and-set on the current state. */
export type RequestState = 'pending' | 'approved' | 'executing' | 'done' | 'failed' | 'denied' | 'expired';
export const REQUEST_STATES: readonly RequestState[] = ['pending', 'approved', 'executing', 'done', 'failed', 'denied', 'expired'];

/**
 * What each kind of action needs to run, decided at request time and stored with the request.
 * Adding a kind here is a compile error everywhere the catalogue (action-kinds.ts) or a view
 * table keyed by kind does not know it yet.
 */
export interface ParamsByKind {
  /** The chosen family roots and every session of those families, as listed when the request was made. */
  remove_session: { familyIds: string[]; sessionIds: string[] };
  remove_all: Record<string, never>;
  /** The UserLogin id read at request time saves a lookup query when the action runs. */
  freeze: { userLoginId?: string };
  unfreeze: { userLoginId?: string };
  reset_password: Record<string, never>;
  /** No names: every grant the user has when the action runs. */
  revoke_tokens: { appNames?: string[] };
  deactivate: Record<string, never>;
  contain: { userLoginId?: string; resetPassword: boolean };
}

export type ActionKind = keyof ParamsByKind;
export type RequestParams<K extends ActionKind = ActionKind> = ParamsByKind[K];

export interface RequestTarget {
  userId: string;
  username: string;
  name: string;
  email: string;
}
export interface Approval {
  userId: string;
  at: Date;
}

interface RequestFields {
  /** Opaque, e.g. 'R' + 10 chars of crypto randomness (base32). */
  id: string;
  state: RequestState;
  target: RequestTarget;
  reason: string;
  /** Slack user id. */
  requestedBy: string;
  /** 1, or 2 for deactivate. */
  requiredApprovals: number;
  approvals: Approval[];
  /** Who denied, or the approver who completed approval. */
  decidedBy: string | null;
  channelId: string | null;
  messageTs: string | null;
  /** JSON snapshot at request time (see requests/evidence.ts). */
  evidence: unknown;
  /** JSON: per-step results, verification. */
  result: unknown;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  /** When the delayed (30-minute) re-check is due. */
  verifyDueAt: Date | null;
  verifiedAt: Date | null;
  /** Bumped on every write; used for compare-and-set. */
  version: number;
}

/** A kind with its params: checking `kind` narrows `params`. */
export type KindAndParams = { [K in ActionKind]: { kind: K; params: ParamsByKind[K] } }[ActionKind];

export type RequestOf<K extends ActionKind> = RequestFields & { kind: K; params: ParamsByKind[K] };
export type ActionRequest = KindAndParams & RequestFields;
export type NewRequest = KindAndParams & Pick<RequestFields, 'target' | 'reason' | 'requestedBy' | 'requiredApprovals' | 'evidence' | 'expiresAt'>;

/** Kind and params of a request, kept together (reading them one by one loses their link in the types). */
export function kindAndParams(request: KindAndParams): KindAndParams {
  // A fresh object with just the two fields; the value is the same union member it was given.
  return { kind: request.kind, params: request.params } as KindAndParams;
}

/** One Salesforce operation of an approved request. */
export type Step =
  | { kind: 'remove'; ids: string[] }
  | { kind: 'remove-all' }
  | { kind: 'freeze' }
  | { kind: 'unfreeze' }
  | { kind: 'reset-password' }
  | { kind: 'revoke'; appNames: string[] }
  | { kind: 'revoke-all' }
  | { kind: 'deactivate' };

export type StepKind = Step['kind'];
