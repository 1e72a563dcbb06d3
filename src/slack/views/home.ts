/**
 * The App Home tab. For admins and approvers: the monitor's state, open alerts worst first,
 * pending approval requests with their age, and active suppressions. For everyone else one
 * sentence on who may use the bot. Pure: no I/O. Slack allows 100 blocks in a Home tab; each list
 * is capped so the tab stays well below that.
 */
import type { KnownBlock } from '@slack/types';
import { formatDuration } from '../../domain/format';
import type { Severity } from '../../domain/types';
import type { HomeSnapshot } from '../../operations/home';
import { ACTION_LABELS } from './action-labels';
import { context, divider, header, section } from './blocks';
import { homeOrgBlocks } from './org';
import { formatCount, oneLine, plural, safe, slackDate, truncate } from './text';

/** A Home tab as views.publish takes it. */
export interface HomeView {
  type: 'home';
  blocks: KnownBlock[];
}

/** Open alerts listed on the tab, worst first. */
export const HOME_ALERTS_SHOWN = 15;
const REQUESTS_SHOWN = 15;
const SUPPRESSIONS_SHOWN = 15;

const SEVERITY_MARKS: Readonly<Record<Severity, string>> = { high: ':red_circle:', medium: ':large_orange_circle:', low: ':large_yellow_circle:' };

export const OUTSIDER_SENTENCE =
  'Session Warden is for the Salesforce security team: only the people listed as its admins or approvers can use it. Ask your security team if you need access.';

const BUDGET_WORDS: Readonly<Record<HomeSnapshot['monitor']['budget'], string>> = {
  normal: 'normal',
  stretched: 'running low: polling 4× less often',
  paused: 'nearly spent: polling paused',
};

function monitorText(m: HomeSnapshot['monitor'], now: Date): string {
  const role =
    m.role === 'off' ? 'off (MONITOR_INTERVAL_SECONDS is 0)' : m.role === 'leader' ? 'polling (this replica)' : 'standing by (another replica polls)';
  // Off and never polled: there is nothing more to say.
  if (m.role === 'off' && !m.lastPollAt) return `*Alert monitor* ${role}`;
  const last = m.lastPollAt ? `${slackDate(m.lastPollAt)} (${formatDuration(now.getTime() - m.lastPollAt.getTime())} ago)` : 'not yet';
  const lines = [
    `*Alert monitor* ${role}`,
    `*Last poll* ${last} · *Salesforce API calls today* ${formatCount(m.callsToday)} · *API budget* ${BUDGET_WORDS[m.budget]}`,
  ];
  if (m.lastError) lines.push(`:warning: *Last poll failed* ${safe(m.lastError, 300)}`);
  return lines.join('\n');
}

function alertLines(home: HomeSnapshot): KnownBlock[] {
  const count = home.openAlertsCapped ? `at least ${formatCount(home.openAlertCount)}` : formatCount(home.openAlertCount);
  const blocks: KnownBlock[] = [section(`*Open alerts* (${count}), worst first`, 'home_alerts_title')];
  if (home.openAlerts.length === 0) blocks.push(section('_No open alerts._', 'home_alerts_none'));
  home.openAlerts.slice(0, HOME_ALERTS_SHOWN).forEach((a, i) => {
    const who = `*${safe(a.user.name || a.user.username, 100)}* (${safe(a.user.username, 100)})`;
    const text = `${SEVERITY_MARKS[a.finding.severity]} *${safe(oneLine(a.rule.title), 100)}* — ${who} · since ${slackDate(a.firstSeenAt)}\n${safe(a.finding.message, 300)}`;
    blocks.push(section(truncate(text, 600), `home_alert_${i + 1}`));
  });
  const more = home.openAlertCount - Math.min(home.openAlerts.length, HOME_ALERTS_SHOWN);
  if (more > 0)
    blocks.push(context([`${home.openAlertsCapped ? 'At least ' : ''}${plural(more, 'more open alert')} in the security channel.`], 'home_alerts_more'));
  return blocks;
}

