/**
 * Driving the approval flow the way people do in Slack: click a request button, fill in the
 * modal, then click Approve / Deny on the message the bot posts in the security channel.
 */
import { ACTIONS } from '../../src/slack/views/action-ids';
import type { SlackDriver } from '../standins/slack/driver';
import type { SlackStandIn } from '../standins/slack/server';
import { COMMAND_CHANNEL, PEOPLE, SECURITY_CHANNEL, replyText } from './harness';

export interface FlowContext {
  slack: SlackStandIn;
  driver: SlackDriver;
}

export interface Posted {
  ts: string;
  requestId: string;
}

export const REASON = 'Sessions from Moscow and San Francisco at once; user confirms no travel';

export function roots(ctx: FlowContext) {
  return ctx.slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && !m.thread_ts);
}

export function buttonValue(blocks: unknown, actionId: string): string | undefined {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.action_id === actionId && typeof o.value === 'string') found.push(o.value);
      Object.values(o).forEach(walk);
    }
  };
  walk(blocks);
  return found[0];
}

export async function requestAction(
  ctx: FlowContext,
  actionId: string,
  value: string,
  opts: { requester?: string; reason?: string; values?: Record<string, unknown> } = {},
): Promise<Posted> {
  const { slack, driver } = ctx;
  const requester = opts.requester ?? PEOPLE.admin.id;
  const before = roots(ctx).length;
  const viewsBefore = new Set(slack.views.keys());
  await driver.blockAction({ user_id: requester, channel_id: COMMAND_CHANNEL, ephemeral: true, actions: [{ action_id: actionId, value }] });
  const view = await slack.waitFor(
    () => [...slack.views.values()].find((v) => !viewsBefore.has(v.id) && slack.callsTo('views.update').some((c) => c.args.view_id === v.id)),
    15_000,
    'the request modal with its blast radius',
  );
  const res = await driver.viewSubmission({
    user_id: requester,
    view: {
      id: view.id,
      callback_id: 'action_request',
      state: { values: { reason: { reason_input: { type: 'plain_text_input', value: opts.reason ?? REASON } }, ...opts.values } },
    },
  });
  if (res.status !== 200) throw new Error(`view submission answered ${res.status}`);
  const msg = await slack.waitFor(() => roots(ctx)[before], 15_000, 'the request message in the security channel');
  const requestId = buttonValue(msg.blocks, ACTIONS.approve);
  if (!requestId) throw new Error(`no approve button in ${JSON.stringify(msg.blocks)}`);
  // The requester's confirmation comes once the request and its message are both recorded.
  await slack.waitFor(() => slack.responses.find((r) => replyText(r.body as object).includes(requestId)), 15_000, 'the confirmation to the requester');
  return { ts: msg.ts, requestId };
}

export function click(ctx: FlowContext, user: string, posted: Posted, actionId: string) {
  return ctx.driver.blockAction({ user_id: user, message: { channel: SECURITY_CHANNEL, ts: posted.ts }, actions: [{ action_id: actionId }] });
}

export function current(ctx: FlowContext, posted: Posted) {
  const m = ctx.slack.messages.find((x) => x.channel === SECURITY_CHANNEL && x.ts === posted.ts);
  if (!m) throw new Error('request message vanished');
  return m;
}

export function thread(ctx: FlowContext, posted: Posted) {
  return ctx.slack.messages.filter((m) => m.channel === SECURITY_CHANNEL && m.thread_ts === posted.ts);
}

export async function waitForState(ctx: FlowContext, posted: Posted, words: RegExp, timeoutMs = 15_000) {
  return ctx.slack.waitFor(
    () => (words.test(replyText(current(ctx, posted))) ? current(ctx, posted) : undefined),
    timeoutMs,
    `request message matching ${String(words)}`,
  );
}

export async function ephemeralTo(ctx: FlowContext, clickRes: { responseUrl?: string }) {
  const r = await ctx.slack.waitFor(() => ctx.slack.responses.find((x) => x.url === clickRes.responseUrl), 10_000, 'an answer only the clicker sees');
  return replyText(r.body as object);
}
