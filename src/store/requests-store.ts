import type { Selectable, Updateable } from 'kysely';
import { isActionKind, parseParams } from '../domain/action-kinds';
import {
  REQUEST_STATES,
  type ActionKind,
  type ActionRequest,
  type KindAndParams,
  type Approval,
  type NewRequest,
  type RequestState,
  type RequestTarget,
} from '../domain/requests';
import { fromIso, fromIsoOrNull, fromJsonText, toIso, toIsoOrNull, toJsonText } from './codec';
import type { Database } from './database';
import { newRequestId } from './ids';
import type { RequestsTable } from './schema';

export type TransitionPatch = Partial<Pick<ActionRequest, 'result' | 'decidedBy' | 'verifyDueAt' | 'verifiedAt' | 'approvals'>>;
export type UpdatePatch = Partial<Pick<ActionRequest, 'result' | 'verifyDueAt' | 'verifiedAt'>>;
export type ApprovalOutcome = 'added' | 'duplicate' | 'not_pending' | 'requester';

/**
 * Each failed compare-and-set means another writer succeeded, so the loop always makes progress;
 * the cap only turns a logic bug into an error instead of a spin.
 */
const MAX_CAS_ATTEMPTS = 200;

/**
 * Action requests with compare-and-set writes: every mutation is one UPDATE guarded by the
 * expected state or version, so concurrent clicks and several bot replicas cannot both win.
 */
