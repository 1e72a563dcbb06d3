import type { Logger } from '../logger';
import type { AuditStore } from '../store/audit-store';
import type { RequestsStore } from '../store/requests-store';
import type { ExecutorPort, ReconcilerPort, RequestNotifier, StepOutcome, Verdict, VerifierPort } from './ports';
import type { ActionRequest, NewRequest } from './types';

export interface RequestServiceOptions {
  /** Salesforce documents up to 30 minutes before an ended session's token stops working everywhere. */
  recheckAfterMinutes: number;
  now: () => Date;
}

export interface StoredResult {
  steps: StepOutcome[];
  verification?: Verdict;
  recheck?: Verdict;
  executedAt?: string;
  reconciled?: 'completed' | 'needs_review';
}

const resultOf = (r: ActionRequest): StoredResult => (r.result && typeof r.result === 'object' ? (r.result as StoredResult) : { steps: [] });

/**
 * The request lifecycle: pending → approved → executing → done | failed, and pending → denied |
 * expired. Every move is a compare-and-set in the store, so double clicks, simultaneous approvers
 * and several bot replicas execute an action once; every move is audited.
 */
export class RequestService {
  constructor(
    private readonly store: RequestsStore,
    private readonly audit: AuditStore,
    private readonly executor: ExecutorPort,
    private readonly verifier: VerifierPort,
    private readonly reconciler: ReconcilerPort,
    private readonly notifier: RequestNotifier,
    private readonly logger: Logger,
    private readonly options: RequestServiceOptions,
  ) {}

  async submit(input: NewRequest): Promise<ActionRequest> {
    const now = this.options.now();
    let request = await this.store.create(input, now);
    await this.audit.append(
      { requestId: request.id, targetUserId: request.target.userId, actor: request.requestedBy, event: 'requested', detail: { kind: request.kind, params: request.params, reason: request.reason, evidence: request.evidence } },
      now,
    );
    const posted = await this.notifier.posted(request);
    if (posted) request = (await this.store.setMessage(request.id, posted.channelId, posted.ts, now)) ?? request;
    return request;
  }

  /** Records an approval; when it completes the approvals, executes. Returns the request as it ended up. */
  async approve(id: string, approverId: string): Promise<{ request: ActionRequest; outcome: 'added' | 'duplicate' | 'not_pending' }> {
    const now = this.options.now();
    const { request, outcome } = await this.store.addApproval(id, approverId, now);
    if (outcome !== 'added') return { request, outcome };
    await this.audit.append(
      { requestId: id, targetUserId: request.target.userId, actor: approverId, event: 'approved', detail: { approvals: request.approvals.length, required: request.requiredApprovals } },
      now,
    );
    if (request.state !== 'approved') {
      await this.notifier.updated(request);
      return { request, outcome };
    }
    return { request: await this.execute(request), outcome };
  }

  async deny(id: string, by: string): Promise<ActionRequest | null> {
    const now = this.options.now();
    const denied = await this.store.transition(id, 'pending', 'denied', { decidedBy: by }, now);
    if (!denied) return null;
    await this.audit.append({ requestId: id, targetUserId: denied.target.userId, actor: by, event: 'denied' }, now);
    await this.notifier.updated(denied);
    await this.notifier.requesterTold(denied);
    return denied;
  }

  /** Marks overdue pending requests expired (never "denied"), e.g. from a timer or at click time. */
  async expireDue(): Promise<ActionRequest[]> {
    const now = this.options.now();
    const expired: ActionRequest[] = [];
    for (const r of await this.store.listExpiredPending(now)) {
      const moved = await this.store.transition(r.id, 'pending', 'expired', {}, now);
      if (!moved) continue;
      await this.audit.append({ requestId: r.id, targetUserId: r.target.userId, actor: 'system', event: 'expired' }, now);
      await this.notifier.updated(moved);
      expired.push(moved);
    }
    return expired;
  }

  /** approved → executing (compare-and-set: only one caller wins), run, verify, record. */
  async execute(approved: ActionRequest): Promise<ActionRequest> {
    const now = this.options.now();
    const executing = await this.store.transition(approved.id, 'approved', 'executing', {}, now);
    if (!executing) return (await this.store.get(approved.id)) ?? approved;
    await this.audit.append({ requestId: executing.id, targetUserId: executing.target.userId, actor: 'system', event: 'executing' }, now);
    await this.notifier.updated(executing);
    const steps = await this.executor.run(executing, (outcome) => this.recordStep(executing, outcome));
    return this.finish(executing, steps);
  }

  private async recordStep(request: ActionRequest, outcome: StepOutcome): Promise<void> {
    await this.audit.append(
      { requestId: request.id, targetUserId: request.target.userId, actor: 'system', event: 'step', detail: { step: outcome.step, status: outcome.status, summary: outcome.summary, apiCalls: outcome.apiCalls, answer: outcome.detail } },
      this.options.now(),
    );
    try {
      await this.notifier.step(request, outcome);
    } catch (err) {
      this.logger.warn({ err, request: request.id }, 'could not post a step reply');
    }
  }

