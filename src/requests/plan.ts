import type { ActionRequest } from './types';

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

export class PlanError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlanError';
  }
}

function stringList(value: unknown, name: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    throw new PlanError(`params.${name} must be a list of strings`);
  }
  return value;
}

/**
 * The steps of a request, in execution order. Containment freezes first so that no new login
 * slips in while sessions are being ended and grants revoked.
 */
export function planFor(request: Pick<ActionRequest, 'kind' | 'params'>): Step[] {
  const params = request.params;
  switch (request.kind) {
    case 'remove_session': {
      const ids = stringList(params.sessionIds, 'sessionIds');
      if (!ids || ids.length === 0) throw new PlanError('remove_session needs params.sessionIds');
      return [{ kind: 'remove', ids }];
    }
    case 'remove_all':
      return [{ kind: 'remove-all' }];
    case 'freeze':
      return [{ kind: 'freeze' }];
    case 'unfreeze':
      return [{ kind: 'unfreeze' }];
    case 'reset_password':
      return [{ kind: 'reset-password' }];
    case 'revoke_tokens': {
      const appNames = stringList(params.appNames, 'appNames');
      return appNames && appNames.length > 0 ? [{ kind: 'revoke', appNames }] : [{ kind: 'revoke-all' }];
    }
    case 'deactivate':
      return [{ kind: 'deactivate' }];
    case 'contain': {
      const steps: Step[] = [{ kind: 'freeze' }, { kind: 'remove-all' }, { kind: 'revoke-all' }];
      if (params.resetPassword === true) steps.push({ kind: 'reset-password' });
      return steps;
    }
  }
}
