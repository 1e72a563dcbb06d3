import { parseParams, planOf } from '../domain/action-kinds';
import type { ActionRequest, Step } from '../domain/requests';

export type { Step, StepKind } from '../domain/requests';

/**
 * The steps of a request, in execution order (see the catalogue in domain/action-kinds.ts). The
 * params are checked again here because an approved request may have sat in the database across
 * a version change; a malformed one throws a ParamsError instead of running half-understood.
 */
export function planFor(request: Pick<ActionRequest, 'kind' | 'params'>): Step[] {
  return planOf({ kind: request.kind, params: parseParams(request.kind, request.params) });
}
