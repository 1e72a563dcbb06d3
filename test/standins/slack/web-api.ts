/**
 * Slack Web API methods the bot uses, answering with the shapes and error strings documented
 * on docs.slack.dev (copied in slack-ruby/slack-api-ref). Pure over the Workspace: the HTTP
 * layer (server.ts) parses requests, checks tokens and applies injected faults.
 */
import { createHash } from 'node:crypto';
import { bareErrors, checkViewPayload, judgeMessageBlocks, MAX_UPDATE_TEXT, MAX_VIEW_BYTES } from './blockkit';
import { conversationScope, missingScope, type ConversationKind } from './scopes';
import type { MessageMetadata, SlackChannel, StoredFile, StoredMessage, StoredView, Workspace } from './state';

/** chat.postMessage truncates beyond 40,000 characters; the stand-in refuses instead so truncation never goes unnoticed. */
const MAX_POST_TEXT = 40_000;
/** Slack honours a trigger_id for 3 seconds after sending it. */
export const TRIGGER_TTL_MS = 3_000;

export type Args = Record<string, unknown>;
export type ApiBody = { ok: boolean; error?: string } & Record<string, unknown>;

export interface MethodContext {
  ws: Workspace;
  /** ws:// URL for a freshly issued Socket Mode ticket. */
  openSocketUrl(): string;
  /** Where files.getUploadURLExternal tells the client to POST a file's bytes (the stand-in's /upload/v1/<id>). */
  uploadUrl(fileId: string): string;
  /** The bot token's scopes (manifest.yml's bot scopes unless a test installs the app with others). */
  scopes: ReadonlySet<string>;
}

type Handler = (ctx: MethodContext, args: Args) => ApiBody;

const fail = (error: string, extra: Record<string, unknown> = {}): ApiBody => ({ ok: false, error, ...extra });

function invalidArguments(messages: string[]): ApiBody {
  return fail('invalid_arguments', { response_metadata: { messages } });
}

