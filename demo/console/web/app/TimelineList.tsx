/** Messages and the viewer's ephemerals in time order, kept scrolled to the newest. */
import { useEffect, useRef } from 'preact/hooks';
import type { Conversation } from '../../protocol';
import { EphemeralView, MessageView } from './MessageView';
import type { PageContext } from './page-context';
import { renderContextFor } from './page-context';
import type { TimelineItem } from './timeline';

export function TimelineList(props: {
  items: TimelineItem[];
  conversation: Conversation;
  page: PageContext;
  botName: string;
  emptyText: string;
  /** Top-level lists offer "N replies"; a thread's list does not. */
  onOpenThread?: (ts: string) => void;
}) {
  const { items, conversation, page } = props;
  const end = useRef<HTMLDivElement>(null);
  const newest = items[items.length - 1]?.key;

  // Only a new last item (or another conversation) scrolls; a refetch that edits a message in place does not.
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'end' });
  }, [newest, conversation.id]);

  return (
    <div class="app-timeline">
      {items.length === 0 && <p class="app-empty">{props.emptyText}</p>}
      {items.map((item) =>
        item.kind === 'message' ? (
          <MessageView
            key={item.key}
            message={item.message}
            ctx={renderContextFor(page, { kind: 'message', channel: conversation.id, ts: item.message.ts })}
            replies={props.onOpenThread ? (conversation.threads[item.message.ts]?.length ?? 0) : undefined}
            onOpenThread={props.onOpenThread && (() => props.onOpenThread?.(item.message.ts))}
          />
        ) : (
          <EphemeralView
            key={item.key}
            ephemeral={item.ephemeral}
            botName={props.botName}
            ctx={renderContextFor(page, { kind: 'ephemeral', id: item.ephemeral.id })}
          />
        ),
      )}
      <div ref={end} class="app-timeline-end" />
    </div>
  );
}
