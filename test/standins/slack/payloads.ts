/**
 * The bodies Slack sends to an app, shared by the HTTP and Socket Mode drivers so that both
 * transports carry exactly the same payload (Socket Mode wraps the same object in an envelope).
 * Shapes follow Bolt's SlashCommand / BlockAction / ViewSubmitAction types and Slack's docs.
 */
import type { Workspace } from './state';

export interface CommandInput {
  user_id: string;
  text: string;
  command?: string;
  channel_id?: string;
  team_id?: string;
  enterprise_id?: string;
  api_app_id?: string;
}

export interface ActionInput {
  action_id: string;
  value?: string;
  block_id?: string;
}

export interface BlockActionInput {
  user_id: string;
  actions: ActionInput[];
  /** The message the button is on: a stored one by channel+ts (filled in from the stand-in), or a literal message. */
  message?: { channel?: string; ts: string; text?: string; blocks?: unknown[] };
  /** Ephemeral originals (respond() replies) are not stored; their buttons carry no message body. */
  ephemeral?: boolean;
  channel_id?: string;
  container?: Record<string, unknown>;
  /** For buttons inside a modal: the view id (and optionally its current state). */
  view?: { id: string };
  state?: { values: Record<string, unknown> };
  team_id?: string;
  /** Set for a click from a workspace of an Enterprise Grid org: the payload's `enterprise` object. */
  enterprise_id?: string;
}

export interface ViewSubmissionInput {
  user_id: string;
  view: {
    id?: string;
    callback_id: string;
    private_metadata?: string;
    state: { values: Record<string, unknown> };
    blocks?: unknown[];
  };
  team_id?: string;
}

/** The deprecated verification token Slack still sends; apps must ignore it. */
export const VERIFICATION_TOKEN = 'vErIfIcAtIoNtOkEnDePrEcAtEd';

function userRef(ws: Workspace, userId: string, teamId: string): Record<string, unknown> {
  const name = ws.users.get(userId)?.name ?? userId.toLowerCase();
  return { id: userId, username: name, name, team_id: teamId };
}

function channelName(ws: Workspace, channelId: string): string {
  if (channelId.startsWith('D')) return 'directmessage';
  return ws.channels.get(channelId)?.name ?? 'privategroup';
}

export const DEFAULT_CHANNEL_ID = 'C0GENERAL';

