/** Names for `<@U…>` and `<#C…>` in rendered text, from what the snapshot already holds. */
import type { Snapshot } from '../../protocol';

export interface Directory {
  userName: (id: string) => string | undefined;
  channelName: (id: string) => string | undefined;
}

export function directoryOf(snapshot: Pick<Snapshot, 'people' | 'conversations'>): Directory {
  const users = new Map<string, string>();
  // Authors first, people last: a listed person's real name wins over a message's handle, and the
  // bot (not a person) still gets its name from its own messages.
  for (const conversation of snapshot.conversations) {
    for (const message of [...conversation.messages, ...Object.values(conversation.threads).flat()]) users.set(message.author.id, message.author.name);
  }
  for (const person of snapshot.people) users.set(person.id, person.realName);
  const channels = new Map(snapshot.conversations.map((conversation) => [conversation.id, conversation.name]));
  return { userName: (id) => users.get(id), channelName: (id) => channels.get(id) };
}
