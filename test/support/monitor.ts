/**
 * Driving the alert monitor end to end: poll by hand (the harness runs with
 * MONITOR_INTERVAL_SECONDS=0), deliver what the poll owes Slack, and read the alerts the way a
 * person in the security channel sees them: one message per finding, its blocks and buttons.
 */
import { Writable } from 'node:stream';
import { createWarden, type Warden } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { PollReport } from '../../src/monitor/monitor';
import { ALERT_ACTIONS, ACTIONS, ASK_ACTIONS, INVESTIGATE_ACTIONS, decodeAlertRemoveValue, isAlertSessionsValue } from '../../src/slack/views/action-ids';
import type { StoredMessage } from '../standins/slack/state';
import { buttonValue, roots, REASON, type FlowContext, type Posted } from './approval-flow';
import { botEnv, PEOPLE, replyText, SECURITY_CHANNEL, type Harness } from './harness';

/** The buttons every open alert about sessions carries (nobody asked yet: "Ask <name>" last), in the order people see them. */
export const ALERT_BUTTONS = [
  ALERT_ACTIONS.removeSessions,
  ACTIONS.contain,
  ACTIONS.history,
  ACTIONS.pickUser,
  INVESTIGATE_ACTIONS.session,
  ASK_ACTIONS.ask,
] as const;

/** One poll, then everything it queued for Slack delivered: what the channel shows afterwards is final. */
export async function pollAndDeliver(h: Pick<Harness, 'warden'>): Promise<PollReport> {
  const report = await h.warden.monitor.pollOnce();
  await h.warden.outbox.dispatcher.drain();
  return report;
}

/** The text of one block of a message, found by its block_id ('' when absent). */
export function blockText(message: Pick<StoredMessage, 'blocks'>, blockId: string): string {
  const block = (message.blocks ?? []).find((b) => (b as { block_id?: string }).block_id === blockId);
  return block ? JSON.stringify(block) : '';
}

/** The root messages of the security channel that are monitor alerts (open or resolved). */
export function alertMessages(h: Pick<Harness, 'slack'>): StoredMessage[] {
  return h.slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && !m.thread_ts && !m.deleted && blockText(m, 'alert_summary') !== '');
}

/** The security channel's notices about the monitor's API budget. */
export function budgetNotices(h: Pick<Harness, 'slack'>): StoredMessage[] {
  return h.slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && blockText(m, 'monitor_budget') !== '');
}

/** The rule an alert message is about, as its context line names it (rule `distant-places`). */
export function ruleOf(message: Pick<StoredMessage, 'blocks'>): string | null {
  return /rule `([a-z-]+)`/.exec(blockText(message, 'alert_meta'))?.[1] ?? null;
}

/** The alerts of `username` (the message's User line names the Salesforce username). */
export function alertsAbout(h: Pick<Harness, 'slack'>, username: string): StoredMessage[] {
  return alertMessages(h).filter((m) => blockText(m, 'alert_user').includes(username));
}

/** The one alert of `rule` about `username`; throws (listing what is there) when there is none or more than one. */
export function alertFor(h: Pick<Harness, 'slack'>, rule: string, username: string): StoredMessage {
  const found = alertsAbout(h, username).filter((m) => ruleOf(m) === rule);
  if (found.length !== 1) {
    const seen = alertMessages(h).map((m) => `${ruleOf(m) ?? '?'} ${/\(([^)]+@[^)]+)\)/.exec(m.text)?.[1] ?? '?'}`);
    throw new Error(`expected one ${rule} alert about ${username}, found ${found.length}; the channel has: ${seen.join('; ') || 'nothing'}`);
  }
  return found[0] as StoredMessage;
}

/** The action ids of a message's buttons, in order. */
export function buttonIds(message: Pick<StoredMessage, 'blocks'>): string[] {
  const ids: string[] = [];
  for (const block of message.blocks ?? []) {
    const elements = (block as { type?: string; elements?: { type?: string; action_id?: string }[] }).elements;
    if ((block as { type?: string }).type !== 'actions' || !elements) continue;
    for (const e of elements) if (e.type === 'button' && e.action_id) ids.push(e.action_id);
  }
  return ids;
}

/** The session family roots an alert's "Remove these sessions" button would end ([] without the button). */
export function removableSessionIds(message: Pick<StoredMessage, 'blocks'>): string[] {
  const value = decodeAlertRemoveValue(buttonValue(message.blocks, ALERT_ACTIONS.removeSessions));
  return isAlertSessionsValue(value) ? value.ss : [];
}

/** The Salesforce user id the alert's user buttons (Contain, Login history, Show sessions) act on. */
export function buttonUserId(message: Pick<StoredMessage, 'blocks'>, actionId: string): string | null {
  const parsed: unknown = JSON.parse(buttonValue(message.blocks, actionId) ?? 'null');
  return parsed && typeof parsed === 'object' && 'u' in parsed && typeof parsed.u === 'string' ? parsed.u : null;
}

