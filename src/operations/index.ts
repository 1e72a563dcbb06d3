/**
 * What the bot does, free of Slack: every surface (slash command, buttons, modals, the monitor,
 * App Home, a DM) calls these and only renders the answer. The composition root builds one
 * Operations from the Salesforce reader, the request service and the stores.
 */
import type { Policy, UserSelector } from '../domain/types';
import type { DecisionResult } from '../requests/service';
import type { ChainReport } from '../store/audit-store';
import { requestTrail, userTrail, type AuditDeps, type AuditLine } from './audit';
import { lookupLoginHistory, lookupSessions, type UserLoginHistory, type UserSessions } from './lookup';
import type { UserMatch } from './ports';
import {
  askAgain,
  decide,
  prepareRequest,
  submitRequest,
  type ClickOrigin,
  type PreparedRequest,
  type RequestDeps,
  type RequestForm,
  type RequestProblem,
  type RequestSubject,
} from './requests';
import type { ActionRequest } from '../domain/requests';

export interface Operations {
  /** The thresholds the rules used, for surfaces that word them ("older than the 2 h timeout"). */
  readonly policy: Policy;
  lookupSessions(selector: UserSelector): Promise<UserMatch<UserSessions>>;
  loginHistory(selector: UserSelector, days?: number): Promise<UserMatch<UserLoginHistory>>;
  prepareRequest(subject: RequestSubject): Promise<PreparedRequest | { problem: RequestProblem }>;
  submitRequest(form: RequestForm): Promise<{ request: ActionRequest } | { problem: RequestProblem }>;
  approve(requestId: string, slackUserId: string, origin?: ClickOrigin): Promise<DecisionResult>;
  deny(requestId: string, slackUserId: string, origin?: ClickOrigin): Promise<DecisionResult>;
  askAgain(requestId: string, by: string): Promise<ActionRequest | null>;
  requestTrail(requestId: string): Promise<AuditLine[]>;
  userTrail(selector: UserSelector): Promise<UserMatch<{ entries: AuditLine[] }>>;
  verifyAudit(): Promise<ChainReport>;
}

export function createOperations(deps: RequestDeps & AuditDeps): Operations {
  return {
    policy: deps.settings.policy,
    lookupSessions: (selector) => lookupSessions(deps, selector),
    loginHistory: (selector, days) => lookupLoginHistory(deps, selector, days),
    prepareRequest: (subject) => prepareRequest(deps, subject),
    submitRequest: (form) => submitRequest(deps, form),
    approve: (id, user, origin) => decide(deps, 'approve', id, user, origin),
    deny: (id, user, origin) => decide(deps, 'deny', id, user, origin),
    askAgain: (id, by) => askAgain(deps, id, by),
    requestTrail: (id) => requestTrail(deps, id),
    userTrail: (selector) => userTrail(deps, selector),
    verifyAudit: () => deps.audit.verifyChain(),
  };
}

export type { AuditLine, ClickOrigin, PreparedRequest, RequestForm, RequestProblem, RequestSubject, UserLoginHistory, UserMatch, UserSessions };
export { REQUEST_PROBLEMS } from './requests';
export { describeSelector } from './ports';
export type { ActivitySource, OperationSettings } from './ports';
