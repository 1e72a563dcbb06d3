/**
 * Slack mrkdwn → a small token tree. Pure and total: any string parses, and whatever is not a
 * construct stays as literal text. Entities (&amp; &lt; &gt;) are decoded only inside text leaves,
 * after the structure is read, so an escaped "&lt;script&gt;" is text and never markup.
 */
import { shortcodeAt } from './emoji';
import { isSafeUrl } from './guards';

export type EmphasisKind = 'bold' | 'italic' | 'strike';

export type MrkdwnNode =
  | { kind: 'text'; text: string }
  | { kind: EmphasisKind; children: MrkdwnNode[] }
  | { kind: 'code'; text: string }
  | { kind: 'pre'; text: string }
  | { kind: 'quote'; children: MrkdwnNode[] }
  | { kind: 'break' }
  | { kind: 'link'; url: string; children: MrkdwnNode[] }
  | { kind: 'user'; id: string; label?: string }
  | { kind: 'channel'; id: string; label?: string }
  /** @here, @channel, @everyone and user groups: shown as a label, never resolved. */
  | { kind: 'group'; label: string }
  | { kind: 'date'; epoch: number; format: string; fallback: string; link?: string }
  | { kind: 'emoji'; name: string; char: string };

const EMPHASIS: Readonly<Record<string, EmphasisKind>> = { '*': 'bold', _: 'italic', '~': 'strike' };
const FENCE = '```';

export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt);/g, (_whole, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'));
}

const isWordChar = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
const isSpace = (ch: string | undefined): boolean => ch !== undefined && /\s/.test(ch);

/** Appends already-decoded text, merging with a preceding text leaf so the tree stays small. */
function pushText(nodes: MrkdwnNode[], text: string): void {
  if (text === '') return;
  const last = nodes[nodes.length - 1];
  if (last?.kind === 'text') last.text += text;
  else nodes.push({ kind: 'text', text });
}

/** A `<…|label>` body split at its first bar. */
function splitLabel(inner: string): { head: string; label: string | undefined } {
  const bar = inner.indexOf('|');
  return bar < 0 ? { head: inner, label: undefined } : { head: inner.slice(0, bar), label: inner.slice(bar + 1) };
}

function specialToken(head: string, label: string | undefined): MrkdwnNode | undefined {
  const [name, ...args] = head.split('^');
  switch (name) {
    case 'date': {
      const [epoch, format, link] = args;
      const fallback = decodeEntities(label ?? '');
      if (epoch === undefined || !/^-?\d+$/.test(epoch)) return { kind: 'text', text: fallback };
      const decodedLink = link === undefined ? undefined : decodeEntities(link);
      return {
        kind: 'date',
        epoch: Number(epoch),
        format: decodeEntities(format ?? ''),
        fallback,
        ...(decodedLink !== undefined && isSafeUrl(decodedLink) ? { link: decodedLink } : {}),
      };
    }
    case 'here':
    case 'channel':
    case 'everyone':
      return { kind: 'group', label: `@${name}` };
    case 'subteam':
      return { kind: 'group', label: label !== undefined ? decodeEntities(label) : `@${args[0] ?? 'group'}` };
    default:
      return label !== undefined ? { kind: 'text', text: decodeEntities(label) } : undefined;
  }
}

/** The node for a `<…>` body, or undefined when it is not a Slack token (then it stays literal). */
function angleToken(inner: string): MrkdwnNode | undefined {
  const { head, label } = splitLabel(inner);
  const decodedLabel = label === undefined ? undefined : decodeEntities(label);
  if (head.startsWith('@') && head.length > 1) return { kind: 'user', id: head.slice(1), ...(decodedLabel ? { label: decodedLabel } : {}) };
  if (head.startsWith('#') && head.length > 1) return { kind: 'channel', id: head.slice(1), ...(decodedLabel ? { label: decodedLabel } : {}) };
  if (head.startsWith('!') && head.length > 1) return specialToken(head.slice(1), label);
  if (!/^[a-z][a-z0-9+.-]*:\S+$/i.test(head)) return undefined;
  const url = decodeEntities(head);
  const shown = label !== undefined && label !== '' ? parseInline(label) : [{ kind: 'text' as const, text: url.replace(/^mailto:/i, '') }];
  // A javascript: or data: URL keeps its words but never becomes a link.
  return isSafeUrl(url) ? { kind: 'link', url, children: shown } : { kind: 'text', text: decodedLabel || url };
}

