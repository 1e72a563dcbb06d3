/**
 * The request as the security channel sees it (one message, updated in place as the request
 * moves), its thread replies, and the short ephemeral answers around it.
 */
import type { ClickRefusal } from '../../requests/approval-rules';
import type { ActionsBlock, KnownBlock } from '@slack/types';
import type { ActionRequest, RequestState } from '../../domain/requests';
import { ACTION_KINDS_CATALOGUE } from '../../domain/action-kinds';
import { ACTION_LABELS } from './action-labels';
import { ACTIONS, INVESTIGATE_ACTIONS } from './action-ids';
import { button, context, header, section } from './blocks';
import { concernedText, type ConcernedSessionView } from './concerned-sessions';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { escapeMrkdwn, formatCount, plural, safe, slackDate, truncate } from './text';

export interface EvidenceSummary {
  sessions: number;
  families: number;
  countries: string[];
  /** Findings about the concerned sessions first, then the rest. */
  findings: string[];
  /** The session families the action ends; null when the evidence predates recording them. */
  concerned: ConcernedSessionView[] | null;
}

export interface VerificationSummary {
  ok: boolean;
  summary: string;
  /** Salesforce could not be read to verify (unknown, not "not in effect"). */
  unverified?: boolean;
}

export interface RequestMessageView {
  now: Date;
  /** Defaults to the snapshot stored with the request. */
  evidence?: EvidenceSummary;
  /** Defaults to the stored result's verification; null hides it. */
  verification?: VerificationSummary | null;
  /** Salesforce instance URL (https://acme.my.salesforce.com); when given, the target's id links to their user record. */
  permalinkBase?: string;
}

export interface StepLine {
  step: string;
  status: string;
  summary: string;
}

/** The same reasons the approval rules give, so a new reason cannot go unexplained. */
export type ClickRefusalReason = ClickRefusal;

const FINDINGS_SHOWN = 5;
const ALERTS_SHOWN = 10;
// Per-section budgets keep the whole message well under Slack's ~12,000-character block text cap.
const REASON_BUDGET = 2_000;
const EVIDENCE_BUDGET = 1_500;
// Ten families with a finding or two each need about this much; the section itself allows 3,000.
const CONCERNED_BUDGET = 2_900;
const OUTCOME_BUDGET = 2_500;

const HEADLINE: Record<RequestState, string> = {
  pending: 'Approval needed',
  approved: 'Approved',
  executing: 'Executing',
  done: 'Approved and done',
  failed: 'Failed',
  denied: 'Denied',
  expired: 'Expired',
};

const STEP_LABELS: Record<string, string> = {
  plan: 'Plan',
  remove: 'Remove sessions',
  'remove-all': 'Remove all sessions',
  freeze: 'Freeze user',
  unfreeze: 'Unfreeze user',
  'reset-password': 'Reset password',
  revoke: 'Revoke OAuth tokens',
  'revoke-all': 'Revoke all OAuth tokens',
  deactivate: 'Deactivate user',
};

const STATUS_ICONS: Record<string, string> = {
  ok: ':white_check_mark:',
  partial: ':large_orange_circle:',
  failed: ':x:',
  skipped: ':fast_forward:',
};

/** Slack user ids only; anything else (e.g. 'system') is shown as text so it cannot become a mention. */
function mention(userId: string): string {
  return /^[UW][A-Z0-9]{2,}$/.test(userId) ? `<@${userId}>` : safe(userId, 60);
}

function stepLabel(step: string): string {
  return STEP_LABELS[step] ?? safe(step, 60);
}

function stepIcon(status: string): string {
  return STATUS_ICONS[status] ?? ':grey_question:';
}

/** A multi-line reason as a mrkdwn quote: each line escaped and prefixed, blank runs collapsed. */
function quote(text: string, max: number): string {
  const lines = text
    .trim()
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l, i, all) => l.length > 0 || (i > 0 && (all[i - 1] ?? '').length > 0));
  return truncate(lines.map((l) => `> ${escapeMrkdwn(l)}`).join('\n'), max);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v.length > 0 ? v : null;
}

/** An ISO date as stored; anything else becomes an invalid Date, which the renderer words as unknown. */
function dateOf(v: unknown): Date {
  return new Date(typeof v === 'string' ? v : Number.NaN);
}

