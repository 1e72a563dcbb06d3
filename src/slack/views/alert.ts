/**
 * The monitor's alert in the security channel: what a rule found about one user, the evidence a
 * person needs to decide, the sessions concerned, what to do, and the buttons that enter the
 * approval flow. The same message is edited in place as the finding changes and once it is
 * resolved (then without buttons). Also the one-line notices about the monitor's API budget.
 * Pure: no I/O, no Salesforce code.
 */
import type { ApiUsage, BudgetState } from '../../domain/budget';
import type { Button, KnownBlock } from '@slack/types';
import { formatDuration, formatKm } from '../../domain/format';
import { placeLabel } from '../../domain/geo';
import type { UserAsk } from '../../domain/ask';
import type { Finding, FindingEvidence, FindingPlace, FindingSignal, Session, Severity, SfUser } from '../../domain/types';
import type { RuleMeta } from '../../rules/rule';
import {
  ACTIONS,
  ALERT_ACTIONS,
  INVESTIGATE_ACTIONS,
  MAX_ALERT_SESSION_IDS,
  MAX_BUTTON_VALUE_LENGTH,
  encodeAlertRemoveValue,
  encodeMarkExpectedValue,
  SUPPRESSION_ACTIONS,
  type AlertRemoveValue,
} from './action-ids';
import { actions, button, context, header, section } from './blocks';
import { alertAskText, askButton, escalationText } from './ask-user';
import { concernedText, type ConcernedSessionView } from './concerned-sessions';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { escapeMrkdwn, formatCount, oneLine, plural, safe, slackDate, truncate } from './text';

/** 'suppressed': someone marked it expected (the resolution sentence says who, until when and why). */
export type AlertMessageState = 'open' | 'resolved' | 'suppressed';

export interface AlertMessageInput {
  finding: Finding;
  /** The rule's title (the headline) and runbook (what to do). */
  rule: Pick<RuleMeta, 'title' | 'runbook'>;
  /** The Salesforce user the finding is about (finding.userId). */
  user: Pick<SfUser, 'name' | 'username' | 'email' | 'profileName'>;
  /**
   * The sessions the alert is about: the family roots named by finding.sessionIds that are still
   * known. Listed, and what "Remove these sessions" ends; empty → no such button.
   */
  sessions: readonly Session[];
  /** Ages are counted to this instant, and the message says it is current as of it. */
  now: Date;
  state: AlertMessageState;
  /**
   * Resolved only: how it ended, e.g. "ended by request R7K2 approved by <@U123ABC>" or "the
   * sessions have ended". Shown escaped except for Slack user mentions (<@U…>).
   */
  resolution?: string;
  /**
   * "Was this you?" (views/ask-user.ts): the ask about this alert, shown as a line; null → nobody
   * asked yet, so an open alert offers "Ask <name>"; absent → asking is not offered.
   */
  ask?: UserAsk | null;
  /** Why the alert was escalated (an unanswered or denied ask), mentions kept; raises the shown severity. */
  escalation?: string | null;
}

/** An escalated alert is shown one step more severe (high stays high, marked escalated). */
const RAISED: Record<Severity, Severity> = { low: 'medium', medium: 'high', high: 'high' };

const SEVERITY_WORDS: Record<Severity, string> = {
  high: ':red_circle: High',
  medium: ':large_orange_circle: Medium',
  low: ':large_yellow_circle: Low',
};

// Per-section budgets keep the message far below Slack's ~12,000-character block text cap.
const SUMMARY_BUDGET = 1_000;
const EVIDENCE_BUDGET = 1_500;
const SESSIONS_BUDGET = 2_900;
const RUNBOOK_BUDGET = 600;
const RESOLUTION_BUDGET = 600;
const KNOWN_COUNTRIES_SHOWN = 15;
const REASONS_SHOWN = 5;