/** Slash command fields, in the order Slack sends them. */
export function commandFields(ws: Workspace, input: CommandInput, responseUrl: string, triggerId: string): Record<string, string> {
  const channelId = input.channel_id ?? DEFAULT_CHANNEL_ID;
  const fields: Record<string, string> = {
    token: VERIFICATION_TOKEN,
    team_id: input.team_id ?? ws.ids.teamId,
    team_domain: ws.ids.teamDomain,
  };
  if (input.enterprise_id !== undefined) {
    fields.enterprise_id = input.enterprise_id;
    fields.enterprise_name = 'Warden Grid';
  }
  Object.assign(fields, {
    channel_id: channelId,
    channel_name: channelName(ws, channelId),
    user_id: input.user_id,
    user_name: ws.users.get(input.user_id)?.name ?? input.user_id.toLowerCase(),
    command: input.command ?? '/sessions',
    text: input.text,
    api_app_id: input.api_app_id ?? ws.ids.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId,
  });
  return fields;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Finds the element a user could click, by action_id (and block_id if given), in a list of blocks. */
function findElement(blocks: unknown[], actionId: string, blockId?: string): { block_id: string; element: Obj } | undefined {
  for (const block of blocks) {
    if (!isObj(block)) continue;
    const bid = typeof block.block_id === 'string' ? block.block_id : undefined;
    if (blockId !== undefined && bid !== blockId) continue;
    const candidates: unknown[] = [];
    if (Array.isArray(block.elements)) candidates.push(...(block.elements as unknown[]));
    if (block.accessory !== undefined) candidates.push(block.accessory);
    if (block.element !== undefined) candidates.push(block.element);
    for (const el of candidates) {
      if (isObj(el) && el.action_id === actionId) {
        // Slack generates a block_id when the app sent none; tests then must pass it explicitly.
        return { block_id: bid ?? blockId ?? '', element: el };
      }
    }
  }
  return undefined;
}

function actionJson(input: ActionInput, blocks: unknown[] | undefined, actionTs: string): Obj {
  const found = blocks ? findElement(blocks, input.action_id, input.block_id) : undefined;
  if (blocks && !found) {
    throw new Error(
      `no element with action_id "${input.action_id}"${input.block_id ? ` in block "${input.block_id}"` : ''} on that message/view: a user could not click it`,
    );
  }
  const el = found?.element ?? {};
  const type = typeof el.type === 'string' ? el.type : 'button';
  const action: Obj = {
    type,
    action_id: input.action_id,
    block_id: input.block_id ?? found?.block_id ?? 'b0',
    action_ts: actionTs,
  };
  if (type === 'button') {
    action.text = isObj(el.text) ? el.text : { type: 'plain_text', text: 'Button', emoji: true };
    const value = input.value ?? (typeof el.value === 'string' ? el.value : undefined);
    if (value !== undefined) action.value = value;
    if (el.style !== undefined) action.style = el.style;
    if (el.confirm !== undefined) action.confirm = el.confirm;
  } else if (input.value !== undefined) {
    action.selected_option = { text: { type: 'plain_text', text: input.value }, value: input.value };
  }
  return action;
}

export function actionTs(ws: Workspace): string {
  const ms = ws.clock.now();
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
}

/** A block_actions payload; `responseUrl` is omitted for clicks inside modals, as Slack does. */
export function blockActionPayload(ws: Workspace, input: BlockActionInput, triggerId: string, responseUrl: string | undefined): Obj {
  const teamId = input.team_id ?? ws.ids.teamId;
  const payload: Obj = {
    type: 'block_actions',
    user: userRef(ws, input.user_id, teamId),
    api_app_id: ws.ids.appId,
    token: VERIFICATION_TOKEN,
  };
  let blocks: unknown[] | undefined;
  if (input.view) {
    const stored = ws.views.get(input.view.id);
    if (!stored) throw new Error(`no view ${input.view.id} in the stand-in`);
    blocks = Array.isArray(stored.view.blocks) ? (stored.view.blocks as unknown[]) : [];
    payload.container = input.container ?? { type: 'view', view_id: stored.id };
    payload.trigger_id = triggerId;
    payload.team = { id: teamId, domain: ws.ids.teamDomain };
    payload.enterprise = null;
    payload.is_enterprise_install = false;
    payload.view = viewForPayload(ws, stored.id, input.state?.values ?? {});
  } else {
    const channelId = input.message?.channel ?? input.channel_id ?? DEFAULT_CHANNEL_ID;
    const stored = input.message ? ws.findMessage(channelId, input.message.ts) : undefined;
    if (input.message && !input.ephemeral && !stored && input.message.blocks === undefined) {
      throw new Error(`no message ${channelId}/${input.message.ts} in the stand-in; pass its blocks`);
    }
    if (stored?.deleted) throw new Error(`message ${channelId}/${stored.ts} was deleted: nobody can click it`);
    blocks = input.message?.blocks ?? stored?.blocks;
    const messageTs = input.message?.ts;
    payload.container = input.container ?? {
      type: 'message',
      ...(messageTs ? { message_ts: messageTs } : {}),
      channel_id: channelId,
      is_ephemeral: input.ephemeral ?? false,
    };
    payload.trigger_id = triggerId;
    payload.team = { id: teamId, domain: ws.ids.teamDomain, ...(input.enterprise_id ? { enterprise_id: input.enterprise_id } : {}) };
    payload.enterprise = input.enterprise_id ? { id: input.enterprise_id, name: 'Warden Grid' } : null;
    payload.is_enterprise_install = false;
    payload.channel = { id: channelId, name: channelName(ws, channelId) };
    if (input.message && !input.ephemeral) {
      payload.message = {
        type: 'message',
        ...(stored ? { user: stored.user, bot_id: stored.bot_id, app_id: ws.ids.appId } : {}),
        text: input.message.text ?? stored?.text ?? '',
        ts: input.message.ts,
        team: ws.ids.teamId,
        blocks: blocks ?? [],
        ...(stored?.thread_ts ? { thread_ts: stored.thread_ts } : {}),
      };
    }
    payload.state = input.state ?? { values: {} };
  }
  if (responseUrl !== undefined) payload.response_url = responseUrl;
  const ts = actionTs(ws);
  payload.actions = input.actions.map((a) => actionJson(a, blocks, ts));
  return payload;
}

function viewForPayload(ws: Workspace, viewId: string, values: Record<string, unknown>): Obj {
  const stored = ws.views.get(viewId);
  const v = stored?.view ?? {};
  return {
    id: viewId,
    team_id: ws.ids.teamId,
    type: v.type ?? 'modal',
    blocks: v.blocks ?? [],
    private_metadata: v.private_metadata ?? '',
    callback_id: v.callback_id ?? '',
    state: { values },
    hash: stored?.hash ?? '',
    title: v.title ?? { type: 'plain_text', text: 'Modal', emoji: true },
    clear_on_close: v.clear_on_close ?? false,
    notify_on_close: v.notify_on_close ?? false,
    close: v.close ?? null,
    submit: v.submit ?? null,
    previous_view_id: null,
    root_view_id: viewId,
    app_id: ws.ids.appId,
    external_id: v.external_id ?? '',
    app_installed_team_id: ws.ids.teamId,
    bot_id: ws.ids.botId,
  };
}

/** A view_submission payload. A known view id takes its blocks and title from what the bot opened. */
export function viewSubmissionPayload(ws: Workspace, input: ViewSubmissionInput, triggerId: string): Obj {
  const teamId = input.team_id ?? ws.ids.teamId;
  // Default to the user's latest modal; a test that never opened one gets a fresh view id.
  const viewId = input.view.id ?? [...ws.views.values()].reverse().find((v) => v.user_id === input.user_id && v.view.type === 'modal')?.id ?? ws.nextId('V');
  const view = viewForPayload(ws, viewId, input.view.state.values);
  view.callback_id = input.view.callback_id;
  if (input.view.private_metadata !== undefined) view.private_metadata = input.view.private_metadata;
  if (input.view.blocks !== undefined) view.blocks = input.view.blocks;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: ws.ids.teamDomain },
    user: userRef(ws, input.user_id, teamId),
    api_app_id: ws.ids.appId,
    token: VERIFICATION_TOKEN,
    trigger_id: triggerId,
    view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A published Home view as events carry it: no title, submit or close (those are modal fields). */
function homeViewJson(ws: Workspace, viewId: string): Obj {
  const { title: _title, clear_on_close: _clear, notify_on_close: _notify, close: _close, submit: _submit, ...rest } = viewForPayload(ws, viewId, {});
  return { ...rest, type: 'home' };
}

export interface AppHomeOpenedInput {
  user_id: string;
  /** 'home' (the default) or 'messages': Slack sends the event for both tabs. */
  tab?: 'home' | 'messages';
  team_id?: string;
}

/**
 * The Events API envelope Slack POSTs for `app_home_opened` (docs.slack.dev/reference/events/app_home_opened):
 * an `event_callback` carrying the event, with the IM channel between the app and the user, and
 * the Home view the app last published for that user (absent before the first publish).
 */
export function appHomeOpenedPayload(ws: Workspace, input: AppHomeOpenedInput, eventId: string): Obj {
  const teamId = input.team_id ?? ws.ids.teamId;
  const ms = ws.clock.now();
  const eventTs = `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, '0')}`;
  const home = [...ws.views.values()].find((v) => v.user_id === input.user_id && v.view.type === 'home');
  const event: Obj = {
    type: 'app_home_opened',
    user: input.user_id,
    channel: ws.imWith(input.user_id).id,
    tab: input.tab ?? 'home',
    event_ts: eventTs,
    ...(home ? { view: homeViewJson(ws, home.id) } : {}),
  };
  return {
    token: VERIFICATION_TOKEN,
    team_id: teamId,
    api_app_id: ws.ids.appId,
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(ms / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: ws.ids.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  };
}
