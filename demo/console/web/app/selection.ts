/**
 * What the centre pane shows: a channel, or the bot's DM on its Home or Messages tab. Kept as data
 * so switching viewers can check it still exists for the new viewer.
 */
import type { Conversation, Snapshot } from '../../protocol';

export type Selection = { kind: 'channel'; id: string } | { kind: 'app'; tab: 'home' | 'messages' };

export function channelsOf(snapshot: Pick<Snapshot, 'conversations'>): Conversation[] {
  return snapshot.conversations.filter((conversation) => conversation.kind === 'channel');
}

/** The viewer's DM with the bot (the snapshot lists only that DM). */
export function botDmOf(snapshot: Pick<Snapshot, 'conversations'>): Conversation | undefined {
  return snapshot.conversations.find((conversation) => conversation.kind === 'im');
}

/** The first channel, as Slack opens the workspace on a channel; the bot's DM when the viewer is in none. */
export function defaultSelection(snapshot: Pick<Snapshot, 'conversations'>): Selection {
  const first = channelsOf(snapshot)[0];
  return first ? { kind: 'channel', id: first.id } : { kind: 'app', tab: 'messages' };
}

/** Keeps the current selection when the new snapshot still has it (another viewer may not be in that channel). */
export function resolveSelection(current: Selection | null, snapshot: Pick<Snapshot, 'conversations'>): Selection {
  if (current?.kind === 'app') return current;
  if (current?.kind === 'channel' && channelsOf(snapshot).some((channel) => channel.id === current.id)) return current;
  return defaultSelection(snapshot);
}

/** The conversation the selection shows messages of; undefined on the Home tab or when it is gone. */
export function selectedConversation(selection: Selection, snapshot: Pick<Snapshot, 'conversations'>): Conversation | undefined {
  if (selection.kind === 'channel') return channelsOf(snapshot).find((channel) => channel.id === selection.id);
  return selection.tab === 'messages' ? botDmOf(snapshot) : undefined;
}
