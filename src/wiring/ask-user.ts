import type { WebClient } from '@slack/web-api';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { AskUser } from '../operations/ask-user';
import type { ExecutorPort } from '../requests/ports';
import type { OutboxAlertNotifier } from '../slack/alert-notifier';
import type { OutboxAskNotifier } from '../slack/ask-notifier';
import { SlackColleagueDirectory } from '../slack/colleague-directory';
import { groupHasMap } from '../slack/map/travel-places';
import type { AskMessages, RenderedAsk } from '../slack/outbox';
import { askDmMessage } from '../slack/views/ask-user';
import { AlertEscalations, AsksStore, type AuditStore, type Database } from '../store';
import type { AlertParts } from './monitor';

/** How a "was this you?" DM looks when the outbox delivers it: rendered from the ask and its alert then. */
export function buildAskMessages(database: Database, parts: Pick<AlertParts, 'alerts' | 'mirror'>): AskMessages {
  const asks = new AsksStore(database);
  return {
    async render(alertKey): Promise<RenderedAsk | null> {
      const ask = await asks.get(alertKey);
      const alert = await parts.alerts.get(alertKey);
      if (!ask?.slackUserId || !alert) return null;
      const [user] = await parts.mirror.usersByIds([alert.userId]);
      const message = askDmMessage({ ask, finding: alert.finding, user: { username: user?.username ?? ask.email } });
      return { message, slackUserId: ask.slackUserId, dmChannel: ask.dmChannel, dmTs: ask.dmTs };
    },
    async posted(alertKey, channelId, ts) {
      await asks.setMessage(alertKey, channelId, ts);
    },
  };
}

export interface AskUserParts {
  ops: AskUser;
  /** The monitor's hook for every newly claimed alert: asks automatically for the rules in ASK_USER_RULES. */
  autoAsk: (alertKey: string) => Promise<void>;
  /** The monitor's hook for a held medium alert: ask its person first, whatever ASK_USER_RULES says. */
  askFirst: (alertKey: string) => Promise<void>;
}

/** "Was this you?": the operation over the stores, Slack's directory, the outbox and the executor. */
export function buildAskUser(
  config: Pick<Config, 'approvers' | 'askUserRules' | 'askUserTimeoutMinutes'>,
  deps: {
    database: Database;
    parts: Pick<AlertParts, 'alerts' | 'mirror'>;
    audit: AuditStore;
    executor: ExecutorPort;
    client: WebClient;
    askNotifier: OutboxAskNotifier;
    alertNotifier: OutboxAlertNotifier;
    logger: Logger;
    now: () => Date;
  },
): AskUserParts {
  const ops = new AskUser({
    asks: new AsksStore(deps.database),
    alerts: deps.parts.alerts,
    escalations: new AlertEscalations(deps.database),
    mirror: deps.parts.mirror,
    directory: new SlackColleagueDirectory(deps.client),
    notices: {
      askPosted: (key) => deps.askNotifier.askPosted(key),
      askUpdated: (key) => deps.askNotifier.askUpdated(key),
      alertUpdated: (key, group) => deps.alertNotifier.alertUpdated(key, group),
      alertReleased: async (key, group) => {
        // Its first message (an update of an alert with none posts it), then, as for any new alert, the map in its thread.
        await deps.alertNotifier.alertUpdated(key, group);
        if (groupHasMap(group)) await deps.alertNotifier.alertImage(key, group);
      },
    },
    audit: deps.audit,
    executor: deps.executor,
    approvers: config.approvers,
    timeoutMinutes: config.askUserTimeoutMinutes,
    now: deps.now,
  });
  const rules = new Set(config.askUserRules);
  const log = deps.logger.child({ component: 'ask-user' });
  const autoAsk = async (alertKey: string): Promise<void> => {
    // Finding keys start with their rule id; a rule not listed is never asked about automatically.
    if (!rules.has(alertKey.split(':')[0] ?? '')) return;
    try {
      await ops.ask(alertKey, 'system');
    } catch (err) {
      // Slack failing must not fail the poll: the alert is already queued, and its Ask button still works.
      log.warn({ err, alert: alertKey }, 'could not ask the colleague automatically; the alert offers the Ask button');
    }
  };
  const askFirst = async (alertKey: string): Promise<void> => {
    try {
      await ops.ask(alertKey, 'system');
    } catch (err) {
      // The person cannot be asked now (Slack failing): the alert must not wait for an answer that cannot come.
      log.warn({ err, alert: alertKey }, 'could not ask the colleague first; the alert goes to the channel now');
      await ops.releaseHeld(alertKey);
    }
  };
  return { ops, autoAsk, askFirst };
}
