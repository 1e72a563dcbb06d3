/**
 * "Was this you?": the DM to the colleague an alert is about (what was seen, in their own time
 * zone, with "Yes, it was me" / "No, not me"), how it reads once answered, and the lines the alert
 * in the security channel shows about the ask and an escalation. Pure: no I/O.
 */
import type { Button, KnownBlock } from '@slack/types';
import { UNREACHABLE_WORDS, type UserAsk } from '../../domain/ask';
import type { Finding, FindingPlace, SfUser } from '../../domain/types';
import { ASK_ACTIONS, encodeAskValue } from './action-ids';
import { actions, button, context, header, section } from './blocks';
import { MAX_FALLBACK_TEXT, type SlackMessage } from './message';
import { escapeMrkdwn, oneLine, plural, safe, slackDate, truncate } from './text';

/** A time as the colleague reads it: "14:02 on Tue 3 Jun" in their zone (UTC when Slack gave none or an unknown one). */
export function localTime(at: Date, tz: string | null): { text: string; zone: string } {
  const zone = tz && isKnownZone(tz) ? tz : 'UTC';
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return { text: `${part('hour')}:${part('minute')} on ${part('weekday')} ${part('day')} ${part('month')}`, zone };
}

function isKnownZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function where(place: FindingPlace): string {
  const label = place.label ? safe(place.label, 80) : place.countryIso ? safe(place.countryIso, 10) : 'an unknown place';
  return place.ip ? `${label} (IP ${safe(place.ip, 45)})` : label;
}

/** What the bot saw, in words for the colleague, times in their zone: "a login from Moscow, RU at 14:02 on Tue 3 Jun". */
export function whatWasSeen(finding: Finding, tz: string | null): string {
  const at = (d: Date): string => localTime(d, tz).text;
  const e = finding.evidence;
  switch (e?.kind) {
    case 'travel':
      return finding.rule === 'distant-places'
        ? `a login from ${where(e.to)} at ${at(e.to.at)}, while you were also signed in from ${where(e.from)} (since ${at(e.from.at)})`
        : `a login from ${where(e.to)} at ${at(e.to.at)}, soon after one from ${where(e.from)} at ${at(e.from.at)}`;
    case 'new-country':
      return `a login from ${where(e.login)} at ${at(e.login.at)}, a country your account has not logged in from before`;
    case 'failed-logins':
      return `${plural(e.failures, 'failed login')}, then a successful one from ${where(e.success)} at ${at(e.success.at)}`;
    case 'session-age':
      return `a session started at ${at(e.createdAt)} that is still open`;
    case 'grant-age':
      return `a connected app (${safe(e.appName, 120)}) authorised at ${at(e.createdAt)}`;
    case 'grant-new':
      return `a connected app (${safe(e.appName, 120)}) authorised for your account at ${at(e.createdAt)}`;
    case 'spray':
      return `a sign-in from ${where(e.place)} at ${at(e.lastAt)}, an address that had just failed to sign in as ${plural(e.people, 'other person', 'other people')}`;
    default:
      return safe(finding.message, 600);
  }
}

export interface AskDmInput {
  ask: UserAsk;
  finding: Finding;
  user: Pick<SfUser, 'username'>;
}

/** The DM: the question with its two buttons while it is open; the answer (no buttons) once settled. */
export function askDmMessage({ ask, finding, user }: AskDmInput): SlackMessage {
  const seen = whatWasSeen(finding, ask.tz);
  const zone = localTime(ask.askedAt, ask.tz).zone;
  const account = `your Salesforce account \`${safe(user.username, 120).replace(/`/g, "'")}\``;
  const question = `The security team's bot saw *${seen}* on ${account} (times in ${escapeMrkdwn(zone)}).`;
  const blocks: KnownBlock[] = [header('Was this you?'), section(truncate(question, 2_900), 'ask_seen')];
  let fallback: string;
  if (ask.state === 'asked') {
    const due = ask.dueAt ? localTime(ask.dueAt, ask.tz).text : null;
    blocks.push(context([`Only you can answer this. ${due ? `Without an answer by ${due} the security team is alerted.` : ''}`.trim()], 'ask_note'));
    blocks.push(actions(answerButtons(ask.alertKey), 'ask_actions'));
    fallback = `Was this you? ${oneLine(seen)}`;
  } else {
    const settled = settledText(ask);
    blocks.push(section(settled, 'ask_answer'));
    fallback = settled;
  }
  return { text: truncate(fallback, MAX_FALLBACK_TEXT), blocks };
}

