/**
 * Turns what a person did in the console into what Slack sends the bot: a slash command, a
 * block_actions click, a view_submission, an app_home_opened event — signed, with a fresh
 * trigger_id and response_url, through the Slack stand-in's driver. The bot's answers (acks and
 * later response_url posts) are recorded in the feed, as a Slack client would show them.
 */
import type { SlackDriver } from '../../test/standins/slack/driver';
import type { Workspace } from '../../test/standins/slack/state';
import type { ConsoleFeed } from './feed';
import type { ActionRequest, CommandRequest, HomeRequest, SubmitRequest, CloseRequest } from './protocol';

/** A refusal the page shows as it is: bad input from the page, or the bot answering badly. */
export class InteractionError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The workspace's slash commands are the bot's (manifest.yml); anything else gets Slack's own "not a valid command". */
const COMMANDS = ['/sessions'];

export function parseSlashLine(line: string): { command: string; text: string } | { problem: string } {
  const trimmed = line.trim();
  const m = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(trimmed);
  if (!m?.[1]) return { problem: 'Type a slash command, e.g. /sessions bob@acme.com' };
  const command = m[1].toLowerCase();
  if (!COMMANDS.includes(command)) return { problem: `${command} is not a valid command. This workspace has ${COMMANDS.join(', ')}.` };
  return { command, text: (m[2] ?? '').trim() };
}

export class Interactions {
  constructor(
    private readonly ws: Workspace,
    private readonly driver: SlackDriver,
    private readonly feed: ConsoleFeed,
  ) {}

  private person(user: string): void {
    if (!this.ws.users.has(user)) throw new InteractionError(`Unknown Slack user ${user}`);
  }

  /** The bot must answer 2xx within Slack's 3 s; anything else is what Slack would show as "failed with the error …". */
  private checkAck(user: string, what: string, status: number): void {
    if (status >= 200 && status < 300) return;
    const text = `The bot answered HTTP ${status} to your ${what}; Slack would show it as failed.`;
    this.feed.notify(user, 'error', text);
    throw new InteractionError(text, 502);
  }

  async command({ user, channel, line }: CommandRequest): Promise<void> {
    this.person(user);
    const parsed = parseSlashLine(line);
    if ('problem' in parsed) throw new InteractionError(parsed.problem);
    const result = await this.drive(() => this.driver.command({ user_id: user, channel_id: channel, command: parsed.command, text: parsed.text }));
    this.feed.followResponseUrl(result.responseUrl, { user, channel, fromCommand: true });
    this.checkAck(user, `${parsed.command} command`, result.status);
    this.keepAckAnswer(user, channel, result.body);
  }

  async action(request: ActionRequest): Promise<void> {
    const { user, source } = request;
    this.person(user);
    const action = { action_id: request.actionId, block_id: request.blockId, ...(request.selectedValue !== undefined ? { value: request.selectedValue } : {}) };
    const result = await this.drive(async () => {
      switch (source.kind) {
        case 'message':
          return this.driver.blockAction({ user_id: user, actions: [action], message: { channel: source.channel, ts: source.ts } });
        case 'ephemeral': {
          const ephemeral = this.feed.ephemeral(user, source.id);
          if (!ephemeral) throw new InteractionError('That message is gone (it was only visible to you and has been replaced).');
          const res = await this.driver.blockAction({
            user_id: user,
            actions: [action],
            ephemeral: true,
            channel_id: ephemeral.channel,
            message: { channel: ephemeral.channel, ts: ephemeral.id, text: ephemeral.text, blocks: ephemeral.blocks ?? [] },
          });
          if (res.responseUrl !== undefined) this.feed.followResponseUrl(res.responseUrl, { user, channel: ephemeral.channel, ephemeralId: ephemeral.id });
          return res;
        }
        case 'view':
          return this.driver.blockAction({ user_id: user, actions: [action], view: { id: source.viewId }, state: { values: request.state ?? {} } });
      }
    });
    if (source.kind === 'message' && result.responseUrl !== undefined) this.feed.followResponseUrl(result.responseUrl, { user, channel: source.channel });
    this.checkAck(user, 'click', result.status);
  }

  async submit({ user, viewId, values }: SubmitRequest): Promise<void> {
    this.person(user);
    const stored = this.ws.views.get(viewId);
    if (!stored || stored.user_id !== user || this.feed.isClosed(viewId)) throw new InteractionError('That form is no longer open.');
    const callbackId = typeof stored.view.callback_id === 'string' ? stored.view.callback_id : '';
    const privateMetadata = typeof stored.view.private_metadata === 'string' ? stored.view.private_metadata : '';
    const result = await this.drive(() =>
      this.driver.viewSubmission({ user_id: user, view: { id: viewId, callback_id: callbackId, private_metadata: privateMetadata, state: { values } } }),
    );
    this.checkAck(user, 'form submission', result.status);
    const body = isObj(result.body) ? result.body : {};
    if (body.response_action === 'errors' && isObj(body.errors)) {
      this.feed.setViewErrors(viewId, Object.fromEntries(Object.entries(body.errors).map(([k, v]) => [k, String(v)])));
      return;
    }
    // No response_action (or "clear"): Slack closes the modal.
    this.feed.closeView(viewId);
  }

  close({ user, viewId }: CloseRequest): void {
    this.person(user);
    const stored = this.ws.views.get(viewId);
    if (!stored || stored.user_id !== user) throw new InteractionError('That form is not open.');
    this.feed.closeView(viewId);
  }

  async home({ user }: HomeRequest): Promise<void> {
    this.person(user);
    const result = await this.drive(() => this.driver.appHomeOpened({ user_id: user, tab: 'home' }));
    this.checkAck(user, 'Home tab', result.status);
  }

  /** The driver throws when the page asks for something a Slack user could not do (a button not on that message). */
  private async drive<T>(send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (e) {
      if (e instanceof InteractionError) throw e;
      const message = e instanceof Error ? e.message : String(e);
      if (/fetch failed|ECONNREFUSED|aborted|timeout/i.test(message)) throw new InteractionError(`The bot did not answer (${message}).`, 502);
      throw new InteractionError(message);
    }
  }

  /** Text or blocks in an ack reach the user as an ephemeral message. */
  private keepAckAnswer(user: string, channel: string, body: unknown): void {
    if (typeof body === 'string' && body.trim() !== '') {
      this.feed.addEphemeral(user, channel, { text: body, blocks: null });
    } else if (isObj(body) && (typeof body.text === 'string' || Array.isArray(body.blocks))) {
      this.feed.addEphemeral(user, channel, {
        text: typeof body.text === 'string' ? body.text : '',
        blocks: Array.isArray(body.blocks) ? (body.blocks as unknown[]) : null,
      });
    }
  }
}