/** What a person reads in an alert: its fallback text and every block. */
export function alertText(message: Pick<StoredMessage, 'text' | 'blocks'>): string {
  return replyText({ text: message.text, blocks: message.blocks ?? [] });
}

/**
 * A second bot process in all but name: stops the harness's warden and starts a new one with the
 * same configuration (plus `env`) against the same stand-ins, e.g. on the same SQLite file.
 * The returned harness's advance() moves the new warden's clock; its close() stops the new
 * warden and the stand-ins.
 */
export async function restartWarden(h: Harness, env: Record<string, string>): Promise<Harness> {
  await h.warden.stop();
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      h.logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  let offsetMs = 0;
  const warden: Warden = await createWarden(loadConfig(botEnv(h.slack, h.sf, env)), {
    logger: createLogger('debug', sink),
    slackRetries: 0,
    now: () => new Date(Date.now() + offsetMs),
    outbox: { channelPace: null },
  });
  const { port } = await warden.start();
  return {
    ...h,
    warden,
    port,
    driver: h.slack.httpDriver(`http://127.0.0.1:${port}/slack/events`),
    advance(ms) {
      offsetMs += ms;
    },
    async close() {
      await warden.stop();
      await h.slack.close();
      await h.sf.close();
    },
  };
}

/**
 * Clicks a button on an alert in the security channel (e.g. Remove these sessions), fills in the
 * request modal and submits it; resolves with the request message the bot posts for approval.
 * The alert-side twin of approval-flow's requestAction, which starts from a /sessions answer.
 */
export async function requestFromAlert(
  ctx: FlowContext,
  alert: Pick<StoredMessage, 'ts' | 'blocks'>,
  actionId: string,
  requester: string = PEOPLE.admin.id,
): Promise<Posted> {
  const { slack, driver } = ctx;
  const value = buttonValue(alert.blocks, actionId);
  if (value === undefined) throw new Error(`the alert has no ${actionId} button: ${JSON.stringify(alert.blocks)}`);
  const before = roots(ctx).length;
  const viewsBefore = new Set(slack.views.keys());
  await driver.blockAction({ user_id: requester, message: { channel: SECURITY_CHANNEL, ts: alert.ts }, actions: [{ action_id: actionId, value }] });
  const view = await slack.waitFor(
    () => [...slack.views.values()].find((v) => !viewsBefore.has(v.id) && slack.callsTo('views.update').some((c) => c.args.view_id === v.id)),
    15_000,
    'the request modal with its blast radius',
  );
  const res = await driver.viewSubmission({
    user_id: requester,
    view: { id: view.id, callback_id: 'action_request', state: { values: { reason: { reason_input: { type: 'plain_text_input', value: REASON } } } } },
  });
  if (res.status !== 200) throw new Error(`view submission answered ${res.status}`);
  const msg = await slack.waitFor(() => roots(ctx)[before], 15_000, 'the request message in the security channel');
  const requestId = buttonValue(msg.blocks, ACTIONS.approve);
  if (!requestId) throw new Error(`no approve button in ${JSON.stringify(msg.blocks)}`);
  // The requester is told where the request went, through the click's response_url.
  await slack.waitFor(() => slack.responses.find((r) => replyText(r.body as object).includes(requestId)), 15_000, 'the confirmation to the requester');
  return { ts: msg.ts, requestId };
}

/** The "was this you?" DMs the bot sent a Slack user (in its IM with them). */
export function askDmsTo(h: Pick<Harness, 'slack'>, slackUserId: string): StoredMessage[] {
  const im = [...h.slack.workspace.channels.values()].find((c) => c.id.startsWith('D') && c.members.includes(slackUserId));
  return im ? h.slack.messages.filter((m) => m.channel === im.id && blockText(m, 'ask_seen') !== '') : [];
}

/** The one "was this you?" DM to a Slack user; throws when there is none or more than one. */
export function onlyAskDm(h: Pick<Harness, 'slack'>, slackUserId: string): StoredMessage {
  const dms = askDmsTo(h, slackUserId);
  if (dms.length !== 1) throw new Error(`expected one "was this you?" DM to ${slackUserId}, found ${dms.length}`);
  return dms[0] as StoredMessage;
}

/** Clicks a button of a "was this you?" DM as `clicker`; resolves with what the bot answered on the click's response_url (after the outbox drained). */
export async function clickAskDm(h: Pick<Harness, 'slack' | 'driver' | 'warden'>, dm: StoredMessage, actionId: string, clicker: string): Promise<string> {
  const value = buttonValue(dm.blocks, actionId);
  if (value === undefined) throw new Error(`the DM has no ${actionId} button: ${JSON.stringify(dm.blocks)}`);
  const res = await h.driver.blockAction({
    user_id: clicker,
    channel_id: dm.channel,
    message: { channel: dm.channel, ts: dm.ts },
    actions: [{ action_id: actionId, value }],
  });
  const answer = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl), 15_000, `the answer to ${clicker}'s click`);
  await h.warden.outbox.dispatcher.drain();
  return replyText(answer.body as object);
}
