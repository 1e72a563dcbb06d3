import { specOf } from '../../src/domain/action-kinds';
import { approvalRefusal, denialRefusal, type Clicker } from '../../src/requests/approval-rules';
import type { ActionRequest } from '../../src/domain/requests';

const NOW = new Date('2026-11-26T10:00:00Z');

function request(over: Partial<Omit<ActionRequest, 'kind' | 'params'>> = {}): ActionRequest {
  return {
    id: 'RABCDEFGHIJ',
    kind: 'freeze' as const,
    state: 'pending',
    target: { userId: '005000000000003AAA', username: 'bob@acme.com', name: 'Bob', email: 'Bob.Baker@acme.com' },
    params: {},
    reason: 'suspicious',
    requestedBy: 'U0ADMIN',
    requiredApprovals: 1,
    approvals: [],
    decidedBy: null,
    channelId: 'C1',
    messageTs: '1.1',
    evidence: null,
    result: null,
    createdAt: NOW,
    updatedAt: NOW,
    expiresAt: new Date(NOW.getTime() + 3_600_000),
    verifyDueAt: null,
    verifiedAt: null,
    version: 1,
    ...over,
  };
}
const approver: Clicker = { id: 'U0APPROVER', email: 'paul@acme.com', isApprover: true, isGuest: false };

describe('approvalRefusal', () => {
  it('lets a different, current approver approve', () => {
    expect(approvalRefusal(request(), approver, NOW)).toBeNull();
  });
  it.each<[string, Partial<ActionRequest>, Partial<Clicker>, string]>([
    ['a decided request', { state: 'done' }, {}, 'already_decided'],
    ['an expired request (at the exact expiry)', { expiresAt: NOW }, {}, 'expired'],
    ['a guest', {}, { isGuest: true, isApprover: false }, 'guest'],
    ['the requester, even when an approver', { requestedBy: 'U0APPROVER' }, {}, 'requester'],
    ['a non-approver', {}, { isApprover: false }, 'not_approver'],
    ['the target by username, any case', {}, { email: 'BOB@acme.com' }, 'target'],
    ['the target by e-mail', {}, { email: 'bob.baker@ACME.com' }, 'target'],
    ['a second click by the same approver', { requiredApprovals: 2, approvals: [{ userId: 'U0APPROVER', at: NOW }] }, {}, 'already_approved_by_you'],
  ])('refuses %s', (_what, req, clicker, reason) => {
    expect(approvalRefusal(request(req), { ...approver, ...clicker }, NOW)).toBe(reason);
  });
  it('does not take a missing Slack e-mail for the target', () => {
    expect(approvalRefusal(request({ target: { ...request().target, email: '' } }), { ...approver, email: null }, NOW)).toBeNull();
  });
});

describe('denialRefusal', () => {
  it('lets an approver deny and the requester withdraw', () => {
    expect(denialRefusal(request(), approver, NOW)).toBeNull();
    expect(denialRefusal(request(), { id: 'U0ADMIN', email: 'ada@acme.com', isApprover: false, isGuest: false }, NOW)).toBeNull();
  });
  it('never lets the target stop their own containment, nor a guest or a bystander', () => {
    expect(denialRefusal(request(), { ...approver, email: 'bob@acme.com' }, NOW)).toBe('target');
    expect(denialRefusal(request(), { ...approver, isGuest: true }, NOW)).toBe('guest');
    expect(denialRefusal(request(), { ...approver, isApprover: false }, NOW)).toBe('not_approver');
    expect(denialRefusal(request({ state: 'denied' }), approver, NOW)).toBe('already_decided');
  });
});

it('deactivation needs two approvers, everything else one', () => {
  expect(specOf('deactivate').approvals).toBe(2);
  expect(specOf('contain').approvals).toBe(1);
});
