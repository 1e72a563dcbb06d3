import type { UserSelector } from '../../domain/types';
import { summarizeLogins } from '../../rules/assess';
import type { SlackDeps } from '../deps';
import { loginHistoryMessage } from '../views/history';
import type { SlackMessage } from '../views/message';
import { notFoundMessage, pickUserMessage } from '../views';
import { describeSelector } from './shared';

/** Salesforce returns up to 2,000 rows per call, so the summary covers the whole window for the price of one request. */
const SUMMARY_ROWS = 2000;

export async function historyAnswer(deps: SlackDeps, selector: UserSelector, days: number): Promise<SlackMessage> {
  const now = deps.now();
  const since = new Date(now.getTime() - days * 86_400_000);
  // One round trip: the user lookup and the logins travel together.
  const { users, events: all } = await deps.activity.loginHistory(selector, since, SUMMARY_ROWS);
  if (users.length > 1) return pickUserMessage(users, describeSelector(selector));
  const [user] = users;
  if (!user) return notFoundMessage(describeSelector(selector));
  const events = all.filter((e) => e.userId === user.id);
  return loginHistoryMessage({ user, events, summary: summarizeLogins(events), days, limit: deps.loginHistoryLimit, now });
}
