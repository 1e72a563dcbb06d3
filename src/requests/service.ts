import type { Logger } from '../logger';
import type { AuditStore } from '../store/audit-store';
import { formatChainHead } from '../store/chain-head';
import type { RequestsStore } from '../store/requests-store';
import { withStepStarted } from './execution-progress';
import type { ExecutorPort, ReconcilerPort, RequestNotifier, RunHooks, StepOutcome, Verdict, VerifierPort } from './ports';
import { kindAndParams, type ActionRequest, type NewRequest } from '../domain/requests';
import { approvalRefusal, denialRefusal, type AccessUnavailable, type Clicker, type ClickRefusal } from './approval-rules';

/**
 * Who a Slack user is, for the approval rules, as of now (approver lists change; guests never
 * approve). `unavailable` when it cannot tell — a lookup failure is not a refusal.
 */
export interface PeopleDirectory {
  clicker(slackUserId: string): Promise<Clicker | { unavailable: AccessUnavailable }>;
}

/**
 * What an Approve or Deny click led to: a refusal (nothing changed; `unavailable` says why the
 * clicker could not be checked) or the request as it ended up.
 */
export type DecisionResult =
  { refusal: ClickRefusal; request: ActionRequest | null; unavailable?: AccessUnavailable } | { request: ActionRequest; approvalsMissing: number };

export interface RequestServiceOptions {
  /** Salesforce documents up to 30 minutes before an ended session's token stops working everywhere. */
  recheckAfterMinutes: number;
  now: () => Date;
  /**
   * Told once a request has finished (done or failed), e.g. so the monitor's alerts about the
   * sessions it ended say so. Best effort: a failure here is logged, never undoes the request.
   */
  onFinished?: (request: ActionRequest) => Promise<void>;
}

