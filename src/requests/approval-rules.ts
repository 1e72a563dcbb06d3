import type { ActionRequest } from '../domain/requests';

export type ClickRefusal =
  | 'not_approver'
  | 'requester'
  | 'target'
  | 'guest'
  | 'expired'
  | 'already_decided'
  | 'already_approved_by_you'
  /** Who clicked could not be checked right now (Slack did not answer): try again, nothing changed. */
  | 'access_unavailable'
  | 'unknown_request';

/**
 * Why the clicker could not be checked: a passing outage (ask them to retry) or a lasting fault the
 * operator must fix (bad token, missing scope). The sentence names the cause and is safe to show.
 */
export interface AccessUnavailable {
  transient: boolean;
  sentence: string;
  retryAfterSec?: number;
}

export interface Clicker {
  id: string;
  email: string | null;
  isApprover: boolean;
  /** Guests, bots, deleted and external users: refused by the access check. */
  isGuest: boolean;
}

const norm = (s: string) => s.trim().toLowerCase();

/**
 * The two-person rule, checked at click time (not when the request was posted): the approver
 * must be an approver now, must not be the requester, must not be the person the action
 * targets (Slack e-mail vs the target's Salesforce username and e-mail) and must not be a guest.
 */
export function approvalRefusal(request: ActionRequest, clicker: Clicker, now: Date): ClickRefusal | null {
  if (request.state !== 'pending') return 'already_decided';
  if (request.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (clicker.isGuest) return 'guest';
  // The requester hears about the two-person rule even when they are not an approver themselves.
  if (clicker.id === request.requestedBy) return 'requester';
  if (!clicker.isApprover) return 'not_approver';
  if (isTarget(request, clicker)) return 'target';
  if (request.approvals.some((a) => a.userId === clicker.id)) return 'already_approved_by_you';
  return null;
}

/**
 * Denying: any approver may deny and the requester may withdraw; never a guest, and never the
 * target — whoever controls a compromised account must not be able to stop its containment.
 */
export function denialRefusal(request: ActionRequest, clicker: Clicker, now: Date): ClickRefusal | null {
  if (request.state !== 'pending') return 'already_decided';
  if (request.expiresAt.getTime() <= now.getTime()) return 'expired';
  if (clicker.isGuest) return 'guest';
  if (isTarget(request, clicker)) return 'target';
  if (!clicker.isApprover && clicker.id !== request.requestedBy) return 'not_approver';
  return null;
}

/** The clicker's Slack e-mail against the target's Salesforce username and e-mail. */
function isTarget(request: ActionRequest, clicker: Clicker): boolean {
  if (!clicker.email) return false;
  const e = norm(clicker.email);
  return e === norm(request.target.username) || (request.target.email !== '' && e === norm(request.target.email));
}