/** Slack user mentions are the only markup a resolution sentence keeps. */
const MENTIONS = /(<@[UW][A-Z0-9]{2,}>)/;
const IS_MENTION = /^<@[UW][A-Z0-9]{2,}>$/;

/** Inline code for an IP or id: a backtick would end the span early, so it becomes a quote. */
function code(text: string, max = 45): string {
  return `\`${safe(text.replace(/`/g, "'"), max)}\``;
}

function placeText(place: FindingPlace): string {
  const where = place.label ? safe(place.label, 80) : place.countryIso ? safe(place.countryIso, 10) : 'an unknown place';
  const ip = place.ip ? ` · ${code(place.ip)}` : '';
  return `${where}${ip} · ${slackDate(place.at)}`;
}

function speedText(speedKmh: number | null): string | null {
  if (speedKmh === null || Number.isNaN(speedKmh)) return null;
  if (!Number.isFinite(speedKmh)) return 'both at the same instant';
  return `implied speed *${formatCount(Math.round(speedKmh))} km/h*`;
}

function evidenceText(evidence: FindingEvidence): string {
  switch (evidence.kind) {
    case 'travel': {
      const distance = evidence.km === null ? 'distance unknown (no coordinates; the countries differ)' : formatKm(evidence.km);
      const speed = speedText(evidence.speedKmh);
      return [
        `*From* ${placeText(evidence.from)}`,
        `*To* ${placeText(evidence.to)}`,
        `*Distance* ${distance} in ${formatDuration(evidence.gapMs)}${speed ? ` → ${speed}` : ''}`,
      ].join('\n');
    }
    case 'session-age': {
      const age = `*Age* ${formatDuration(evidence.ageMs)} (created ${slackDate(evidence.createdAt)})`;
      const policy =
        evidence.timeoutMinutes === null
          ? `*Policy* integration sessions are rotated within ${plural(evidence.maxAgeDays, 'day')}`
          : evidence.workdayHours !== undefined
            ? `*Policy* ends ${formatDuration(evidence.timeoutMinutes * 60_000)} after the last activity; a working day is ${plural(evidence.workdayHours, 'hour')}`
            : `*Policy* ${formatDuration(evidence.timeoutMinutes * 60_000)} timeout; never more than ${plural(evidence.maxAgeDays, 'day')}`;
      const used = evidence.lastActivityAt ? `\n*Last activity* ${slackDate(evidence.lastActivityAt)}` : '';
      return `${age}${used}\n${policy}`;
    }
    case 'grant-age':
      return [
        `*Connected app* ${safe(evidence.appName, 120) || '(unnamed)'}`,
        `*Token age* ${plural(evidence.wholeDays, 'day')} (granted ${slackDate(evidence.createdAt)})`,
        `*Policy* rotated within ${plural(evidence.maxAgeDays, 'day')}`,
      ].join('\n');
    case 'grant-new':
      return [
        `*Connected app* ${safe(evidence.appName, 120) || '(unnamed)'}`,
        `*Authorised* ${slackDate(evidence.createdAt)}; used ${plural(evidence.useCount, 'time')}${evidence.lastUsedAt ? `, last ${slackDate(evidence.lastUsedAt)}` : ''}`,
        `*Before* no earlier grant of this app and no login through it in the login window`,
      ].join('\n');
    case 'failed-logins': {
      const reasons = evidence.reasons.slice(0, REASONS_SHOWN).map((r) => safe(r, 80));
      const more = evidence.reasons.length > reasons.length ? `, +${formatCount(evidence.reasons.length - reasons.length)} more` : '';
      const lines = [
        `*${plural(evidence.failures, 'failed login')}* within ${formatDuration(evidence.spanMs)} (window: ${plural(evidence.windowMinutes, 'minute')})`,
      ];
      if (reasons.length > 0) lines.push(`*Reasons* ${reasons.join(', ')}${more}`);
      lines.push(`*Then a success* ${placeText(evidence.success)}`);
      return lines.join('\n');
    }
    case 'new-country': {
      const known = evidence.knownCountries.slice(0, KNOWN_COUNTRIES_SHOWN).map((c) => safe(c, 10));
      const more = evidence.knownCountries.length > known.length ? `, +${formatCount(evidence.knownCountries.length - known.length)} more` : '';
      return [
        `*New country* ${safe(evidence.countryIso, 10)} — ${placeText(evidence.login)}`,
        `*Seen before* ${known.length > 0 ? `${known.join(', ')}${more}` : 'none on record'}`,
      ].join('\n');
    }
    case 'spray':
      return [
        `*Address* ${placeText(evidence.place)}`,
        `*Tried* ${plural(evidence.people, 'person', 'people')}, ${plural(evidence.failures, 'failed login')} in ${formatDuration(evidence.spanMs)}`,
        `*Then signed in from it* ${evidence.victims.length === 0 ? 'nobody (yet)' : plural(evidence.victims.length, 'person', 'people')}`,
      ].join('\n');
  }
}

