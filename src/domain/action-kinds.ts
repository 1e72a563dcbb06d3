/**
 * The catalogue of action kinds: for each kind, how it is named, how many approvals it needs,
 * which buttons offer it, the Salesforce steps it runs and what verification reads back. Every
 * other table keyed by kind (Slack action ids, modal wording) is a `Record<ActionKind, …>`, so
 * a new kind is a compile error wherever it is still missing.
 */
import type { ActionKind, ParamsByKind, Step } from './requests';

/** What verification (and crash reconciliation) reads back from Salesforce for a kind. */
export interface Checks {
  sessions: boolean;
  grants: boolean;
  frozen: boolean;
  active: boolean;
}

export interface ActionKindSpec<K extends ActionKind> {
  /** Modal title: Slack allows 24 characters. */
  title: string;
  /** What the action does, as the object of a sentence ("asks to Freeze user …"). */
  verb: string;
  /** Approvals before it runs: the two-person rule, and a second approver for deactivation. */
  approvals: number;
  /** Offered on each session family of a /sessions answer, or once for the whole user. */
  offeredOn: 'session' | 'user';
  /** Ends sessions (the blast radius counts them). */
  endsSessions: boolean;
  checks: Checks;
  /** The Salesforce steps, in execution order. */
  plan(params: ParamsByKind[K]): Step[];
  /** Params read back from storage (JSON written by an earlier version, or by hand): checked, never cast. */
  parseParams(raw: Record<string, unknown>): ParamsByKind[K];
}

export class ParamsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamsError';
  }
}

function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new ParamsError(`params.${name} must be a list of strings`);
  }
  return value;
}

const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const withLoginId = (raw: Record<string, unknown>): { userLoginId?: string } => {
  const id = optionalString(raw.userLoginId);
  return id ? { userLoginId: id } : {};
};
const none = (): Record<string, never> => ({});
const USER_ONLY: Checks = { sessions: true, grants: false, frozen: false, active: false };

export const ACTION_KINDS_CATALOGUE: { readonly [K in ActionKind]: ActionKindSpec<K> } = {
  remove_session: {
    title: 'Remove session',
    verb: 'Remove session',
    approvals: 1,
    offeredOn: 'session',
    endsSessions: true,
    checks: USER_ONLY,
    plan: (p) => [{ kind: 'remove', ids: p.sessionIds }],
    parseParams(raw) {
      const sessionIds = stringList(raw.sessionIds, 'sessionIds');
      if (!sessionIds || sessionIds.length === 0) throw new ParamsError('remove_session needs params.sessionIds');
      // Rows written before several families could be chosen carry one `familyId`.
      const legacy = optionalString(raw.familyId);
      const familyIds = stringList(raw.familyIds, 'familyIds') ?? (legacy ? [legacy] : sessionIds.slice(0, 1));
      return { familyIds, sessionIds };
    },
  },
  remove_all: {
    title: 'Remove all sessions',
    verb: 'Remove all sessions',
    approvals: 1,
    offeredOn: 'user',
    endsSessions: true,
    checks: USER_ONLY,
    plan: () => [{ kind: 'remove-all' }],
    parseParams: none,
  },
  freeze: {
    title: 'Freeze user',
    verb: 'Freeze user',
    approvals: 1,
    offeredOn: 'user',
    endsSessions: false,
    checks: { ...USER_ONLY, frozen: true },
    plan: () => [{ kind: 'freeze' }],
    parseParams: withLoginId,
  },
  unfreeze: {
    title: 'Unfreeze user',
    verb: 'Unfreeze user',
    approvals: 1,
    offeredOn: 'user',
    endsSessions: false,
    checks: { ...USER_ONLY, frozen: true },
    plan: () => [{ kind: 'unfreeze' }],
    parseParams: withLoginId,
  },
  reset_password: {
    title: 'Reset password',
    verb: 'Reset password',
    approvals: 1,
    offeredOn: 'user',
    endsSessions: false,
    checks: USER_ONLY,
    plan: () => [{ kind: 'reset-password' }],
    parseParams: none,
  },
  revoke_tokens: {
    title: 'Revoke OAuth tokens',
    verb: 'Revoke OAuth tokens',
    approvals: 1,
    offeredOn: 'user',
    endsSessions: false,
    checks: { ...USER_ONLY, grants: true },
    plan: (p) => (p.appNames && p.appNames.length > 0 ? [{ kind: 'revoke', appNames: p.appNames }] : [{ kind: 'revoke-all' }]),
    parseParams(raw) {
      const appNames = stringList(raw.appNames, 'appNames');
      return appNames ? { appNames } : {};
    },
  },
  deactivate: {
    title: 'Deactivate user',
    verb: 'Deactivate user',
    approvals: 2,
    offeredOn: 'user',
    endsSessions: false,
    checks: { ...USER_ONLY, active: true },
    plan: () => [{ kind: 'deactivate' }],
    parseParams: none,
  },
  contain: {
    title: 'Contain account',
    verb: 'Contain account',
    approvals: 1,
    offeredOn: 'user',
    endsSessions: true,
    checks: { sessions: true, grants: true, frozen: true, active: false },
    // Freeze first so that no new login slips in while sessions end and grants are revoked.
    plan: (p) => [{ kind: 'freeze' }, { kind: 'remove-all' }, { kind: 'revoke-all' }, ...(p.resetPassword ? [{ kind: 'reset-password' } as const] : [])],
    parseParams: (raw) => ({ ...withLoginId(raw), resetPassword: raw.resetPassword === true }),
  },
};

export const ACTION_KINDS: readonly ActionKind[] = Object.keys(ACTION_KINDS_CATALOGUE) as ActionKind[];

export function isActionKind(value: unknown): value is ActionKind {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ACTION_KINDS_CATALOGUE, value);
}

export function specOf<K extends ActionKind>(kind: K): ActionKindSpec<K> {
  return ACTION_KINDS_CATALOGUE[kind];
}

/** The steps of a request, typed by its kind. */
export function planOf<K extends ActionKind>(request: { kind: K; params: ParamsByKind[K] }): Step[] {
  return specOf(request.kind).plan(request.params);
}

/** Params from storage, checked against the kind. */
export function parseParams<K extends ActionKind>(kind: K, raw: unknown): ParamsByKind[K] {
  const obj = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
  return ACTION_KINDS_CATALOGUE[kind].parseParams(obj);
}
