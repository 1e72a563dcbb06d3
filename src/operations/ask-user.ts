import type { AskAnswer, Colleague, UserAsk } from '../domain/ask';
import { UNREACHABLE_WORDS } from '../domain/ask';
import type { Session, SfUser } from '../domain/types';
import type { ExecutorPort, StepOutcome } from '../requests/ports';
import type { AlertRecord } from '../store/alerts-store';
import type { AlertEscalations } from '../store/alert-escalations';
import type { AsksStore } from '../store/asks-store';
import type { AuditStore } from '../store/audit-store';
import { endOwnSessions } from './self-service-end';

/** Finds the colleague behind a Salesforce e-mail in Slack (implemented over the Slack Web API). */
export interface ColleagueDirectory {
  byEmail(email: string): Promise<Colleague>;
}

/** Messages an ask owes Slack; each only queues (the outbox delivers). */
export interface AskNotices {
  askPosted(alertKey: string): Promise<void>;
  askUpdated(alertKey: string): Promise<void>;
  alertUpdated(alertKey: string, groupKey: string): Promise<void>;
  /** A held alert goes to the channel now: its message, and everything a new alert brings (a travel alert's map). */
  alertReleased(alertKey: string, groupKey: string): Promise<void>;
}

export interface AskUserDeps {
  asks: Pick<AsksStore, 'create' | 'get' | 'answer' | 'setOutcome' | 'listDue' | 'timeOut'>;
  alerts: {
    get(key: string): Promise<AlertRecord | null>;
    /** A held alert goes to the channel; true only for the caller that released it. */
    release(key: string): Promise<boolean>;
    resolve(key: string, reason: string, now: Date): Promise<boolean>;
  };
  escalations: Pick<AlertEscalations, 'escalate'>;
  /** The monitor's mirror: who the alert's user is, and their sessions (no Salesforce call). */
  mirror: { usersByIds(ids: readonly string[]): Promise<SfUser[]>; sessionsOfUsers(ids: readonly string[]): Promise<Session[]> };
  directory: ColleagueDirectory;
  notices: AskNotices;
  audit: Pick<AuditStore, 'append'>;
  executor: ExecutorPort;
  /** APPROVERS as Slack mentions' ids (U…/W…/S…): named in an escalation. */
  approvers: readonly string[];
  timeoutMinutes: number;
  now: () => Date;
}

export type AskOutcome =
  | { kind: 'asked'; ask: UserAsk }
  | { kind: 'unreachable'; ask: UserAsk; sentence: string }
  | { kind: 'already_asked'; ask: UserAsk }
  | { kind: 'no_alert' }
  | { kind: 'not_open' };

export type AnswerOutcome =
  | { kind: 'recorded'; answer: AskAnswer; ask: UserAsk; ended?: StepOutcome[] }
  | { kind: 'not_yours' }
  | { kind: 'already_settled'; ask: UserAsk }
  | { kind: 'no_ask' };

