/** The right-hand pane: a thread's parent, its replies and the viewer's ephemerals posted in it. */
import type { Conversation, Ephemeral } from '../../protocol';
import { MessageView, repliesLabel } from './MessageView';
import type { PageContext } from './page-context';
import { renderContextFor } from './page-context';
import { mergeTimeline } from './timeline';
import { TimelineList } from './TimelineList';

export function Thread(props: {
  conversation: Conversation;
  parentTs: string;
  ephemerals: Ephemeral[];
  page: PageContext;
  botName: string;
  onClose: () => void;
}) {
  const { conversation, parentTs, page } = props;
  const parent = conversation.messages.find((message) => message.ts === parentTs);
  const replies = conversation.threads[parentTs] ?? [];
  const items = mergeTimeline(replies, props.ephemerals, conversation.id, parentTs);
  const where = conversation.kind === 'channel' ? `#${conversation.name}` : conversation.name;
  return (
    <aside class="app-thread" aria-label="Thread">
      <header class="app-pane-head">
        <div>
          <h2 class="app-pane-title">Thread</h2>
          <span class="app-pane-sub">{where}</span>
        </div>
        <button type="button" class="app-icon-button" aria-label="Close thread" onClick={props.onClose}>
          ×
        </button>
      </header>
      <div class="app-thread-body">
        {parent && <MessageView message={parent} ctx={renderContextFor(page, { kind: 'message', channel: conversation.id, ts: parent.ts })} />}
        <div class="app-thread-divider">
          <span>{repliesLabel(replies.length)}</span>
        </div>
        <TimelineList items={items} conversation={conversation} page={page} botName={props.botName} emptyText="No replies yet." />
      </div>
    </aside>
  );
}
