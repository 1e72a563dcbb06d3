/** The centre pane's message list and composer for a channel or the bot's DM. */
import type { Conversation as ConversationData, Ephemeral } from '../../protocol';
import { Composer } from './Composer';
import type { PageContext } from './page-context';
import { mergeTimeline } from './timeline';
import { TimelineList } from './TimelineList';

export function Conversation(props: {
  conversation: ConversationData;
  ephemerals: Ephemeral[];
  page: PageContext;
  botName: string;
  composerLabel: string;
  onOpenThread: (ts: string) => void;
  onCommand: (line: string) => Promise<boolean>;
}) {
  const items = mergeTimeline(props.conversation.messages, props.ephemerals, props.conversation.id);
  return (
    <div class="app-conversation">
      <TimelineList
        items={items}
        conversation={props.conversation}
        page={props.page}
        botName={props.botName}
        emptyText="No messages yet. Try /sessions in the box below."
        onOpenThread={props.onOpenThread}
      />
      <Composer label={props.composerLabel} onCommand={props.onCommand} />
    </div>
  );
}
