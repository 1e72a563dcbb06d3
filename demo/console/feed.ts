/**
 * What a Slack client remembers that the Slack stand-in does not: the ephemeral answers each person
 * saw (command acks, response_url replies, chat.postEphemeral), which modals they closed, the
 * errors the bot put on a modal, and the console's own notices. Ephemerals are never stored by
 * Slack, so a client that shows them has to follow every response_url it handed out.
 */
import type { SlackStandIn } from '../../test/standins/slack/server';
import type { ConsoleNotice, Ephemeral } from './protocol';

/** Whose response_url it is, and which ephemeral it may replace or delete. */
interface UrlOwner {
  user: string;
  channel: string;
  /** The ephemeral that was clicked; for a command's URL, the last ephemeral it produced (what Slack replaces). */
  ephemeralId?: string;
  /** A slash command's URL has no original message: its first ephemeral answer becomes the one a later replace acts on. */
  fromCommand?: boolean;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const MAX_NOTICES = 20;

/** The numeric id inside a response_url (`…/actions/<team>/<id>/<secret>`), as the stand-in records it. */
export function responseUrlId(url: string): string | undefined {
  return /\/actions\/[A-Z0-9]+\/(\d+)\//.exec(url)?.[1];
}

export class ConsoleFeed {
  private readonly ephemerals = new Map<string, Ephemeral[]>();
  private readonly owners = new Map<string, UrlOwner>();
  private readonly closedViews = new Set<string>();
  private readonly viewErrors = new Map<string, Record<string, string>>();
  private readonly notices = new Map<string, ConsoleNotice[]>();
  /** Where we are in the stand-in's response_url and chat.postEphemeral records. */
  private responsesSeen = 0;
  private postEphemeralsSeen = 0;
  private changes = 0;

  constructor(private readonly slack: SlackStandIn) {}

  /** Changes the console made itself; the SSE version adds it to the stand-in's call counts. */
  get version(): number {
    return this.changes;
  }

  followResponseUrl(url: string, owner: UrlOwner): void {
    const id = responseUrlId(url);
    if (id !== undefined) this.owners.set(id, owner);
  }

  /** A reply only `user` sees, e.g. the text the bot acked a command with. */
  addEphemeral(user: string, channel: string, message: { text: string; blocks: unknown[] | null; threadTs?: string }): Ephemeral {
    const ephemeral: Ephemeral = {
      // A message ts, because Slack puts one on ephemerals too and block_actions carry it as container.message_ts.
      id: this.slack.workspace.nextTs(),
      channel,
      ...(message.threadTs !== undefined ? { threadTs: message.threadTs } : {}),
      text: message.text,
      blocks: message.blocks,
      at: Date.now(),
    };
    const list = this.ephemerals.get(user) ?? [];
    list.push(ephemeral);
    this.ephemerals.set(user, list);
    this.changes += 1;
    return ephemeral;
  }

  ephemeral(user: string, id: string): Ephemeral | undefined {
    return this.ephemerals.get(user)?.find((e) => e.id === id);
  }

  ephemeralsOf(user: string): Ephemeral[] {
    this.catchUp();
    return [...(this.ephemerals.get(user) ?? [])];
  }

  closeView(viewId: string): void {
    this.closedViews.add(viewId);
    this.viewErrors.delete(viewId);
    this.changes += 1;
  }

  isClosed(viewId: string): boolean {
    return this.closedViews.has(viewId);
  }

  setViewErrors(viewId: string, errors: Record<string, string>): void {
    this.viewErrors.set(viewId, errors);
    this.changes += 1;
  }

  viewErrorsOf(viewId: string): Record<string, string> {
    return this.viewErrors.get(viewId) ?? {};
  }

  notify(user: string, level: ConsoleNotice['level'], text: string): void {
    const list = this.notices.get(user) ?? [];
    list.push({ at: Date.now(), level, text });
    this.notices.set(user, list.slice(-MAX_NOTICES));
    this.changes += 1;
  }

  noticesOf(user: string): ConsoleNotice[] {
    return [...(this.notices.get(user) ?? [])];
  }

  /**
   * Applies what the bot sent since last time: response_url posts (new ephemerals, or replacing /
   * deleting the ephemeral they came from; posts on stored messages the stand-in applied itself)
   * and chat.postEphemeral calls.
   */
  catchUp(): void {
    const responses = this.slack.responses;
    for (; this.responsesSeen < responses.length; this.responsesSeen++) {
      const r = responses[this.responsesSeen];
      if (!r || r.status !== 200 || r.fault !== undefined || !isObj(r.body)) continue;
      const owner = this.owners.get(r.urlId);
      if (owner) this.applyResponse(owner, r.body);
    }
    const calls = this.slack.delivered('chat.postEphemeral');
    for (; this.postEphemeralsSeen < calls.length; this.postEphemeralsSeen++) {
      const args = calls[this.postEphemeralsSeen]?.args;
      if (!args || typeof args.user !== 'string' || typeof args.channel !== 'string') continue;
      this.addEphemeral(args.user, args.channel, {
        text: typeof args.text === 'string' ? args.text : '',
        blocks: Array.isArray(args.blocks) ? (args.blocks as unknown[]) : null,
        ...(typeof args.thread_ts === 'string' ? { threadTs: args.thread_ts } : {}),
      });
    }
  }

  private applyResponse(owner: UrlOwner, body: Obj): void {
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? (body.blocks as unknown[]) : null;
    const list = this.ephemerals.get(owner.user) ?? [];
    const original = owner.ephemeralId !== undefined ? list.find((e) => e.id === owner.ephemeralId) : undefined;
    if (body.delete_original === true || body.delete_original === 'true') {
      if (original)
        this.ephemerals.set(
          owner.user,
          list.filter((e) => e !== original),
        );
      this.changes += 1;
      return;
    }
    if (body.replace_original === true || body.replace_original === 'true') {
      if (original) {
        original.text = text;
        original.blocks = blocks;
        this.changes += 1;
      }
      // Replacing a stored message is the stand-in's job (it applied it already).
      return;
    }
    // In-channel answers become real messages in the stand-in.
    if (body.response_type === 'in_channel') return;
    const added = this.addEphemeral(owner.user, owner.channel, { text, blocks, ...(typeof body.thread_ts === 'string' ? { threadTs: body.thread_ts } : {}) });
    if (owner.fromCommand === true) owner.ephemeralId ??= added.id;
  }
}