function userText(user: AlertMessageInput['user']): string {
  const parts = [`*${safe(user.name || user.username, 120)}*`, safe(user.username, 120)];
  if (user.email && user.email.trim().toLowerCase() !== user.username.trim().toLowerCase()) parts.push(safe(user.email, 120));
  if (user.profileName) parts.push(safe(user.profileName, 80));
  return `*User* ${parts.join(' · ')}`;
}

function uniqueById(sessions: readonly Session[]): Session[] {
  const seen = new Set<string>();
  return sessions.filter((s) => (seen.has(s.id) ? false : (seen.add(s.id), true)));
}

function concernedOf(session: Session): ConcernedSessionView {
  return {
    id: session.id,
    sessionType: session.sessionType,
    loginType: session.loginType ?? session.login?.loginType ?? null,
    ip: session.sourceIp?.trim() || null,
    place: placeLabel(session.place),
    loginAt: session.login?.loginTime ?? session.createdAt,
    createdAt: session.createdAt,
    children: 0,
    // The finding is already the message's subject; repeating it under each session adds nothing.
    findings: [],
  };
}

function sessionsText(sessions: readonly Session[], now: Date): string {
  const title = `*${sessions.length === 1 ? 'Session' : `Sessions (${formatCount(sessions.length)})`} concerned*`;
  return `${title}\n${concernedText(sessions.map(concernedOf), now, SESSIONS_BUDGET - title.length - 1).text}`;
}

/** Escaped, single line; only <@U…> mentions survive, so "<!channel>" or a link in it cannot ping or mislead. */
function resolutionText(sentence: string | undefined, state: AlertMessageState = 'resolved'): string {
  const text = oneLine(sentence ?? '');
  const label = state === 'suppressed' ? ':no_bell: *Marked expected*' : ':white_check_mark: *Resolved*';
  if (!text) return label;
  const kept = text
    .split(MENTIONS)
    .map((part) => (IS_MENTION.test(part) ? part : escapeMrkdwn(part)))
    .join('');
  return truncate(`${label.replace(/\*$/, ':*')} ${kept}`, RESOLUTION_BUDGET);
}

/**
 * The Remove button's value: the session ids when they fit in Slack's 2,000-character value,
 * otherwise the alert's finding key (the listener then reads the sessions from the stored alert),
 * and null when even the key would not fit — then there is no Remove button and the message says why.
 */
function removeValue(finding: Finding, sessionIds: readonly string[]): AlertRemoveValue | null {
  const byIds: AlertRemoveValue = { u: finding.userId, ss: [...sessionIds] };
  if (sessionIds.length <= MAX_ALERT_SESSION_IDS && JSON.stringify(byIds).length <= MAX_BUTTON_VALUE_LENGTH) return byIds;
  const byKey: AlertRemoveValue = { u: finding.userId, k: finding.key };
  return JSON.stringify(byKey).length <= MAX_BUTTON_VALUE_LENGTH ? byKey : null;
}