function str(args: Args, key: string): string | undefined {
  const v = args[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function hasBlocks(args: Args): boolean {
  return args.blocks !== undefined && args.blocks !== '';
}

/** Blocks verdict as a Slack error body, or null if the blocks (if any) are acceptable. */
function blocksFailure(args: Args): ApiBody | null {
  if (!hasBlocks(args)) return null;
  const verdict = judgeMessageBlocks(args.blocks);
  if (verdict.error === null) return null;
  if (verdict.error === 'invalid_blocks') {
    return fail('invalid_blocks', { errors: bareErrors(verdict.messages), response_metadata: { messages: verdict.messages } });
  }
  return fail(verdict.error);
}

function blocksOf(args: Args): unknown[] | undefined {
  return Array.isArray(args.blocks) ? (args.blocks as unknown[]) : undefined;
}

/**
 * Resolves `channel` the way Slack does for a bot: ids only, private channels invisible unless
 * the bot is in them, a user id opens (or reuses) the IM with that user.
 */
function resolveChannel(ws: Workspace, id: string | undefined): SlackChannel | undefined {
  if (id === undefined) return undefined;
  if ((id.startsWith('U') || id.startsWith('W')) && ws.users.has(id)) return ws.imWith(id);
  const channel = ws.channels.get(id);
  if (!channel) return undefined;
  if (channel.is_private && !channel.members.includes(ws.ids.botUserId)) return undefined;
  return channel;
}

function messageJson(ws: Workspace, m: StoredMessage, withMetadata = false): Record<string, unknown> {
  return {
    ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    type: 'message',
    user: m.user,
    ...(m.bot_id ? { bot_id: m.bot_id, app_id: ws.ids.appId } : {}),
    text: m.text,
    ts: m.ts,
    team: ws.ids.teamId,
    ...(m.blocks ? { blocks: m.blocks } : {}),
    ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
  };
}

/** A user as Slack shows them to the bot: the e-mail only with users:read.email (docs.slack.dev/reference/scopes/users.read.email). */
function userJson(ctx: MethodContext, id: string): Record<string, unknown> | undefined {
  const u = ctx.ws.users.get(id);
  if (!u) return undefined;
  const copy = structuredClone(u);
  if (!ctx.scopes.has('users:read.email')) delete (copy.profile as Partial<typeof copy.profile>).email;
  return copy as unknown as Record<string, unknown>;
}

function kindOf(channel: SlackChannel): ConversationKind {
  return channel.id.startsWith('D') ? 'im' : channel.is_private ? 'private' : 'public';
}

/**
 * The per-kind scope a conversation method needs, then membership: a bot token reads only conversations it is in —
 * a public one it has not joined answers not_in_channel (a private one is not even found; resolveChannel hides it).
 */
function conversationAccess(ctx: MethodContext, channel: SlackChannel, family: 'read' | 'history'): ApiBody | null {
  const scope = conversationScope(kindOf(channel), family);
  if (!ctx.scopes.has(scope)) return missingScope([scope], ctx.scopes);
  if (family === 'history' && !channel.members.includes(ctx.ws.ids.botUserId)) return fail('not_in_channel');
  return null;
}

const authTest: Handler = ({ ws }) => ({
  ok: true,
  url: `https://${ws.ids.teamDomain}.slack.com/`,
  team: 'Warden',
  user: 'session-warden',
  team_id: ws.ids.teamId,
  user_id: ws.ids.botUserId,
  bot_id: ws.ids.botId,
  ...(ws.ids.enterpriseId ? { enterprise_id: ws.ids.enterpriseId } : {}),
  is_enterprise_install: false,
});

/** Slack's limit on an upload's alt text (alt_txt_too_large beyond it). */
const MAX_ALT_TEXT = 1_000;

/** Step 1 of files.uploadV2: a file id and the URL its bytes go to. */
const filesGetUploadURLExternal: Handler = (ctx, args) => {
  const filename = str(args, 'filename');
  const lengthText = str(args, 'length');
  const problems = [
    ...(filename === undefined ? ['[ERROR] missing required field: filename'] : []),
    ...(lengthText === undefined ? ['[ERROR] missing required field: length'] : []),
  ];
  if (problems.length > 0) return invalidArguments(problems);
  const length = Number(lengthText);
  if (!Number.isInteger(length) || length < 0) return invalidArguments(['[ERROR] invalid type for field: length']);
  // Slack documents missing_argument for this case: "typically only occurs when the length provided is 0".
  if (length === 0) return fail('missing_argument');
  // The method documents `alt_txt` only; anything else (the Node SDK's `alt_text`) is an unknown argument Slack ignores.
  const altText = str(args, 'alt_txt') ?? null;
  if (altText !== null && altText.length > MAX_ALT_TEXT) return fail('alt_txt_too_large');
  const file: StoredFile = { id: ctx.ws.nextId('F'), filename: filename ?? '', length, altText, bytes: null, title: null, shared: null };
  ctx.ws.files.set(file.id, file);
  return { ok: true, upload_url: ctx.uploadUrl(file.id), file_id: file.id };
};

function parseFileList(value: unknown): Array<{ id: string; title?: string }> | null {
  let list: unknown = value;
  if (typeof value === 'string') {
    try {
      list = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  if (!Array.isArray(list) || list.length === 0) return null;
  const files: Array<{ id: string; title?: string }> = [];
  for (const item of list as unknown[]) {
    if (typeof item !== 'object' || item === null) return null;
    const { id, title } = item as { id?: unknown; title?: unknown };
    if (typeof id !== 'string' || id === '') return null;
    files.push(typeof title === 'string' ? { id, title } : { id });
  }
  return files;
}

/** The pattern Slack checks completeUploadExternal's channel_id against (its error text quotes it). */
const COMPLETE_UPLOAD_CHANNEL = /^[CGDZ][A-Z0-9]{8,}$/;

/** Step 3 of files.uploadV2: the uploaded files are shared (in channel_id, in thread_ts) or kept private. */
const filesCompleteUploadExternal: Handler = ({ ws }, args) => {
  const list = parseFileList(args.files);
  if (!list) return invalidArguments(['[ERROR] missing required field: files']);
  const channelId = str(args, 'channel_id');
  const threadTs = str(args, 'thread_ts');
  let channel: SlackChannel | undefined;
  if (channelId !== undefined) {
    // Unlike chat.postMessage, channel_id here takes conversation ids only: a user id is refused
    // (slackapi/bolt-js#2115, slackapi/node-slack-sdk#1653), so a file for someone's DM needs the D… id.
    if (!COMPLETE_UPLOAD_CHANNEL.test(channelId))
      return invalidArguments([`[ERROR] input must match regex pattern: ${COMPLETE_UPLOAD_CHANNEL.source} [json-pointer:/channel_id]`]);
    channel = resolveChannel(ws, channelId);
    if (!channel) return fail('channel_not_found');
    if (!channel.members.includes(ws.ids.botUserId)) return fail('not_in_channel');
  }
  const files: StoredFile[] = [];
  for (const { id } of list) {
    const file = ws.files.get(id);
    // A file whose bytes never arrived cannot be completed either.
    if (!file || file.bytes === null) return fail('file_not_found');
    files.push(file);
  }
  for (const [i, file] of files.entries()) {
    file.title = list[i]?.title ?? file.filename;
    file.shared = { channel: channel?.id ?? null, threadTs: channel ? (threadTs ?? null) : null };
  }
  return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title })) };
};