export class RequestsStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async create(input: NewRequest, now: Date): Promise<ActionRequest> {
    if (!Number.isInteger(input.requiredApprovals) || input.requiredApprovals < 1) {
      throw new Error(`requiredApprovals must be a positive integer, got ${input.requiredApprovals}`);
    }
    const at = toIso(now);
    const row: RequestsTable = {
      id: newRequestId(),
      kind: input.kind,
      state: 'pending',
      target_user_id: input.target.userId,
      target: toJsonText(input.target),
      params: toJsonText(input.params),
      reason: input.reason,
      requested_by: input.requestedBy,
      required_approvals: input.requiredApprovals,
      approvals: '[]',
      decided_by: null,
      channel_id: null,
      message_ts: null,
      evidence: toJsonText(input.evidence),
      result: 'null',
      created_at: at,
      updated_at: at,
      expires_at: toIso(input.expiresAt),
      verify_due_at: null,
      verified_at: null,
      version: 1,
    };
    await this.db.insertInto('requests').values(row).execute();
    return toRequest(row);
  }

  async get(id: string): Promise<ActionRequest | null> {
    const row = await this.db.selectFrom('requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRequest(row) : null;
  }

  /** Moves the request to `to` only if it is currently in one of `from`; null means someone else moved it first. */
  async transition(id: string, from: RequestState | RequestState[], to: RequestState, patch: TransitionPatch, now: Date): Promise<ActionRequest | null> {
    const fromStates = Array.isArray(from) ? from : [from];
    if (fromStates.length === 0) return null;
    const row = await this.db
      .updateTable('requests')
      .set((eb) => ({ ...patchColumns(patch), state: to, updated_at: toIso(now), version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('state', 'in', fromStates)
      .returningAll()
      .executeTakeFirst();
    return row ? toRequest(row) : null;
  }

  /**
   * Records one approver. The write that brings approvals up to requiredApprovals also moves the
   * request to 'approved' and sets decidedBy, in the same CAS, so exactly one caller sees the
   * request become approved. A pending request past its expiry is moved to 'expired' here
   * (reported as not_pending) so a late click can never approve it.
   */
  async addApproval(id: string, approverId: string, now: Date): Promise<{ request: ActionRequest; outcome: ApprovalOutcome }> {
    for (let attempt = 0; attempt < MAX_CAS_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      if (!current) throw new Error(`action request ${id} does not exist`);
      if (current.state !== 'pending') return { request: current, outcome: 'not_pending' };
      if (current.expiresAt.getTime() <= now.getTime()) {
        const expired = await this.transition(id, 'pending', 'expired', {}, now);
        if (expired) return { request: expired, outcome: 'not_pending' };
        continue;
      }
      if (current.approvals.some((a) => a.userId === approverId)) return { request: current, outcome: 'duplicate' };
      // Separation of duties holds here too, whatever the caller checked before.
      if (current.requestedBy === approverId) return { request: current, outcome: 'requester' };

      const approvals: Approval[] = [...current.approvals, { userId: approverId, at: now }];
      const complete = approvals.length >= current.requiredApprovals;
      const row = await this.db
        .updateTable('requests')
        .set({
          approvals: encodeApprovals(approvals),
          ...(complete ? { state: 'approved', decided_by: approverId } : {}),
          updated_at: toIso(now),
          version: current.version + 1,
        })
        .where('id', '=', id)
        .where('version', '=', current.version)
        .where('state', '=', 'pending')
        .where('requested_by', '<>', approverId)
        .returningAll()
        .executeTakeFirst();
      if (row) return { request: toRequest(row), outcome: 'added' };
    }
    throw new Error(`addApproval on ${id} gave up after ${MAX_CAS_ATTEMPTS} conflicting writes`);
  }

  /** Bookkeeping write guarded by version; null means the row changed since `expectedVersion` was read. */
  async update(id: string, expectedVersion: number, patch: UpdatePatch, now: Date = new Date()): Promise<ActionRequest | null> {
    const row = await this.db
      .updateTable('requests')
      .set({ ...patchColumns(patch), updated_at: toIso(now), version: expectedVersion + 1 })
      .where('id', '=', id)
      .where('version', '=', expectedVersion)
      .returningAll()
      .executeTakeFirst();
    return row ? toRequest(row) : null;
  }

  /** Where the approval message lives, so later state changes can edit it. Null if the id is unknown. */
  async setMessage(id: string, channelId: string, ts: string, now: Date = new Date()): Promise<ActionRequest | null> {
    const row = await this.db
      .updateTable('requests')
      .set((eb) => ({ channel_id: channelId, message_ts: ts, updated_at: toIso(now), version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? toRequest(row) : null;
  }

  async listByState(states: RequestState[]): Promise<ActionRequest[]> {
    if (states.length === 0) return [];
    const rows = await this.db.selectFrom('requests').selectAll().where('state', 'in', states).orderBy('created_at').orderBy('id').execute();
    return rows.map(toRequest);
  }

  async listExpiredPending(now: Date): Promise<ActionRequest[]> {
    const rows = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('state', '=', 'pending')
      .where('expires_at', '<=', toIso(now))
      .orderBy('expires_at')
      .orderBy('id')
      .execute();
    return rows.map(toRequest);
  }

  async listDueVerification(now: Date): Promise<ActionRequest[]> {
    const rows = await this.db
      .selectFrom('requests')
      .selectAll()
      .where('state', '=', 'done')
      .where('verify_due_at', 'is not', null)
      .where('verify_due_at', '<=', toIso(now))
      .where('verified_at', 'is', null)
      .orderBy('verify_due_at')
      .orderBy('id')
      .execute();
    return rows.map(toRequest);
  }
}

function patchColumns(patch: TransitionPatch): Updateable<RequestsTable> {
  const cols: Updateable<RequestsTable> = {};
  if ('result' in patch) cols.result = toJsonText(patch.result);
  if (patch.decidedBy !== undefined) cols.decided_by = patch.decidedBy;
  if (patch.verifyDueAt !== undefined) cols.verify_due_at = toIsoOrNull(patch.verifyDueAt);
  if (patch.verifiedAt !== undefined) cols.verified_at = toIsoOrNull(patch.verifiedAt);
  if (patch.approvals !== undefined) cols.approvals = encodeApprovals(patch.approvals);
  return cols;
}

function encodeApprovals(approvals: Approval[]): string {
  return JSON.stringify(approvals.map((a) => ({ userId: a.userId, at: toIso(a.at) })));
}

function decodeApprovals(text: string): Approval[] {
  const raw = fromJsonText(text);
  if (!Array.isArray(raw)) throw new Error('stored approvals are not an array');
  return raw.map((a: unknown) => {
    const { userId, at } = (a ?? {}) as { userId?: unknown; at?: unknown };
    if (typeof userId !== 'string' || typeof at !== 'string') throw new Error('stored approval is malformed');
    return { userId, at: fromIso(at) };
  });
}

function asState(s: string): RequestState {
  if ((REQUEST_STATES as readonly string[]).includes(s)) return s as RequestState;
  throw new Error(`stored request state is unknown: ${s}`);
}

function asKind(s: string): ActionKind {
  if (isActionKind(s)) return s;
  throw new Error(`stored action kind is unknown: ${s}`);
}

/** Kind and params decoded together, so the stored params are checked against their kind. */
function kindAndParams(row: Selectable<RequestsTable>): KindAndParams {
  const kind = asKind(row.kind);
  // parseParams checked the params against this very kind; the union cannot see that link.
  return { kind, params: parseParams(kind, fromJsonText(row.params)) } as KindAndParams;
}

function toRequest(row: Selectable<RequestsTable>): ActionRequest {
  return {
    id: row.id,
    ...kindAndParams(row),
    state: asState(row.state),
    target: fromJsonText(row.target) as RequestTarget,
    reason: row.reason,
    requestedBy: row.requested_by,
    requiredApprovals: row.required_approvals,
    approvals: decodeApprovals(row.approvals),
    decidedBy: row.decided_by,
    channelId: row.channel_id,
    messageTs: row.message_ts,
    evidence: fromJsonText(row.evidence),
    result: fromJsonText(row.result),
    createdAt: fromIso(row.created_at),
    updatedAt: fromIso(row.updated_at),
    expiresAt: fromIso(row.expires_at),
    verifyDueAt: fromIsoOrNull(row.verify_due_at),
    verifiedAt: fromIsoOrNull(row.verified_at),
    version: row.version,
  };
}
