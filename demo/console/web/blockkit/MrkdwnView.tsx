/**
 * Renders parsed mrkdwn and plain_text as Preact elements. Text only ever reaches the page as JSX
 * children or attributes, so whatever the bot sends is escaped by construction.
 */
import type { ComponentChildren } from 'preact';
import { formatSlackDate } from './dates';
import { replaceShortcodes } from './emoji';
import { parseMrkdwn, type MrkdwnNode } from './mrkdwn';
import { currentTime, type TextContext } from './render-options';

function DateText({ node, ctx }: { node: Extract<MrkdwnNode, { kind: 'date' }>; ctx: TextContext }) {
  const shown = formatSlackDate(node.epoch, node.format, { timeZone: ctx.timeZone, now: currentTime(ctx) }) ?? node.fallback;
  const title = new Date(node.epoch * 1000).toISOString();
  return node.link ? (
    <a class="bk-link bk-date" href={node.link} target="_blank" rel="noopener noreferrer" title={title}>
      {shown}
    </a>
  ) : (
    <time class="bk-date" dateTime={title}>
      {shown}
    </time>
  );
}

function renderNode(node: MrkdwnNode, key: number, ctx: TextContext): ComponentChildren {
  const children = (nodes: MrkdwnNode[]): ComponentChildren => nodes.map((child, i) => renderNode(child, i, ctx));
  switch (node.kind) {
    case 'text':
      return node.text;
    case 'bold':
      return <b key={key}>{children(node.children)}</b>;
    case 'italic':
      return <i key={key}>{children(node.children)}</i>;
    case 'strike':
      return <s key={key}>{children(node.children)}</s>;
    case 'code':
      return (
        <code key={key} class="bk-code">
          {node.text}
        </code>
      );
    case 'pre':
      return (
        <pre key={key} class="bk-pre">
          {node.text}
        </pre>
      );
    case 'quote':
      return (
        <blockquote key={key} class="bk-quote">
          {children(node.children)}
        </blockquote>
      );
    case 'break':
      return <br key={key} />;
    case 'link':
      return (
        <a key={key} class="bk-link" href={node.url} target="_blank" rel="noopener noreferrer">
          {children(node.children)}
        </a>
      );
    case 'user':
      return (
        <span key={key} class="bk-mention" data-user-id={node.id}>
          @{ctx.userName(node.id) ?? node.label ?? node.id}
        </span>
      );
    case 'channel':
      return (
        <span key={key} class="bk-mention bk-channel" data-channel-id={node.id}>
          #{ctx.channelName(node.id) ?? node.label ?? node.id}
        </span>
      );
    case 'group':
      return (
        <span key={key} class="bk-mention bk-group">
          {node.label}
        </span>
      );
    case 'date':
      return <DateText key={key} node={node} ctx={ctx} />;
    case 'emoji':
      return (
        <span key={key} class="bk-emoji" title={`:${node.name}:`}>
          {node.char}
        </span>
      );
  }
}

export function Mrkdwn({ text, ctx }: { text: string; ctx: TextContext }) {
  const nodes = parseMrkdwn(text);
  const children = nodes.map((node, i) => renderNode(node, i, ctx));
  // A <pre> or <blockquote> may not sit inside a <span>; such text gets a block wrapper.
  return nodes.some((n) => n.kind === 'pre' || n.kind === 'quote') ? <div class="bk-mrkdwn">{children}</div> : <span class="bk-mrkdwn">{children}</span>;
}

/** plain_text objects: shown literally; `emoji` (Slack's default is true) turns shortcodes into characters. */
export function PlainText({ text, emoji = true }: { text: string; emoji?: boolean }) {
  return <span class="bk-plain">{emoji ? replaceShortcodes(text) : text}</span>;
}