const appsConnectionsOpen: Handler = (ctx) => ({ ok: true, url: ctx.openSocketUrl() });

const chatPostMessage: Handler = ({ ws, scopes }, args) => {
  const channel = resolveChannel(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  if (channel.is_archived) return fail('is_archived');
  // A public channel the bot has not joined takes posts only with chat:write.public; a private one is never found.
  const mayPostOutside = kindOf(channel) === 'public' && scopes.has('chat:write.public');
  if (!channel.members.includes(ws.ids.botUserId) && !mayPostOutside) return fail('not_in_channel');
  const text = str(args, 'text');
  if (text === undefined && !hasBlocks(args) && args.attachments === undefined) return fail('no_text');
  const blocksError = blocksFailure(args);
  if (blocksError) return blocksError;
  if (text !== undefined && text.length > MAX_POST_TEXT) return fail('msg_too_long');
  const metadata = metadataOf(args.metadata);
  if (metadata === 'invalid') return fail('invalid_metadata_format');
  const threadTs = str(args, 'thread_ts');
  const message: StoredMessage = {
    ...(metadata ? { metadata } : {}),
    channel: channel.id,
    ts: ws.nextTs(),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    user: ws.ids.botUserId,
    bot_id: ws.ids.botId,
    text: text ?? '',
    blocks: blocksOf(args),
    deleted: false,
    history: [],
  };
  ws.messages.push(message);
  return { ok: true, channel: channel.id, ts: message.ts, message: messageJson(ws, message) };
};

const chatUpdate: Handler = ({ ws }, args) => {
  const channel = resolveChannel(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const ts = str(args, 'ts');
  const message = ts === undefined ? undefined : ws.findMessage(channel.id, ts);
  if (!message || message.deleted) return fail('message_not_found');
  if (message.bot_id !== ws.ids.botId) return fail('cant_update_message');
  const text = str(args, 'text');
  if (text === undefined && !hasBlocks(args) && args.attachments === undefined) return fail('no_text');
  if (text !== undefined && text.length > MAX_UPDATE_TEXT) return fail('msg_too_long');
  const blocksError = blocksFailure(args);
  if (blocksError) return blocksError;
  message.history.push({ text: message.text, blocks: message.blocks, at: ws.clock.now(), via: 'chat.update' });
  // Slack keeps the old text when only blocks are sent, and drops old blocks when only text is sent.
  if (text !== undefined) message.text = text;
  message.blocks = blocksOf(args);
  return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: messageJson(ws, message) };
};

const chatPostEphemeral: Handler = ({ ws }, args) => {
  const channel = resolveChannel(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const user = str(args, 'user');
  if (user === undefined || !ws.users.has(user)) return fail('user_not_found');
  if (!channel.members.includes(ws.ids.botUserId)) return fail('not_in_channel');
  if (!channel.members.includes(user)) return fail('user_not_in_channel');
  if (str(args, 'text') === undefined && !hasBlocks(args) && args.attachments === undefined) return fail('no_text');
  const blocksError = blocksFailure(args);
  if (blocksError) return blocksError;
  const threadTs = str(args, 'thread_ts');
  const ephemeral = {
    channel: channel.id,
    user,
    message_ts: ws.nextTs(),
    ...(threadTs ? { thread_ts: threadTs } : {}),
    text: str(args, 'text') ?? '',
    blocks: blocksOf(args),
  };
  ws.ephemerals.push(ephemeral);
  return { ok: true, message_ts: ephemeral.message_ts };
};

const usersInfo: Handler = (ctx, args) => {
  const id = str(args, 'user');
  if (id === undefined) return invalidArguments(['[ERROR] missing required field: user']);
  const user = userJson(ctx, id);
  return user ? { ok: true, user } : fail('user_not_found');
};

const usersLookupByEmail: Handler = (ctx, args) => {
  const email = str(args, 'email');
  if (email === undefined) return invalidArguments(['[ERROR] missing required field: email']);
  const wanted = email.toLowerCase();
  for (const u of ctx.ws.users.values()) {
    if (u.profile.email.toLowerCase() === wanted) return { ok: true, user: userJson(ctx, u.id) };
  }
  return fail('users_not_found');
};

const usergroupsUsersList: Handler = ({ ws }, args) => {
  if (ws.planUpgradeRequired) return fail('plan_upgrade_required');
  const id = str(args, 'usergroup');
  if (id === undefined) return invalidArguments(['[ERROR] missing required field: usergroup']);
  const users = ws.usergroups.get(id);
  return users ? { ok: true, users: [...users] } : fail('no_such_subteam');
};

/** Slack's message metadata: `{event_type, event_payload}` with a snake_case type and an object payload. */
function metadataOf(value: unknown): MessageMetadata | undefined | 'invalid' {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'invalid';
  const { event_type: type, event_payload: payload } = value as Record<string, unknown>;
  if (typeof type !== 'string' || !/^[a-z0-9_]{1,255}$/.test(type)) return 'invalid';
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return 'invalid';
  return { event_type: type, event_payload: payload as Record<string, unknown> };
}

/** Slack's history window: `oldest` / `latest` are message timestamps, exclusive unless `inclusive`. */
function inWindow(ts: string, args: Args): boolean {
  const t = Number(ts);
  const inclusive = str(args, 'inclusive') === 'true' || args.inclusive === true;
  const oldest = str(args, 'oldest') ?? (typeof args.oldest === 'number' ? String(args.oldest) : undefined);
  const latest = str(args, 'latest') ?? (typeof args.latest === 'number' ? String(args.latest) : undefined);
  if (oldest !== undefined && (inclusive ? t < Number(oldest) : t <= Number(oldest))) return false;
  if (latest !== undefined && (inclusive ? t > Number(latest) : t >= Number(latest))) return false;
  return true;
}

function pageLimit(args: Args): number {
  const n = Number(str(args, 'limit') ?? args.limit ?? 100);
  return Number.isFinite(n) && n > 0 ? Math.min(999, Math.floor(n)) : 100;
}

const withMetadata = (args: Args): boolean => str(args, 'include_all_metadata') === 'true' || args.include_all_metadata === true;

/** conversations.history: top-level messages (and thread parents), newest first. A private channel the bot is not in is not found. */
const conversationsHistory: Handler = (ctx, args) => {
  const { ws } = ctx;
  const channel = resolveChannel(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const refused = conversationAccess(ctx, channel, 'history');
  if (refused) return refused;
  const all = ws.messages
    .filter((m) => m.channel === channel.id && !m.deleted && (m.thread_ts === undefined || m.thread_ts === m.ts) && inWindow(m.ts, args))
    .sort((a, b) => Number(b.ts) - Number(a.ts));
  const limit = pageLimit(args);
  const page = all.slice(0, limit);
  return {
    ok: true,
    messages: page.map((m) => messageJson(ws, m, withMetadata(args))),
    has_more: all.length > limit,
    response_metadata: { next_cursor: '' },
  };
};

/** conversations.replies: the parent, then its replies oldest first. */
const conversationsReplies: Handler = (ctx, args) => {
  const { ws } = ctx;
  const channel = resolveChannel(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const refused = conversationAccess(ctx, channel, 'history');
  if (refused) return refused;
  const ts = str(args, 'ts');
  if (ts === undefined) return invalidArguments(['[ERROR] missing required field: ts']);
  const parent = ws.findMessage(channel.id, ts);
  if (!parent || parent.deleted) return fail('thread_not_found');
  const replies = ws.messages
    .filter((m) => m.channel === channel.id && !m.deleted && m.thread_ts === ts && m.ts !== ts && inWindow(m.ts, args))
    .sort((a, b) => Number(a.ts) - Number(b.ts));
  const limit = pageLimit(args);
  const page = [parent, ...replies].slice(0, limit);
  return {
    ok: true,
    messages: page.map((m) => messageJson(ws, m, withMetadata(args))),
    has_more: replies.length + 1 > limit,
    response_metadata: { next_cursor: '' },
  };
};

const conversationsInfo: Handler = (ctx, args) => {
  const { ws } = ctx;
  const channel = resolveChannel(ws, str(args, 'channel'));
  if (!channel) return fail('channel_not_found');
  const refused = conversationAccess(ctx, channel, 'read');
  if (refused) return refused;
  const isIm = channel.id.startsWith('D');
  return {
    ok: true,
    channel: {
      id: channel.id,
      name: channel.name,
      is_channel: !isIm && !channel.is_private,
      is_group: false,
      is_im: isIm,
      is_mpim: false,
      is_private: channel.is_private,
      is_archived: channel.is_archived,
      is_general: channel.name === 'general',
      is_member: channel.members.includes(ws.ids.botUserId),
      name_normalized: channel.name,
      created: Math.floor(ws.clock.now() / 1000) - 86_400,
      ...(str(args, 'include_num_members') === 'true' ? { num_members: channel.members.length } : {}),
    },
  };
};

function parseView(args: Args): { view: Record<string, unknown> } | { failure: ApiBody } {
  const view = args.view;
  if (view === undefined) return { failure: invalidArguments(['[ERROR] missing required field: view']) };
  const messages = checkViewPayload(view);
  if (messages.length > 0) return { failure: invalidArguments(messages) };
  if (Buffer.byteLength(JSON.stringify(view)) > MAX_VIEW_BYTES) return { failure: fail('view_too_large') };
  return { view: view as Record<string, unknown> };
}

function viewJson(ws: Workspace, stored: StoredView): Record<string, unknown> {
  const v = stored.view;
  return {
    id: stored.id,
    team_id: ws.ids.teamId,
    type: v.type,
    blocks: v.blocks,
    private_metadata: v.private_metadata ?? '',
    callback_id: v.callback_id ?? '',
    state: { values: {} },
    hash: stored.hash,
    ...(v.type === 'modal'
      ? {
          title: v.title,
          clear_on_close: v.clear_on_close ?? false,
          notify_on_close: v.notify_on_close ?? false,
          close: v.close ?? null,
          submit: v.submit ?? null,
        }
      : {}),
    previous_view_id: null,
    root_view_id: stored.id,
    app_id: ws.ids.appId,
    external_id: v.external_id ?? '',
    app_installed_team_id: ws.ids.teamId,
    bot_id: ws.ids.botId,
  };
}

function storeView(ws: Workspace, id: string, userId: string, view: Record<string, unknown>): StoredView {
  const hash = `${Math.floor(ws.clock.now() / 1000)}.${createHash('sha256').update(JSON.stringify(view)).update(id).digest('hex').slice(0, 8)}`;
  const stored: StoredView = { id, user_id: userId, view, hash };
  ws.views.set(id, stored);
  return stored;
}

const viewsOpen: Handler = ({ ws }, args) => {
  const triggerId = str(args, 'trigger_id');
  if (triggerId === undefined) return invalidArguments(['[ERROR] missing required field: trigger_id']);
  const grant = ws.triggers.get(triggerId);
  if (!grant) return fail('invalid_trigger_id');
  if (grant.used) return fail('exchanged_trigger_id');
  if (ws.clock.now() - grant.issuedAt > TRIGGER_TTL_MS) return fail('expired_trigger_id');
  const parsed = parseView(args);
  if ('failure' in parsed) return parsed.failure;
  if (parsed.view.type !== 'modal') return invalidArguments(['[ERROR] must be a valid enum value [json-pointer:/view/type]']);
  const externalId = parsed.view.external_id;
  if (typeof externalId === 'string' && [...ws.views.values()].some((v) => v.view.external_id === externalId)) {
    return fail('duplicate_external_id');
  }
  grant.used = true;
  const stored = storeView(ws, ws.nextId('V'), grant.userId, parsed.view);
  return { ok: true, view: viewJson(ws, stored) };
};

const viewsUpdate: Handler = ({ ws }, args) => {
  const viewId = str(args, 'view_id');
  const externalId = str(args, 'external_id');
  if (viewId === undefined && externalId === undefined) {
    return invalidArguments(['[ERROR] either view_id or external_id is required']);
  }
  const existing = viewId !== undefined ? ws.views.get(viewId) : [...ws.views.values()].find((v) => v.view.external_id === externalId);
  if (!existing) return fail('not_found');
  const hash = str(args, 'hash');
  if (hash !== undefined && hash !== existing.hash) return fail('hash_conflict');
  const parsed = parseView(args);
  if ('failure' in parsed) return parsed.failure;
  const stored = storeView(ws, existing.id, existing.user_id, parsed.view);
  return { ok: true, view: viewJson(ws, stored) };
};

const viewsPublish: Handler = ({ ws }, args) => {
  const userId = str(args, 'user_id');
  if (userId === undefined) return invalidArguments(['[ERROR] missing required field: user_id']);
  if (!ws.users.has(userId)) return fail('user_not_found');
  const parsed = parseView(args);
  if ('failure' in parsed) return parsed.failure;
  if (parsed.view.type !== 'home') return invalidArguments(['[ERROR] must be a valid enum value [json-pointer:/view/type]']);
  const existing = [...ws.views.values()].find((v) => v.user_id === userId && v.view.type === 'home');
  const stored = storeView(ws, existing?.id ?? ws.nextId('V'), userId, parsed.view);
  return { ok: true, view: viewJson(ws, stored) };
};

export const METHODS: Readonly<Record<string, Handler>> = {
  'auth.test': authTest,
  'apps.connections.open': appsConnectionsOpen,
  'chat.postMessage': chatPostMessage,
  'files.getUploadURLExternal': filesGetUploadURLExternal,
  'files.completeUploadExternal': filesCompleteUploadExternal,
  'chat.update': chatUpdate,
  'chat.postEphemeral': chatPostEphemeral,
  'users.info': usersInfo,
  'users.lookupByEmail': usersLookupByEmail,
  'usergroups.users.list': usergroupsUsersList,
  'conversations.info': conversationsInfo,
  'conversations.history': conversationsHistory,
  'conversations.replies': conversationsReplies,
  'views.open': viewsOpen,
  'views.update': viewsUpdate,
  'views.publish': viewsPublish,
};

/** Only apps.connections.open takes the app-level (xapp-) token; everything else needs the bot token. */
export const APP_TOKEN_METHODS: ReadonlySet<string> = new Set(['apps.connections.open']);
