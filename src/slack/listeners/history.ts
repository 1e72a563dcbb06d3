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
  const users = await deps.activity.findUsers(selector);
  if (users.length > 1) return pickUserMessage(users, describeSelector(selector));
  const [user] = users;
  if (!user) return notFoundMessage(describeSelector(selector));
  const since = new Date(now.getTime() - days * 86_400_000);
  const events = await deps.activity.loginHistory(user.id, since, SUMMARY_ROWS);
  return loginHistoryMessage({ user, events, summary: summarizeLogins(events), days, limit: deps.loginHistoryLimit, now });
}
