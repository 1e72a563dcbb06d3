/**
 * "Was this you?": the bot asks the colleague an alert is about, in a Slack DM, and acts on the
 * answer. Shared by the store, the operation and the views.
 */

/** asked → answered | timed_out; unreachable when there was nobody to ask (nothing was sent). */
export type AskState = 'asked' | 'answered' | 'timed_out' | 'unreachable';
export const ASK_STATES: readonly AskState[] = ['asked', 'answered', 'timed_out', 'unreachable'];

export type AskAnswer = 'yes' | 'no';
export const ASK_ANSWERS: readonly AskAnswer[] = ['yes', 'no'];

/** Why nobody was asked: what Slack said about the Salesforce user's e-mail. */
export type Unreachable = 'no_email' | 'no_account' | 'deactivated' | 'guest' | 'bot';
export const UNREACHABLE_REASONS: readonly Unreachable[] = ['no_email', 'no_account', 'deactivated', 'guest', 'bot'];

export const UNREACHABLE_WORDS: Readonly<Record<Unreachable, string>> = {
  no_email: 'the Salesforce user has no e-mail address',
  no_account: 'no Slack account has that e-mail',
  deactivated: 'their Slack account is deactivated',
  guest: 'their Slack account is a guest account',
  bot: 'that e-mail belongs to a Slack bot',
};

export interface UserAsk {
  /** The alert (finding key) the ask is about; one ask per alert. */
  alertKey: string;
  groupKey: string;
  state: AskState;
  /** Slack user id of whoever pressed "Ask", or 'system' for an automatic ask. */
  askedBy: string;
  /** The Salesforce user's e-mail the Slack account was looked up by. */
  email: string;
  slackUserId: string | null;
  unreachable: Unreachable | null;
  /** IANA time zone from the colleague's Slack profile; null → UTC. */
  tz: string | null;
  askedAt: Date;
  /** When no answer escalates the alert; null when nobody was asked. */
  dueAt: Date | null;
  answer: AskAnswer | null;
  answeredAt: Date | null;
  /** What ending the sessions did after "No, not me", as a sentence. */
  outcome: string | null;
  dmChannel: string | null;
  dmTs: string | null;
}

/** Where the colleague is in Slack, or why they cannot be asked. */
export type Colleague = { kind: 'found'; slackUserId: string; tz: string | null } | { kind: 'unreachable'; reason: Unreachable };