function requestLines(home: HomeSnapshot): KnownBlock[] {
  const blocks: KnownBlock[] = [section(`*Pending approval requests* (${formatCount(home.pendingRequests.length)}), oldest first`, 'home_requests_title')];
  if (home.pendingRequests.length === 0) blocks.push(section('_Nothing waits for approval._', 'home_requests_none'));
  home.pendingRequests.slice(0, REQUESTS_SHOWN).forEach(({ request, ageMs }, i) => {
    const label = ACTION_LABELS[request.kind];
    const approvals = request.requiredApprovals > 1 ? ` · ${request.approvals.length} of ${request.requiredApprovals} approvals` : '';
    const text = [
      `*${safe(label.title, 60)}* — *${safe(request.target.name || request.target.username, 100)}* (${safe(request.target.username, 100)}) · \`${request.id}\``,
      `asked by <@${request.requestedBy}> · waiting *${formatDuration(ageMs)}* · expires ${slackDate(request.expiresAt)}${approvals}`,
    ].join('\n');
    blocks.push(section(truncate(text, 600), `home_request_${i + 1}`));
  });
  const more = home.pendingRequests.length - REQUESTS_SHOWN;
  if (more > 0) blocks.push(context([`${plural(more, 'more pending request')} in the security channel.`], 'home_requests_more'));
  return blocks;
}

function suppressionLines(home: HomeSnapshot): KnownBlock[] {
  const blocks: KnownBlock[] = [section(`*Active suppressions* (${formatCount(home.suppressions.length)})`, 'home_suppressions_title')];
  if (home.suppressions.length === 0) blocks.push(section('_No findings are marked expected._', 'home_suppressions_none'));
  home.suppressions.slice(0, SUPPRESSIONS_SHOWN).forEach((s, i) => {
    const who = home.userNames.get(s.userId) ?? s.userId;
    const scope = s.scope.kind === 'network' ? ` from \`${safe(s.scope.cidr, 60)}\`` : s.scope.kind === 'app' ? ` for ${safe(s.scope.app, 80)}` : '';
    const text = `*${safe(s.rule, 60)}* · *${safe(who, 100)}*${scope} · until ${slackDate(s.expiresAt)} · by <@${s.createdBy}>\n_${safe(s.reason, 300)}_`;
    blocks.push(section(truncate(text, 600), `home_suppression_${i + 1}`));
  });
  const more = home.suppressions.length - SUPPRESSIONS_SHOWN;
  if (more > 0) blocks.push(context([`${plural(more, 'more active suppression')}.`], 'home_suppressions_more'));
  return blocks;
}

/** The tab for an admin or approver. */
export function homeView(home: HomeSnapshot): HomeView {
  return {
    type: 'home',
    blocks: [
      header('Session Warden'),
      section(monitorText(home.monitor, home.now), 'home_monitor'),
      divider(),
      // The org as Session Management shows it, from the monitor's copy only (never a Salesforce call).
      ...(home.org !== undefined ? [...homeOrgBlocks(home.org), divider()] : []),
      ...alertLines(home),
      divider(),
      ...requestLines(home),
      divider(),
      ...suppressionLines(home),
      context([`As of ${slackDate(home.now)} · updated when alerts or requests change`], 'home_meta'),
    ],
  };
}

/** The tab for anyone else: who may use the bot, and nothing about alerts or requests. */
export function outsiderHomeView(): HomeView {
  return { type: 'home', blocks: [section(OUTSIDER_SENTENCE, 'home_outsider')] };
}

/** When Slack could not say who is looking (an outage): no refusal, no data, just "try again". */
export function uncheckedHomeView(reason: string): HomeView {
  return {
    type: 'home',
    blocks: [section(`I could not check who you are right now (${safe(reason, 200)}). Open this tab again in a minute.`, 'home_unchecked')],
  };
}