/** One stored concerned family (requests/evidence.ts ConcernedSession); without an id and a type it names nothing. */
function concernedOf(v: unknown): ConcernedSessionView[] {
  if (!isRecord(v) || typeof v.id !== 'string' || typeof v.sessionType !== 'string') return [];
  return [
    {
      id: v.id,
      sessionType: v.sessionType,
      loginType: stringOrNull(v.loginType),
      ip: stringOrNull(v.ip),
      place: stringOrNull(v.place),
      loginAt: dateOf(v.loginAt),
      createdAt: dateOf(v.createdAt),
      children: typeof v.children === 'number' && Number.isInteger(v.children) && v.children > 0 ? v.children : 0,
      findings: strings(v.findings),
    },
  ];
}

/**
 * The stored evidence is JSON written by another module, possibly by an older version of it
 * (rows from before `concerned` existed): read only what is well formed.
 */
function evidenceOf(stored: unknown): EvidenceSummary | null {
  if (!isRecord(stored) || typeof stored.sessions !== 'number' || typeof stored.families !== 'number') return null;
  return {
    sessions: stored.sessions,
    families: stored.families,
    countries: strings(stored.countries),
    findings: strings(stored.findings),
    concerned: Array.isArray(stored.concerned) ? stored.concerned.flatMap(concernedOf) : null,
  };
}

interface StoredOutcome {
  steps: StepLine[];
  verification: VerificationSummary | null;
  recheck: (VerificationSummary & { alerts: string[] }) | null;
  /** The audit chain's head (`<seq>:<hash>`) when the request finished, stated outside the database. */
  auditHead: string | null;
}

function verdictOf(v: unknown): VerificationSummary | null {
  if (!isRecord(v) || typeof v.ok !== 'boolean' || typeof v.summary !== 'string') return null;
  return { ok: v.ok, summary: v.summary, ...(v.unverified === true ? { unverified: true } : {}) };
}

function outcomeOf(result: unknown): StoredOutcome {
  if (!isRecord(result)) return { steps: [], verification: null, recheck: null, auditHead: null };
  const steps = Array.isArray(result.steps)
    ? result.steps
        .filter(isRecord)
        .flatMap((s) =>
          typeof s.step === 'string' && typeof s.status === 'string' && typeof s.summary === 'string'
            ? [{ step: s.step, status: s.status, summary: s.summary }]
            : [],
        )
    : [];
  const recheck = verdictOf(result.recheck);
  return {
    steps,
    verification: verdictOf(result.verification),
    recheck: recheck && isRecord(result.recheck) ? { ...recheck, alerts: strings(result.recheck.alerts) } : null,
    auditHead: typeof result.auditHead === 'string' && /^\d{1,15}:[0-9a-f]{64}$/.test(result.auditHead) ? result.auditHead : null,
  };
}

function targetText(request: ActionRequest, permalinkBase?: string): string {
  const t = request.target;
  const id = safe(t.userId, 40);
  const base = permalinkBase && /^https:\/\/[^\s|<>]+$/.test(permalinkBase) ? permalinkBase.replace(/\/+$/, '') : null;
  const idText = base && /^[A-Za-z0-9]{15,18}$/.test(t.userId) ? `<${base}/${t.userId}|${id}>` : `\`${id}\``;
  return `${safe(t.name, 120)} (${safe(t.username, 120)}) · ${idText}`;
}

/** What exactly will run, from the request's kind and its typed params. */
function whatText(request: ActionRequest): string {
  const verb = ACTION_LABELS[request.kind].verb;
  switch (request.kind) {
    case 'remove_session':
      return `${verb} — ${plural(request.params.sessionIds.length, 'session')}`;
    case 'revoke_tokens': {
      const appNames = request.params.appNames ?? [];
      const apps = appNames.length > 0 ? `apps: ${truncate(appNames.map((a) => safe(a, 80)).join(', '), 600)}` : 'every app';
      return `${verb} — ${apps}`;
    }
    case 'contain':
      return `${verb} — reset password: ${request.params.resetPassword ? 'yes' : 'no'}`;
    default:
      return verb;
  }
}

/** The sessions the action ends, with what the rules said about each, before any other evidence. */
function concernedSection(concerned: readonly ConcernedSessionView[], now: Date): { text: string; findingsShown: ReadonlySet<string> } {
  if (concerned.length === 0) return { text: '*Sessions this ends:* none was open at request time', findingsShown: new Set() };
  const title = `*${concerned.length === 1 ? 'Session' : 'Sessions'} this ends* (as seen at request time)`;
  const list = concernedText(concerned, now, CONCERNED_BUDGET - title.length - 1);
  return { text: `${title}\n${list.text}`, findingsShown: list.findingsShown };
}