/** Index of the closing emphasis marker for the opener at `open`, skipping code spans and <…> tokens. */
function findCloser(line: string, open: number, marker: string): number | undefined {
  for (let k = open + 2; k < line.length; k += 1) {
    const ch = line[k];
    if (ch === '`' || ch === '<') {
      const end = line.indexOf(ch === '`' ? '`' : '>', k + 1);
      if (end > k) {
        k = end;
        continue;
      }
    }
    if (ch === marker && !isSpace(line[k - 1]) && !isWordChar(line[k + 1])) return k;
  }
  return undefined;
}

/** Inline constructs of one line: emphasis, code, <tokens>, emoji. */
export function parseInline(line: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  let buffer = '';
  const flush = (): void => {
    pushText(nodes, decodeEntities(buffer));
    buffer = '';
  };
  let i = 0;
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (ch === '`') {
      const end = line.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        nodes.push({ kind: 'code', text: decodeEntities(line.slice(i + 1, end)) });
        i = end + 1;
        continue;
      }
    } else if (ch === '<') {
      const end = line.indexOf('>', i + 1);
      const token = end > i + 1 ? angleToken(line.slice(i + 1, end)) : undefined;
      if (token) {
        flush();
        if (token.kind === 'text') pushText(nodes, token.text);
        else nodes.push(token);
        i = end + 1;
        continue;
      }
    } else if (EMPHASIS[ch] !== undefined) {
      const canOpen = !isWordChar(line[i - 1]) && line[i + 1] !== undefined && !isSpace(line[i + 1]);
      const close = canOpen ? findCloser(line, i, ch) : undefined;
      if (close !== undefined) {
        flush();
        nodes.push({ kind: EMPHASIS[ch], children: parseInline(line.slice(i + 1, close)) });
        i = close + 1;
        continue;
      }
    } else if (ch === ':') {
      const found = shortcodeAt(line, i);
      if (found) {
        flush();
        nodes.push({ kind: 'emoji', name: line.slice(i + 1, found.end - 1), char: found.char });
        i = found.end;
        continue;
      }
    }
    buffer += ch;
    i += 1;
  }
  flush();
  return nodes;
}

/** Slack's own clients send quotes as "&gt; " (the text is entity-escaped), so both forms open one. */
const QUOTE_MARKER = /^(?:>|&gt;) ?/;

/** Lines of a stretch of text outside ``` fences: consecutive quoted lines form one quote. */
function parseLines(text: string, nodes: MrkdwnNode[]): void {
  let previousWasLine = false;
  let quote: MrkdwnNode[] | undefined;
  for (const line of text.split('\n')) {
    const marker = QUOTE_MARKER.exec(line);
    if (marker) {
      if (quote) quote.push({ kind: 'break' });
      else {
        quote = [];
        nodes.push({ kind: 'quote', children: quote });
      }
      quote.push(...parseInline(line.slice(marker[0].length)));
      previousWasLine = false;
      continue;
    }
    quote = undefined;
    if (previousWasLine) nodes.push({ kind: 'break' });
    nodes.push(...parseInline(line));
    previousWasLine = true;
  }
}

/** Parses a whole mrkdwn string. ``` fences are read first: nothing inside them is formatting. */
export function parseMrkdwn(text: string): MrkdwnNode[] {
  const nodes: MrkdwnNode[] = [];
  let rest = text;
  for (;;) {
    const open = rest.indexOf(FENCE);
    const close = open < 0 ? -1 : rest.indexOf(FENCE, open + FENCE.length);
    if (close < 0) break;
    // The fence is a block of its own: the line breaks next to it would only add blank lines.
    const before = rest.slice(0, open).replace(/\n$/, '');
    if (before !== '') parseLines(before, nodes);
    const body = rest
      .slice(open + FENCE.length, close)
      .replace(/^\n/, '')
      .replace(/\n$/, '');
    nodes.push({ kind: 'pre', text: decodeEntities(body) });
    rest = rest.slice(close + FENCE.length).replace(/^\n/, '');
  }
  if (rest !== '' || nodes.length === 0) parseLines(rest, nodes);
  return nodes;
}