  private async finish(executing: ActionRequest, steps: StepOutcome[], reconciled?: 'completed' | 'needs_review'): Promise<ActionRequest> {
    const now = this.options.now();
    let verification: Verdict | undefined;
    try {
      verification = await this.verifier.verify(executing, {});
    } catch (err) {
      this.logger.error({ err, request: executing.id }, 'verification failed');
      verification = { ok: false, summary: 'Could not verify right away (Salesforce error); the delayed re-check will try again.', alerts: [], detail: null };
    }
    const failed = steps.some((s) => s.status === 'failed') || reconciled === 'needs_review';
    const result: StoredResult = { steps, verification, executedAt: now.toISOString(), ...(reconciled ? { reconciled } : {}) };
    const done = await this.store.transition(executing.id, 'executing', failed ? 'failed' : 'done', {
      result,
      verifyDueAt: new Date(now.getTime() + this.options.recheckAfterMinutes * 60_000),
    }, now);
    if (!done) return (await this.store.get(executing.id)) ?? executing;
    await this.audit.append(
      { requestId: done.id, targetUserId: done.target.userId, actor: 'system', event: failed ? 'failed' : 'done', detail: { steps: steps.map((s) => ({ step: s.step, status: s.status })) } },
      now,
    );
    await this.audit.append({ requestId: done.id, targetUserId: done.target.userId, actor: 'system', event: 'verified', detail: { when: 'immediate', ok: verification.ok, summary: verification.summary, detail: verification.detail } }, now);
    await this.notifier.updated(done);
    await this.notifier.requesterTold(done);
    return done;
  }

  /** The delayed re-check (Salesforce's revocation lag): verdict in the thread, alerts for new sessions. */
  async recheckDue(): Promise<ActionRequest[]> {
    const now = this.options.now();
    const checked: ActionRequest[] = [];
    for (const r of await this.store.listDueVerification(now)) {
      // Claim the re-check first (compare-and-set on version) so two replicas do not both post it.
      const claimed = await this.store.update(r.id, r.version, { verifiedAt: now }, now);
      if (!claimed) continue;
      const executedAt = resultOf(r).executedAt;
      let verdict: Verdict;
      try {
        verdict = await this.verifier.verify(claimed, executedAt ? { executedAt: new Date(executedAt) } : {});
      } catch (err) {
        this.logger.error({ err, request: r.id }, 'delayed verification failed');
        verdict = { ok: false, summary: 'The delayed re-check could not read Salesforce; check the user by hand.', alerts: [], detail: null };
      }
      const stored = await this.store.update(claimed.id, claimed.version, { result: { ...resultOf(claimed), recheck: verdict } }, now);
      await this.audit.append({ requestId: r.id, targetUserId: r.target.userId, actor: 'system', event: 'verified', detail: { when: 'delayed', ok: verdict.ok, summary: verdict.summary, alerts: verdict.alerts, detail: verdict.detail } }, now);
      await this.notifier.verdict(stored ?? claimed, verdict);
      checked.push(stored ?? claimed);
    }
    return checked;
  }

  /**
   * After a crash: approved requests never started, so they run now; requests left in executing
   * are reconciled against Salesforce (finish what is not done, flag what cannot be proven).
   */
  async recoverOnStart(): Promise<void> {
    // A crash between creating a request and recording its Slack message would leave it where
    // nobody can see or approve it: post it (again) so it can be decided.
    for (const r of await this.store.listByState(['pending', 'approved', 'executing'])) {
      if (r.messageTs) continue;
      this.logger.warn({ request: r.id }, 'request had no Slack message after restart; posting it');
      const posted = await this.notifier.posted(r);
      if (posted) await this.store.setMessage(r.id, posted.channelId, posted.ts, this.options.now());
    }
    for (const r of await this.store.listByState(['approved'])) {
      this.logger.info({ request: r.id }, 'resuming an approved request after restart');
      await this.execute(r);
    }
    for (const r of await this.store.listByState(['executing'])) {
      this.logger.warn({ request: r.id }, 'reconciling a request interrupted while executing');
      await this.audit.append({ requestId: r.id, targetUserId: r.target.userId, actor: 'system', event: 'reconciling' }, this.options.now());
      const { outcome, steps } = await this.reconciler.reconcile(r, (s) => this.recordStep(r, s));
      await this.finish(r, steps, outcome);
    }
  }

  /** An expired request asked again with one click: a new pending request with the same content. */
  async askAgain(id: string, by: string, ttlMinutes: number): Promise<ActionRequest | null> {
    const old = await this.store.get(id);
    if (!old || old.state !== 'expired') return null;
    const now = this.options.now();
    return this.submit({
      kind: old.kind,
      target: old.target,
      params: old.params,
      reason: old.reason,
      requestedBy: by,
      requiredApprovals: old.requiredApprovals,
      evidence: old.evidence,
      expiresAt: new Date(now.getTime() + ttlMinutes * 60_000),
    });
  }
}