function evidenceText(e: EvidenceSummary, alreadyShown: ReadonlySet<string>): string {
  const countries =
    e.countries.length > 0
      ? ` · from ${e.countries
          .slice(0, 10)
          .map((c) => safe(c, 60))
          .join(', ')}`
      : '';
  const lines = [`*Evidence at request time:* ${plural(e.sessions, 'session')} in ${plural(e.families, 'family', 'families')}${countries}`];
  const findings = e.findings.filter((f) => !alreadyShown.has(f));
  const heading = alreadyShown.size > 0 && findings.length > 0 ? ['_Other findings:_'] : [];
  lines.push(...heading);
  for (const f of findings.slice(0, FINDINGS_SHOWN)) lines.push(`• ${safe(f, 250)}`);
  const more = findings.length - FINDINGS_SHOWN;
  if (more > 0) lines.push(`• …and ${plural(more, 'more finding')}`);
  return truncate(lines.join('\n'), EVIDENCE_BUDGET);
}

function verificationLine(v: VerificationSummary): string {
  return v.ok ? `:white_check_mark: ${safe(v.summary, 400)}` : `:warning: ${safe(v.summary, 400)}`;
}

function outcomeText(outcome: StoredOutcome, verification: VerificationSummary | null): string | null {
  const lines = outcome.steps.map((s) => `${stepIcon(s.status)} *${stepLabel(s.step)}*: ${safe(s.summary, 300)}`);
  if (verification) lines.push(verificationLine(verification));
  if (outcome.recheck) lines.push(`*30-minute re-check:* ${verificationLine(outcome.recheck)}`);
  return lines.length > 0 ? truncate(lines.join('\n'), OUTCOME_BUDGET) : null;
}

function approversText(request: ActionRequest): string {
  return request.approvals.map((a) => mention(a.userId)).join(', ');
}

function statusContext(request: ActionRequest): string[] {
  const id = `Request \`${safe(request.id, 40)}\``;
  const out: string[] = [];
  switch (request.state) {
    case 'pending': {
      out.push(`${id} · expires ${slackDate(request.expiresAt)}`);
      const so = `${request.approvals.length} of ${plural(request.requiredApprovals, 'approval')}`;
      out.push(request.approvals.length > 0 ? `${so}: ${approversText(request)}` : so);
      break;
    }
    case 'denied': {
      const by = request.decidedBy;
      if (by && by === request.requestedBy) out.push(`${id} · withdrawn by ${mention(by)} (the requester) ${slackDate(request.updatedAt)}`);
      else out.push(`${id} · denied by ${by ? mention(by) : 'an approver'} ${slackDate(request.updatedAt)}`);
      break;
    }
    case 'expired':
      out.push(`${id} · expired ${slackDate(request.expiresAt)} without a decision`);
      break;
    default: {
      const last = request.approvals[request.approvals.length - 1];
      const when = last ? ` ${slackDate(last.at)}` : '';
      out.push(`${id} · approved by ${approversText(request) || 'nobody on record'}${when}`);
    }
  }
  return out;
}

function requestIdValue(request: ActionRequest): string {
  if (request.id.length === 0 || request.id.length > 2_000) throw new Error('request id cannot be a button value');
  return request.id;
}

function approvalButtons(request: ActionRequest): ActionsBlock {
  const value = requestIdValue(request);
  const name = request.target.name;
  const completes = request.approvals.length + 1 >= request.requiredApprovals;
  const verb = ACTION_LABELS[request.kind].verb;
  const approve = button({
    text: 'Approve',
    actionId: ACTIONS.approve,
    value,
    style: 'primary',
    accessibilityLabel: `Approve: ${verb} for ${name}`,
    confirm: {
      title: completes ? 'Approve and execute now?' : 'Approve?',
      text: completes
        ? `*${verb}* for ${safe(name, 100)} runs in Salesforce as soon as you confirm.`
        : `This is approval ${request.approvals.length + 1} of ${request.requiredApprovals}; *${verb}* runs after the last one.`,
      confirm: 'Approve',
      style: 'primary',
    },
  });
  const deny = button({ text: 'Deny', actionId: ACTIONS.deny, value, style: 'danger', accessibilityLabel: `Deny: ${verb} for ${name}` });
  // Before deciding, an approver may look at what the sessions the request concerns did (read-only).
  const investigate = button({
    text: 'What did it do?',
    actionId: INVESTIGATE_ACTIONS.request,
    value,
    accessibilityLabel: `What the sessions of ${name} did`,
  });
  return { type: 'actions', block_id: 'approval', elements: [approve, deny, investigate] };
}