export interface AlertButtons {
  buttons: Button[];
  /** A sentence for the context line when the Remove button works differently from usual. */
  note: string | null;
}

/** The alert's buttons; also under each of a digest's worst alerts (views/digest.ts), so they act the same there. */
export function alertButtons(input: Pick<AlertMessageInput, 'finding' | 'user'>, sessions: readonly Session[]): AlertButtons {
  const { finding, user } = input;
  const name = user.name || user.username;
  const buttons: Button[] = [];
  let note: string | null = null;
  const remove =
    sessions.length > 0
      ? removeValue(
          finding,
          sessions.map((s) => s.id),
        )
      : null;
  if (remove) {
    const count = plural(sessions.length, 'session');
    buttons.push(
      button({
        text: 'Remove these sessions',
        actionId: ALERT_ACTIONS.removeSessions,
        value: encodeAlertRemoveValue(remove),
        style: 'danger',
        accessibilityLabel: `Remove the ${count} of ${name} named in this alert`,
        confirm: {
          title: 'Remove these sessions?',
          text: `A second admin must approve ending the ${count} of ${safe(name, 100)} named in this alert.`,
          confirm: 'Request removal',
        },
      }),
    );
    if ('k' in remove) note = `_Remove these sessions_ covers all ${count} of this alert, including those not listed.`;
  } else if (sessions.length > 0) {
    note = `Too many sessions for one button: use _Show sessions_ to remove them.`;
  }
  // The ellipsis promises a dialog: Contain opens a modal to choose the containment steps.
  buttons.push(
    button({ text: 'Contain user…', actionId: ACTIONS.contain, value: { u: finding.userId }, style: 'danger', accessibilityLabel: `Contain ${name}` }),
    button({ text: 'Login history', actionId: ACTIONS.history, value: { u: finding.userId }, accessibilityLabel: `Login history of ${name}` }),
    button({ text: 'Show sessions', actionId: ACTIONS.pickUser, value: { u: finding.userId }, accessibilityLabel: `Show the sessions of ${name}` }),
    // Read-only: what the user's live sessions changed in Setup, their MFA prompts and API calls.
    button({
      text: 'What did they do?',
      actionId: INVESTIGATE_ACTIONS.session,
      value: { u: finding.userId },
      accessibilityLabel: `What the sessions of ${name} did`,
    }),
  );
  return { buttons, note };
}

/** "Mark expected…": opens the suppression modal for this alert's rule and user. */
function markExpectedButton({ finding, user }: Pick<AlertMessageInput, 'finding' | 'user'>): Button {
  return button({
    text: 'Mark expected…',
    actionId: SUPPRESSION_ACTIONS.markExpected,
    value: encodeMarkExpectedValue({ u: finding.userId, g: finding.groupKey }),
    accessibilityLabel: `Mark this alert about ${user.name || user.username} as expected for a while`,
  });
}

const SIGNALS_SHOWN = 6;
const SIGNALS_BUDGET = 1_500;

/** The other findings of the same incident, one line each: what else was seen about this person at the same time. */
function signalsText(signals: readonly FindingSignal[]): string {
  const lines = signals.slice(0, SIGNALS_SHOWN).map((s) => `• ${SEVERITY_WORDS[s.severity]} · ${code(s.rule, 40)} ${safe(s.message, 300)}`);
  if (signals.length > SIGNALS_SHOWN) lines.push(`• +${formatCount(signals.length - SIGNALS_SHOWN)} more`);
  return truncate(`*Also seen at the same time*\n${lines.join('\n')}`, SIGNALS_BUDGET);
}

