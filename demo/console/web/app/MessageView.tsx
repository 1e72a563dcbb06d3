/** One message or ephemeral as Slack draws it: avatar, author, time, (edited), blocks or text, files. */
import type { ComponentChildren } from 'preact';
import type { Ephemeral, Message } from '../../protocol';
import { Blocks, Mrkdwn } from '../blockkit';
import type { RenderContext } from '../blockkit/context';
import { clockTime, fullTime } from './time-format';
import { slackTsToMillis } from './timeline';

function Body({ text, blocks, ctx }: { text: string; blocks: unknown[] | null; ctx: RenderContext }) {
  // Slack shows `text` only when there are no blocks; with blocks it is the notification fallback.
  return blocks && blocks.length > 0 ? <Blocks blocks={blocks} ctx={ctx} /> : <Mrkdwn text={text} ctx={ctx} />;
}

function Frame(props: {
  author: string;
  isBot: boolean;
  at: number;
  timeZone: string;
  tag?: ComponentChildren;
  ephemeral?: boolean;
  children: ComponentChildren;
}) {
  return (
    // data-ephemeral marks answers only the viewer sees, for the browser test to find the latest one.
    <article class={props.ephemeral ? 'app-message app-message-ephemeral' : 'app-message'} data-ephemeral={props.ephemeral ? '' : undefined}>
      <div class={props.isBot ? 'app-avatar app-avatar-bot' : 'app-avatar'} aria-hidden="true">
        {props.author.slice(0, 1).toUpperCase()}
      </div>
      <div class="app-message-main">
        <header class="app-message-head">
          <span class="app-author">{props.author}</span>
          {props.isBot && <span class="app-badge">APP</span>}
          <time class="app-time" title={fullTime(props.at, props.timeZone)} dateTime={Number.isFinite(props.at) ? new Date(props.at).toISOString() : undefined}>
            {clockTime(props.at, props.timeZone)}
          </time>
          {props.tag}
        </header>
        {props.children}
      </div>
    </article>
  );
}

export function repliesLabel(count: number): string {
  return count === 1 ? '1 reply' : `${count} replies`;
}

export function MessageView(props: { message: Message; ctx: RenderContext; replies?: number; onOpenThread?: () => void }) {
  const { message, ctx } = props;
  return (
    <Frame
      author={message.author.name}
      isBot={message.author.isBot}
      at={slackTsToMillis(message.ts)}
      timeZone={ctx.timeZone}
      tag={message.edited ? <span class="app-edited">(edited)</span> : undefined}
    >
      <Body text={message.text} blocks={message.blocks} ctx={ctx} />
      {message.files.map((file) => (
        <figure class="app-file" key={file.id}>
          <img src={file.url} alt={file.altText} title={file.title} loading="lazy" />
        </figure>
      ))}
      {props.replies !== undefined && props.replies > 0 && props.onOpenThread && (
        <button type="button" class="app-replies" onClick={props.onOpenThread}>
          {repliesLabel(props.replies)}
        </button>
      )}
    </Frame>
  );
}

export function EphemeralView(props: { ephemeral: Ephemeral; botName: string; ctx: RenderContext }) {
  const { ephemeral, ctx } = props;
  return (
    <Frame author={props.botName} isBot at={ephemeral.at} timeZone={ctx.timeZone} ephemeral tag={<span class="app-only-you">Only visible to you</span>}>
      <Body text={ephemeral.text} blocks={ephemeral.blocks} ctx={ctx} />
    </Frame>
  );
}