function askAgainButton(request: ActionRequest): ActionsBlock {
  return { type: 'actions', block_id: 'ask_again', elements: [button({ text: 'Ask again', actionId: ACTIONS.askAgain, value: requestIdValue(request) })] };
}

/**
 * A finished request's headline follows what Salesforce shows: a step whose outcome could not be
 * proven (a lost reset answer), or a verification that found the action not in full effect, is
 * never hidden behind "done". Null when the plain state headline is the truth.
 */
function doneCaveat(request: ActionRequest, verification: VerificationSummary | null): { headline: string; notice: string } | null {
  if (request.state !== 'done') return null;
  if (outcomeOf(request.result).steps.some((s) => s.status === 'unknown')) {
    return { headline: 'Done — one step needs a check', notice: 'and done, but one step needs a check; the thread says which.' };
  }
  if (verification?.unverified) {
    return { headline: 'Done — not verified yet', notice: 'and run; Salesforce could not be read to verify it yet, the re-check tries again.' };
  }
  if (verification && !verification.ok) {
    return { headline: 'Done — not fully in effect', notice: 'and run, but Salesforce does not show it fully in effect; the message says what is left.' };
  }
  return null;
}

/** The request message in the security channel; buttons only while a decision is possible. */
export function requestMessage(request: ActionRequest, view: RequestMessageView): SlackMessage {
  const verb = ACTION_LABELS[request.kind].verb;
  const stored = outcomeOf(request.result);
  const caveat = doneCaveat(request, view.verification === undefined ? stored.verification : view.verification);
  const headline = `${caveat ? caveat.headline : HEADLINE[request.state]}: ${verb}`;
  const blocks: KnownBlock[] = [header(headline)];
  blocks.push(
    section(
      [`*Requested by* ${mention(request.requestedBy)}`, `*Target* ${targetText(request, view.permalinkBase)}`, `*Action* ${whatText(request)}`].join('\n'),
      'request',
    ),
  );
  const evidence = view.evidence ?? evidenceOf(request.evidence);
  // Only for kinds that end sessions; older evidence without the list keeps the summary alone.
  const concerned = evidence?.concerned && ACTION_KINDS_CATALOGUE[request.kind].endsSessions ? concernedSection(evidence.concerned, view.now) : null;
  if (concerned) blocks.push(section(concerned.text, 'concerned'));
  blocks.push(section(`*Why*\n${quote(request.reason, REASON_BUDGET) || '> (no reason given)'}`, 'reason'));
  if (evidence) blocks.push(section(evidenceText(evidence, concerned?.findingsShown ?? new Set()), 'evidence'));

  if (request.state === 'done' || request.state === 'failed') {
    const outcome = outcomeOf(request.result);
    const verification = view.verification === undefined ? outcome.verification : view.verification;
    const text = outcomeText(outcome, verification);
    if (text) blocks.push(section(`*Outcome*\n${text}`, 'outcome'));
    // Stated in Slack, outside the database: a chain later emptied or rewritten cannot verify against it.
    if (outcome.auditHead)
      blocks.push(
        context(
          [`Audit chain head after this request: \`${outcome.auditHead}\` (check with npm run audit:verify -- --expect-head <that value>)`],
          'audit_head',
        ),
      );
  }
  blocks.push(context(statusContext(request), 'status'));
  if (request.state === 'pending' && view.now.getTime() < request.expiresAt.getTime()) blocks.push(approvalButtons(request));
  if (request.state === 'expired') blocks.push(askAgainButton(request));

  const fallback = `${headline} for ${request.target.name} (${request.target.username}), requested by ${mention(request.requestedBy)}`;
  return { text: truncate(fallback, MAX_FALLBACK_TEXT), blocks };
}

/** One executed step, as a reply in the request's thread. */
export function stepReply(step: StepLine): SlackMessage {
  const line = `${stepIcon(step.status)} *${stepLabel(step.step)}* (${safe(step.status, 20)}): ${safe(step.summary, 1_000)}`;
  return { text: truncate(`${stepLabel(step.step)}: ${step.status}. ${step.summary}`, MAX_FALLBACK_TEXT), blocks: [section(line, 'step')] };
}