export interface StoredResult {
  steps: StepOutcome[];
  verification?: Verdict;
  recheck?: Verdict;
  executedAt?: string;
  reconciled?: 'completed' | 'needs_review';
  /** `<seq>:<hash>` of the audit chain once this request's rows were written (see formatChainHead). */
  auditHead?: string;
  /** Set while an interrupted request waits for Salesforce to be readable (see resumeDeferred). */
  deferred?: { since: string; reason: string };
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
    private readonly people: PeopleDirectory,
  ) {}

  /**
   * Records the request and queues its message (and, given the response_url of the message the
   * requester asked from, their private confirmation); returns at once, without waiting for Slack.
   */
  async submit(input: NewRequest, options: { responseUrl?: string } = {}): Promise<ActionRequest> {
    const now = this.options.now();
    const request = await this.store.create(input, now);
    await this.audit.append(
      {
        requestId: request.id,
        targetUserId: request.target.userId,
        actor: request.requestedBy,
        event: 'requested',
        detail: { kind: request.kind, params: request.params, reason: request.reason, evidence: request.evidence },
      },
      now,
    );
    await this.notifier.posted(request);
    if (options.responseUrl) await this.notifier.confirmed(request, options.responseUrl);
    return request;
  }

  async get(id: string): Promise<ActionRequest | null> {
    return this.store.get(id);
  }

  /**
   * Records an approval by `approverId`; when it completes the approvals, executes. The
   * two-person rule is enforced here, whatever surface the click came from: the approver is
   * looked up now (listed as approver, not a guest), must not be the requester nor the target,
   * and each approver counts once. The store's compare-and-set refuses the requester as well.
   */
  async approve(id: string, approverId: string): Promise<DecisionResult> {
    const checked = await this.checkClick(id, approverId, approvalRefusal);
    if ('refusal' in checked) return checked;
    const now = this.options.now();
    const { request, outcome } = await this.store.addApproval(id, approverId, now);
    if (outcome === 'duplicate') return { refusal: 'already_approved_by_you', request };
    if (outcome === 'requester') return { refusal: 'requester', request };
    if (outcome === 'not_pending') return { refusal: request.state === 'expired' ? 'expired' : 'already_decided', request };
    await this.audit.append(
      {
        requestId: id,
        targetUserId: request.target.userId,
        actor: approverId,
        event: 'approved',
        detail: { approvals: request.approvals.length, required: request.requiredApprovals },
      },
      now,
    );
    if (request.state !== 'approved') {
      await this.notifier.updated(request);
      return { request, approvalsMissing: request.requiredApprovals - request.approvals.length };
    }
    return { request: await this.execute(request), approvalsMissing: 0 };
  }

  /** Denies (an approver) or withdraws (the requester); never the target of the request, never a guest. */
  async deny(id: string, by: string): Promise<DecisionResult> {
    const checked = await this.checkClick(id, by, denialRefusal);
    if ('refusal' in checked) return checked;
    const now = this.options.now();
    const denied = await this.store.transition(id, 'pending', 'denied', { decidedBy: by }, now);
    if (!denied) {
      const current = await this.store.get(id);
      return { refusal: current?.state === 'expired' ? 'expired' : 'already_decided', request: current ?? checked.request };
    }
    await this.audit.append({ requestId: id, targetUserId: denied.target.userId, actor: by, event: 'denied' }, now);
    await this.notifier.updated(denied);
    await this.notifier.requesterTold(denied);
    return { request: denied, approvalsMissing: 0 };
  }

  /** The request and the person, checked against a click rule at this moment. */
  private async checkClick(
    id: string,
    slackUserId: string,
    rule: (request: ActionRequest, clicker: Clicker, now: Date) => ClickRefusal | null,
  ): Promise<{ request: ActionRequest } | { refusal: ClickRefusal; request: ActionRequest | null; unavailable?: AccessUnavailable }> {
    const request = await this.store.get(id);
    if (!request) return { refusal: 'unknown_request', request: null };
    const clicker = await this.people.clicker(slackUserId);
    if ('unavailable' in clicker) return { refusal: 'access_unavailable', request, unavailable: clicker.unavailable };
    const now = this.options.now();
    const refusal = rule(request, clicker, now);
    if (refusal === 'expired') await this.expireDue();
    return refusal ? { refusal, request } : { request };
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
    const steps = await this.executor.run(executing, this.progressHooks(executing, { steps: [], started: [] }));
    return this.finish(executing, steps);
  }

  /**
   * Progress kept in request.result while executing, so that after a crash the reconciler can
   * tell a step that never started from one that may have been sent without its answer recorded.
   */
  private progressHooks(request: ActionRequest, initial: { steps: StepOutcome[]; started: string[] }): RunHooks {
    let progress = initial;
    const save = async (): Promise<void> => {
      const saved = await this.store.transition(request.id, 'executing', 'executing', { result: progress }, this.options.now());
      if (!saved) throw new Error(`request ${request.id} left executing during its run; stopping before the next Salesforce call`);
    };
    return {
      onStepStart: async (step) => {
        progress = withStepStarted(progress, step.kind);
        await save();
        await this.audit.append(
          { requestId: request.id, targetUserId: request.target.userId, actor: 'system', event: 'step-started', detail: { step: step.kind } },
          this.options.now(),
        );
      },
      onStep: async (outcome) => {
        progress = { ...progress, steps: [...progress.steps, outcome] };
        await save();
        await this.recordStep(request, outcome);
      },
    };
  }

  private async recordStep(request: ActionRequest, outcome: StepOutcome): Promise<void> {
    await this.audit.append(
      {
        requestId: request.id,
        targetUserId: request.target.userId,
        actor: 'system',
        event: 'step',
        detail: { step: outcome.step, status: outcome.status, summary: outcome.summary, apiCalls: outcome.apiCalls, answer: outcome.detail },
      },
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
      verification = {
        ok: false,
        unverified: true,
        summary: 'Could not verify right away (Salesforce error); the delayed re-check will try again.',
        alerts: [],
        detail: null,
      };
    }
    const failed = steps.some((s) => s.status === 'failed') || reconciled === 'needs_review';
    const result: StoredResult = { steps, verification, executedAt: now.toISOString(), ...(reconciled ? { reconciled } : {}) };
    const done = await this.store.transition(
      executing.id,
      'executing',
      failed ? 'failed' : 'done',
      {
        result,
        verifyDueAt: new Date(now.getTime() + this.options.recheckAfterMinutes * 60_000),
      },
      now,
    );
    if (!done) return (await this.store.get(executing.id)) ?? executing;
    await this.audit.append(
      {
        requestId: done.id,
        targetUserId: done.target.userId,
        actor: 'system',
        event: failed ? 'failed' : 'done',
        detail: { steps: steps.map((s) => ({ step: s.step, status: s.status })) },
      },
      now,
    );
    await this.audit.append(
      {
        requestId: done.id,
        targetUserId: done.target.userId,
        actor: 'system',
        event: 'verified',
        detail: { when: 'immediate', ok: verification.ok, summary: verification.summary, detail: verification.detail },
      },
      now,
    );
    // The chain head as it stands after this request's rows, for the final message to state.
    const anchored = await this.store.update(done.id, done.version, { result: { ...result, auditHead: formatChainHead(await this.audit.head()) } }, now);
    const final = anchored ?? done;
    await this.notifier.updated(final);
    await this.notifier.requesterTold(final);
    try {
      await this.options.onFinished?.(final);
    } catch (err) {
      this.logger.warn({ err, request: final.id }, 'could not tell the monitor about a finished request');
    }
    return final;
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
      await this.audit.append(
        {
          requestId: r.id,
          targetUserId: r.target.userId,
          actor: 'system',
          event: 'verified',
          detail: { when: 'delayed', ok: verdict.ok, summary: verdict.summary, alerts: verdict.alerts, detail: verdict.detail },
        },
        now,
      );
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
      // A post still waiting in the outbox will be delivered by it; only a missing one is queued.
      if ((await this.notifier.posted(r)) === 'queued')
        this.logger.warn({ request: r.id }, 'request had no Slack message after restart; queued it for posting');
    }
    for (const r of await this.store.listByState(['approved'])) {
      this.logger.info({ request: r.id }, 'resuming an approved request after restart');
      await this.execute(r);
    }
    for (const r of await this.store.listByState(['executing'])) {
      this.logger.warn({ request: r.id }, 'reconciling a request interrupted while executing');
      await this.audit.append({ requestId: r.id, targetUserId: r.target.userId, actor: 'system', event: 'reconciling' }, this.options.now());
      await this.reconcileInterrupted(r);
    }
  }

  /**
   * Interrupted requests that waited for Salesforce (it could not be read at the restart): each
   * is claimed by compare-and-set, so one replica reconciles it, and reconciled now. Run by the
   * request timer and after every successful Salesforce login.
   */
  async resumeDeferred(): Promise<ActionRequest[]> {
    const resumed: ActionRequest[] = [];
    for (const r of await this.store.listByState(['executing'])) {
      const stored = resultOf(r);
      if (!stored.deferred) continue;
      const { deferred: _waited, ...rest } = stored;
      const claimed = await this.store.update(r.id, r.version, { result: rest }, this.options.now());
      if (!claimed) continue;
      this.logger.info({ request: r.id, waitedSince: stored.deferred.since }, 'Salesforce readable again; reconciling a request that waited for it');
      resumed.push(await this.reconcileInterrupted(claimed, stored.deferred));
    }
    return resumed;
  }

  /** Reconciles a request left executing; when Salesforce cannot be read at all it stays executing, marked to wait. */
  private async reconcileInterrupted(r: ActionRequest, waited?: { since: string; reason: string }): Promise<ActionRequest> {
    const stored = resultOf(r) as StoredResult & { started?: string[] };
    const { outcome, steps, reason } = await this.reconciler.reconcile(r, this.progressHooks(r, { steps: stored.steps ?? [], started: stored.started ?? [] }));
    if (outcome !== 'deferred') return this.finish(r, steps, outcome);
    const now = this.options.now();
    const deferred = { since: waited?.since ?? now.toISOString(), reason: reason ?? 'UNKNOWN' };
    const marked = await this.store.transition(r.id, 'executing', 'executing', { result: { ...stored, deferred } }, now);
    if (waited) return marked ?? r;
    await this.audit.append(
      { requestId: r.id, targetUserId: r.target.userId, actor: 'system', event: 'reconcile-deferred', detail: { reason: deferred.reason } },
      now,
    );
    try {
      await this.notifier.step(r, {
        step: 'plan',
        status: 'skipped',
        summary: `Salesforce could not be read after the restart (${deferred.reason}); nothing was run yet. The bot finishes this request as soon as Salesforce answers again.`,
        detail: { deferred },
        apiCalls: 0,
      });
    } catch (err) {
      this.logger.warn({ err, request: r.id }, 'could not post that a request waits for Salesforce');
    }
    return marked ?? r;
  }

  /** An expired request asked again with one click: a new pending request with the same content. */
  async askAgain(id: string, by: string, ttlMinutes: number): Promise<ActionRequest | null> {
    const old = await this.store.get(id);
    if (!old || old.state !== 'expired') return null;
    const now = this.options.now();
    return this.submit({
      ...kindAndParams(old),
      target: old.target,
      reason: old.reason,
      requestedBy: by,
      requiredApprovals: old.requiredApprovals,
      evidence: old.evidence,
      expiresAt: new Date(now.getTime() + ttlMinutes * 60_000),
    });
  }
}