function answerButtons(alertKey: string): Button[] {
  const value = encodeAskValue(alertKey);
  if (value === null) return [];
  return [
    button({ text: 'Yes, it was me', actionId: ASK_ACTIONS.yes, value, style: 'primary' }),
    button({
      text: 'No, not me',
      actionId: ASK_ACTIONS.no,
      value,
      style: 'danger',
      confirm: {
        title: 'End these sessions?',
        text: 'The sessions the security team saw end now (you may have to log in to Salesforce again) and the security team is alerted.',
        confirm: 'Not me: end them',
      },
    }),
  ];
}

function settledText(ask: UserAsk): string {
  if (ask.state === 'timed_out') return ':hourglass: No answer came in time, so the security team has been alerted. If it was you, tell them.';
  if (ask.answer === 'yes') return ':white_check_mark: You said *it was you*. Thank you — the security team can see your answer.';
  const outcome = ask.outcome ? ` Salesforce: ${safe(ask.outcome, 600)}` : '';
  return `:no_entry: You said *it was not you*. Those sessions were ended at once.${outcome} The security team has been alerted and will be in touch.`;
}

/** The alert's line about the ask: asked and waiting, the answer, the timeout, or why nobody was asked. */
export function alertAskText(ask: UserAsk): string {
  const who = ask.slackUserId ? `<@${ask.slackUserId}>` : 'the user';
  const by = ask.askedBy === 'system' ? 'asked automatically' : `asked by <@${ask.askedBy}>`;
  switch (ask.state) {
    case 'asked':
      return `:speech_balloon: ${by} ${slackDate(ask.askedAt)}: ${who} was sent "Was this you?" — no answer yet${ask.dueAt ? `; escalates ${slackDate(ask.dueAt)}` : ''}.`;
    case 'answered':
      if (ask.answer === 'yes') return `:white_check_mark: ${who} answered *Yes, it was me* ${ask.answeredAt ? slackDate(ask.answeredAt) : ''} (${by}).`;
      return `:no_entry: ${who} answered *No, not me* ${ask.answeredAt ? slackDate(ask.answeredAt) : ''} and their sessions were ended at once${ask.outcome ? ` (Salesforce: ${safe(ask.outcome, 600)})` : ''}.`;
    case 'timed_out':
      return `:hourglass: ${who} did not answer "Was this you?" ${ask.dueAt ? `by ${slackDate(ask.dueAt)}` : 'in time'} (${by}).`;
    case 'unreachable':
      return `:warning: Nobody was asked: ${UNREACHABLE_WORDS[ask.unreachable ?? 'no_account']}${ask.email ? ` (${safe(ask.email, 120)})` : ''}.`;
  }
}

/** Mentions of users (<@U…>) and user groups (<!subteam^S…>) survive; everything else is escaped. */
const KEPT_MENTIONS = /(<@[UW][A-Z0-9]{2,}>|<!subteam\^S[A-Z0-9]{2,}>)/;
const IS_KEPT_MENTION = /^(<@[UW][A-Z0-9]{2,}>|<!subteam\^S[A-Z0-9]{2,}>)$/;

/** The alert's escalation line: why, and who is called to look (the approvers, mentioned). */
export function escalationText(reason: string): string {
  const kept = oneLine(reason)
    .split(KEPT_MENTIONS)
    .map((part) => (IS_KEPT_MENTION.test(part) ? part : escapeMrkdwn(part)))
    .join('');
  return truncate(`:rotating_light: *Escalated:* ${kept}`, 900);
}

/** "Ask <name>": DMs the colleague "Was this you?"; null when the key cannot travel in a button value. */
export function askButton(finding: Finding, name: string): Button | null {
  const value = encodeAskValue(finding.key);
  if (value === null) return null;
  return button({
    text: `Ask ${oneLine(name)}`,
    actionId: ASK_ACTIONS.ask,
    value,
    accessibilityLabel: `Ask ${oneLine(name)} in a direct message whether this was them`,
  });
}

/** A one-line answer to the person who clicked (only they see it). */
export function askAck(sentence: string): SlackMessage {
  return { text: truncate(oneLine(sentence), MAX_FALLBACK_TEXT), blocks: [section(truncate(sentence, 2_900), 'ask_ack')] };
}
