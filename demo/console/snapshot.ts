/**
 * One viewer's picture of the workspace, read from the Slack stand-in (messages, files, views) and
 * the console's feed (ephemerals, closed modals, notices).
 */
import type { StoredFile, StoredMessage, Workspace } from '../../test/standins/slack/state';
import type { ConsoleFeed } from './feed';
import { API_PATHS, type Conversation, type FileRef, type Message, type OpenView, type Person, type Snapshot } from './protocol';

export const BOT_NAME = 'Session Warden';

export interface SnapshotSources {
  ws: Workspace;
  feed: ConsoleFeed;
  people: readonly Person[];
  workspaceName: string;
  attacker: boolean;
  version: number;
  /** When a shared file was first seen, as a message ts, so it sorts among messages. */
  fileTs(file: StoredFile): string;
}

const byTs = (a: { ts: string }, b: { ts: string }): number => Number(a.ts) - Number(b.ts);

function fileRef(file: StoredFile): FileRef {
  return { id: file.id, title: file.title ?? file.filename, altText: file.altText ?? file.title ?? file.filename, url: `${API_PATHS.files}${file.id}` };
}

function authorOf(ws: Workspace, people: readonly Person[], userId: string): Message['author'] {
  if (userId === ws.ids.botUserId) return { id: userId, name: BOT_NAME, isBot: true };
  const person = people.find((p) => p.id === userId);
  return { id: userId, name: person?.realName ?? ws.users.get(userId)?.real_name ?? userId, isBot: false };
}

function toMessage(ws: Workspace, people: readonly Person[], m: StoredMessage): Message {
  return {
    channel: m.channel,
    ts: m.ts,
    ...(m.thread_ts !== undefined ? { threadTs: m.thread_ts } : {}),
    author: authorOf(ws, people, m.user),
    text: m.text,
    blocks: m.blocks ?? null,
    edited: m.history.length > 0,
    files: [],
  };
}

/** A file the bot shared (files.completeUploadExternal) shows as a message of its own, as Slack does. */
function fileMessage(src: SnapshotSources, file: StoredFile, channel: string, threadTs: string | null): Message {
  return {
    channel,
    ts: src.fileTs(file),
    ...(threadTs !== null ? { threadTs } : {}),
    author: authorOf(src.ws, src.people, src.ws.ids.botUserId),
    text: '',
    blocks: null,
    edited: false,
    files: [fileRef(file)],
  };
}

function conversation(src: SnapshotSources, id: string, name: string, kind: Conversation['kind']): Conversation {
  const all: Message[] = src.ws.messages.filter((m) => m.channel === id && !m.deleted).map((m) => toMessage(src.ws, src.people, m));
  for (const file of src.ws.files.values()) {
    if (file.shared?.channel === id && file.bytes !== null) all.push(fileMessage(src, file, id, file.shared.threadTs));
  }
  all.sort(byTs);
  const messages: Message[] = [];
  const threads: Record<string, Message[]> = {};
  for (const m of all) {
    if (m.threadTs === undefined || m.threadTs === m.ts) {
      messages.push(m);
    } else {
      (threads[m.threadTs] ??= []).push(m);
    }
  }
  // Slack marks a parent with thread_ts once it has replies; the page uses it to offer "N replies".
  for (const m of messages) if (threads[m.ts] !== undefined) m.threadTs = m.ts;
  return { id, name, kind, messages, threads };
}

function viewOf(src: SnapshotSources, viewer: string, type: 'modal' | 'home'): OpenView | null {
  let found: OpenView | null = null;
  for (const v of src.ws.views.values()) {
    if (v.user_id !== viewer || v.view.type !== type || (type === 'modal' && src.feed.isClosed(v.id))) continue;
    found = { id: v.id, view: v.view };
  }
  return found;
}

export function buildSnapshot(src: SnapshotSources, viewer: string): Snapshot {
  const conversations: Conversation[] = [];
  for (const c of src.ws.channels.values()) {
    if (c.id.startsWith('D') || c.is_archived || !c.members.includes(viewer)) continue;
    conversations.push(conversation(src, c.id, c.name, 'channel'));
  }
  const im = [...src.ws.channels.values()].find((c) => c.id.startsWith('D') && c.members.includes(viewer) && c.members.includes(src.ws.ids.botUserId));
  if (im) conversations.push(conversation(src, im.id, BOT_NAME, 'im'));
  const modal = viewOf(src, viewer, 'modal');
  return {
    version: src.version,
    workspace: src.workspaceName,
    bot: { id: src.ws.ids.botUserId, name: BOT_NAME },
    viewer,
    people: [...src.people],
    conversations,
    ephemerals: src.feed.ephemeralsOf(viewer),
    modal,
    modalErrors: modal ? src.feed.viewErrorsOf(modal.id) : {},
    home: viewOf(src, viewer, 'home'),
    attacker: src.attacker,
    notices: src.feed.noticesOf(viewer),
  };
}