/** An escalation names the approvers so someone looks now: users as <@U…>, user groups as <!subteam^S…>. */
export function approverMentions(ids: readonly string[]): string {
  return ids.map((id) => (id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`)).join(' ');
}

/**
 * "Was this you?" as any surface calls it: ask the colleague an alert is about (found in Slack by
 * their Salesforce e-mail), record their answer, end their sessions on "No, not me" without an
 * approval (a person may end their own sessions), and escalate the alert on "not me" or silence.
 */
export class AskUser {
  constructor(private readonly deps: AskUserDeps) {}

  /** Asks once per alert; `by` is the Slack user who pressed "Ask", or 'system' for an automatic ask. */
  async ask(alertKey: string, by: string): Promise<AskOutcome> {
    const { deps } = this;
    const alert = await deps.alerts.get(alertKey);
    if (!alert) return { kind: 'no_alert' };
    const existing = await deps.asks.get(alertKey);
    if (existing) return { kind: 'already_asked', ask: existing };
    if (alert.state !== 'open') return { kind: 'not_open' };
    const [user] = await deps.mirror.usersByIds([alert.userId]);
    const email = user?.email.trim() ?? '';
    const colleague: Colleague = email ? await deps.directory.byEmail(email) : { kind: 'unreachable', reason: 'no_email' };
    const now = deps.now();
    const base = { alertKey, groupKey: alert.groupKey, askedBy: by, email, askedAt: now };
    const created =
      colleague.kind === 'found'
        ? await deps.asks.create({
            ...base,
            state: 'asked',
            slackUserId: colleague.slackUserId,
            tz: colleague.tz,
            dueAt: new Date(now.getTime() + deps.timeoutMinutes * 60_000),
          })
        : await deps.asks.create({ ...base, state: 'unreachable', unreachable: colleague.reason });
    const ask = await deps.asks.get(alertKey);
    if (!ask) throw new Error(`the database: the ask about alert ${alertKey} vanished right after it was written`);
    if (!created) return { kind: 'already_asked', ask };
    await deps.audit.append(
      {
        targetUserId: alert.userId,
        actor: by,
        event: colleague.kind === 'found' ? 'ask-user-sent' : 'ask-user-unreachable',
        detail: { alert: alertKey, rule: alert.rule, ...(colleague.kind === 'found' ? { slackUser: colleague.slackUserId } : { reason: colleague.reason }) },
      },
      now,
    );
    if (colleague.kind === 'found') await deps.notices.askPosted(alertKey);
    // Held for an answer that cannot come: the channel sees it now.
    await this.releaseOrUpdate(alert, colleague.kind !== 'found');
    return colleague.kind === 'found' ? { kind: 'asked', ask } : { kind: 'unreachable', ask, sentence: UNREACHABLE_WORDS[colleague.reason] };
  }

  /** The colleague's click in their DM. Anyone else is refused and nothing changes. */
  async answer(alertKey: string, slackUserId: string, answer: AskAnswer): Promise<AnswerOutcome> {
    const { deps } = this;
    const ask = await deps.asks.get(alertKey);
    if (!ask) return { kind: 'no_ask' };
    if (ask.slackUserId !== slackUserId) return { kind: 'not_yours' };
    const now = deps.now();
    if (!(await deps.asks.answer(alertKey, answer, now))) return { kind: 'already_settled', ask: (await deps.asks.get(alertKey)) ?? ask };
    const alert = await deps.alerts.get(alertKey);
    const targetUserId = alert?.userId ?? null;
    await deps.audit.append(
      { targetUserId, actor: slackUserId, event: answer === 'yes' ? 'ask-user-confirmed' : 'ask-user-denied', detail: { alert: alertKey } },
      now,
    );
    let ended: StepOutcome[] | undefined;
    if (answer === 'no' && alert) {
      ended = await this.endSessions(alert, slackUserId);
      await deps.escalations.escalate(
        alertKey,
        `<@${slackUserId}> said the activity was *not them*; those sessions were ended. ${approverMentions(deps.approvers)} please look now: contain the user if needed.`,
        now,
      );
    } else if (answer === 'yes' && alert?.held) {
      // Explained by the one person who could: it never needs the channel's attention. Audited above.
      await deps.alerts.resolve(alertKey, `<@${slackUserId}> confirmed it was them`, now);
    }
    await deps.notices.askUpdated(alertKey);
    if (alert) await this.releaseOrUpdate(alert, answer === 'no');
    const settled = (await deps.asks.get(alertKey)) ?? ask;
    return { kind: 'recorded', answer, ask: settled, ...(ended ? { ended } : {}) };
  }

  /** The timer: every unanswered ask past its due time escalates its alert, once. */
  async escalateDue(): Promise<number> {
    const { deps } = this;
    const now = deps.now();
    let escalated = 0;
    for (const ask of await deps.asks.listDue(now)) {
      if (!(await deps.asks.timeOut(ask.alertKey))) continue;
      const alert = await deps.alerts.get(ask.alertKey);
      await deps.audit.append(
        { targetUserId: alert?.userId ?? null, actor: 'system', event: 'ask-user-timeout', detail: { alert: ask.alertKey, slackUser: ask.slackUserId } },
        now,
      );
      const who = ask.slackUserId ? `<@${ask.slackUserId}>` : 'The user';
      await deps.escalations.escalate(
        ask.alertKey,
        `${who} did not answer within ${deps.timeoutMinutes} min. ${approverMentions(deps.approvers)} please look now.`,
        now,
      );
      await deps.notices.askUpdated(ask.alertKey);
      if (alert) await this.releaseOrUpdate(alert, true);
      escalated += 1;
    }
    return escalated;
  }

  /** A held alert whose person could not be asked at all (Slack failing): it goes to the channel now. */
  async releaseHeld(alertKey: string): Promise<void> {
    const alert = await this.deps.alerts.get(alertKey);
    if (alert?.held && (await this.deps.alerts.release(alertKey))) await this.deps.notices.alertReleased(alertKey, alert.groupKey);
  }

  /**
   * After an ask changed: a held alert that must reach the channel now (`release`) is released —
   * posted as a new alert, once, by whichever caller released it — otherwise its message is brought up to date.
   */
  private async releaseOrUpdate(alert: AlertRecord, release: boolean): Promise<void> {
    if (release && alert.held && (await this.deps.alerts.release(alert.key))) await this.deps.notices.alertReleased(alert.key, alert.groupKey);
    else await this.deps.notices.alertUpdated(alert.key, alert.groupKey);
  }

  /**
   * "No, not me": the alert's sessions end at once through the executor (the Salesforce checks of
   * an approved removal apply), recorded as the colleague's own act, not an approved request.
   */
  private async endSessions(alert: AlertRecord, slackUserId: string): Promise<StepOutcome[]> {
    const { deps } = this;
    const [user] = await deps.mirror.usersByIds([alert.userId]);
    const knownSessions = await deps.mirror.sessionsOfUsers([alert.userId]);
    const target = user ?? { id: alert.userId, username: alert.userId, name: alert.userId, email: '' };
    const outcomes = await endOwnSessions(deps.executor, { by: slackUserId, user: target, finding: alert.finding, knownSessions, now: deps.now() });
    const summary = outcomes.map((o) => o.summary).join(' ');
    await deps.asks.setOutcome(alert.key, summary);
    await deps.audit.append(
      {
        targetUserId: alert.userId,
        actor: slackUserId,
        event: 'self-service-end',
        detail: { alert: alert.key, summary, steps: outcomes.map((o) => ({ step: o.step, status: o.status, detail: o.detail })) },
      },
      deps.now(),
    );
    return outcomes;
  }
}