/** The delayed (30-minute) re-check, as a reply in the request's thread. */
export function verdictReply(verdict: { ok: boolean; summary: string; alerts: string[] }): SlackMessage {
  const blocks: KnownBlock[] = [section(`*30-minute re-check:* ${verificationLine(verdict)}`, 'verdict')];
  if (verdict.alerts.length > 0) {
    const lines = verdict.alerts.slice(0, ALERTS_SHOWN).map((a) => `:rotating_light: ${safe(a, 250)}`);
    const more = verdict.alerts.length - ALERTS_SHOWN;
    if (more > 0) lines.push(`…and ${formatCount(more)} more`);
    blocks.push(section(lines.join('\n'), 'alerts'));
  }
  const text = `30-minute re-check: ${verdict.ok ? 'OK' : 'problem'}. ${verdict.summary}`;
  return { text: truncate(text, MAX_FALLBACK_TEXT), blocks };
}

/** Tells the requester how their request ended (mentions them, so it reaches them in the thread). */
export function requesterNotice(request: ActionRequest): SlackMessage {
  const verb = ACTION_LABELS[request.kind].verb.toLowerCase();
  const target = `${safe(request.target.name, 120)} (${safe(request.target.username, 120)})`;
  const opening = `${mention(request.requestedBy)} your request \`${safe(request.id, 40)}\` to ${verb} for ${target}`;
  const by = approversText(request) || 'an approver';
  let rest: string;
  switch (request.state) {
    case 'done':
      // The same caveat as the message's headline, so the two never disagree.
      rest = `was approved by ${by} ${doneCaveat(request, outcomeOf(request.result).verification)?.notice ?? 'and done.'}`;
      break;
    case 'failed':
      rest = `was approved by ${by} but failed; the steps above say what did not work.`;
      break;
    case 'denied':
      rest = request.decidedBy === request.requestedBy ? 'was withdrawn.' : `was denied by ${request.decidedBy ? mention(request.decidedBy) : 'an approver'}.`;
      break;
    case 'expired':
      rest = 'expired without a decision; use Ask again on the request to post it again.';
      break;
    case 'pending':
      rest = `is waiting for ${request.requiredApprovals - request.approvals.length > 1 ? 'approvers' : 'an approver'}.`;
      break;
    default:
      rest = `was approved by ${by} and is running.`;
  }
  const sentence = `${opening} ${rest}`;
  return { text: truncate(sentence, MAX_FALLBACK_TEXT), blocks: [section(sentence, 'requester_notice')] };
}

const REFUSALS: Record<ClickRefusalReason, string> = {
  not_approver: 'Only Session Warden approvers can approve or deny requests.',
  requester: 'You asked for this, so someone else has to approve it (two-person rule).',
  target: 'This request is about your own Salesforce user, so someone else has to decide on it.',
  guest: 'Guests, bots and people outside this workspace cannot decide on requests.',
  expired: 'This request has expired; the requester can use Ask again to post it again.',
  already_decided: 'This request has already been decided; the message shows the outcome.',
  already_approved_by_you: 'You have already approved this request; it needs a different second approver.',
  access_unavailable: 'I could not check your access right now (Slack did not answer); nothing changed. Try again in a minute.',
  unknown_request: 'That request does not exist.',
};

/** Why a click on Approve/Deny did nothing; shown only to the person who clicked. */
export function clickRefusal(reason: ClickRefusalReason): SlackMessage {
  const sentence = REFUSALS[reason];
  return { text: sentence, blocks: [section(`:no_entry: ${sentence}`, 'click_refusal')] };
}

/** Ephemeral to the requester once the request is posted (or could not be). */
export function requestConfirmation(request: ActionRequest, permalink: string | null): SlackMessage {
  const id = `\`${safe(request.id, 40)}\``;
  const verb = ACTION_LABELS[request.kind].verb.toLowerCase();
  const target = safe(request.target.name, 120);
  let sentence: string;
  if (request.channelId && /^[CG][A-Z0-9]+$/.test(request.channelId)) {
    const link = permalink && /^https:\/\/[^\s|<>]+$/.test(permalink) ? `: <${permalink}|view it>` : '';
    sentence = `:outbox_tray: Request ${id} to ${verb} for ${target} posted for approval in <#${request.channelId}>${link}.`;
  } else {
    sentence = `:warning: Request ${id} to ${verb} for ${target} was recorded but could not be posted for approval; tell an approver.`;
  }
  return { text: truncate(sentence, MAX_FALLBACK_TEXT), blocks: [section(sentence, 'request_confirmation')] };
}