/** The alert about one finding: open (with buttons) or resolved (same evidence, a Resolved line, no buttons). */
export function alertMessage(input: AlertMessageInput): SlackMessage {
  const { finding, rule, user, now, state } = input;
  const sessions = uniqueById(input.sessions);
  const blocks: KnownBlock[] = [header(oneLine(rule.title) || finding.rule)];
  if (state !== 'open') blocks.push(section(resolutionText(input.resolution, state), 'alert_resolved'));
  const shownSeverity = input.escalation ? RAISED[finding.severity] : finding.severity;
  if (input.escalation) blocks.push(section(escalationText(input.escalation), 'alert_escalation'));
  blocks.push(section(truncate(`${SEVERITY_WORDS[shownSeverity]} · ${safe(finding.message, 800)}`, SUMMARY_BUDGET), 'alert_summary'));
  blocks.push(section(userText(user), 'alert_user'));
  if (finding.signals && finding.signals.length > 0) blocks.push(section(signalsText(finding.signals), 'alert_signals'));
  if (input.ask) blocks.push(section(alertAskText(input.ask), 'alert_ask'));
  if (finding.evidence) blocks.push(section(truncate(evidenceText(finding.evidence), EVIDENCE_BUDGET), 'alert_evidence'));
  if (sessions.length > 0) blocks.push(section(sessionsText(sessions, now), 'alert_sessions'));
  // Marking expected is the alternative to the runbook, so its button sits beside it (open alerts only).
  blocks.push(section(`*What to do* ${safe(rule.runbook, RUNBOOK_BUDGET)}`, 'alert_runbook', state === 'open' ? markExpectedButton(input) : undefined));

  const meta = [`As of ${slackDate(now)} · rule ${code(finding.rule, 60)}`];
  if (state === 'open') {
    const { buttons, note } = alertButtons(input, sessions);
    const ask = input.ask === null ? askButton(finding, user.name || user.username) : null;
    if (ask) buttons.push(ask);
    if (note) meta.push(note);
    blocks.push(context(meta, 'alert_meta'));
    blocks.push(actions(buttons, 'alert_actions'));
  } else {
    blocks.push(context(meta, 'alert_meta'));
  }

  const severity = shownSeverity.charAt(0).toUpperCase() + shownSeverity.slice(1);
  const who = `${user.name || user.username} (${user.username})`;
  const opening = state === 'resolved' ? 'Resolved' : state === 'suppressed' ? 'Marked expected' : `${input.escalation ? 'Escalated ' : ''}${severity} alert`;
  const fallback = `${opening}: ${safe(rule.title, 200)} — ${safe(who, 300)}: ${safe(finding.message, 1_000)}`;
  return { text: truncate(fallback, MAX_FALLBACK_TEXT), blocks };
}

function usageText({ used, limit }: ApiUsage): string {
  if (!Number.isFinite(used) || !Number.isFinite(limit) || limit <= 0 || used < 0) return 'the daily API allowance is unknown';
  const left = Math.max(0, limit - used);
  // Floor, so "0 % left" is never shown while calls remain and "20 % left" never hides 19.6.
  const percent = Math.floor((left / limit) * 100);
  return `${formatCount(used)} of ${formatCount(limit)} daily API calls used, ${percent} % left`;
}

const BUDGET_SENTENCES: Record<BudgetState, (usage: string) => string> = {
  stretched: (u) => `:hourglass_flowing_sand: The org's Salesforce API allowance is running low (${u}): the alert monitor now polls less often.`,
  paused: (u) =>
    `:double_vertical_bar: The org's Salesforce API allowance is nearly spent (${u}): the alert monitor has paused; no new alerts until it resumes.`,
  normal: (u) => `:arrow_forward: The org's Salesforce API allowance has recovered (${u}): the alert monitor polls at its usual pace again.`,
};

/** The one-line channel notice when the monitor slows down, pauses, or resumes because of the API budget. */
export function budgetNotice(state: BudgetState, usage: ApiUsage): SlackMessage {
  const sentence = BUDGET_SENTENCES[state](usageText(usage));
  return { text: truncate(sentence, MAX_FALLBACK_TEXT), blocks: [section(sentence, 'monitor_budget')] };
}
