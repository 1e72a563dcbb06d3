/**
 * Sends what Slack sends to the bot: slash commands, button clicks and modal submissions, over
 * signed HTTP or over Socket Mode. Both drivers build the same payloads (payloads.ts), so a test
 * can run once per transport and expect the same behaviour.
 */
import {
  appHomeOpenedPayload,
  blockActionPayload,
  commandFields,
  DEFAULT_CHANNEL_ID,
  viewSubmissionPayload,
  type AppHomeOpenedInput,
  type BlockActionInput,
  type CommandInput,
  type ViewSubmissionInput,
} from './payloads';
import { signedHeaders, type Forge } from './signing';
import type { SocketModeServer } from './socket-mode';
import type { ResponseUrlContext, Workspace } from './state';

export interface DriverResult {
  /** HTTP status of the bot's answer (200 for a Socket Mode ack). */
  status: number;
  /** The ack body: parsed JSON, else text, else null when the bot acked with nothing. */
  body: unknown;
  triggerId: string;
  /** The response_url handed to the bot (absent for view submissions and clicks inside modals). */
  responseUrl?: string;
}

export interface CommandResult extends DriverResult {
  responseUrl: string;
}

export interface SendOptions {
  /** HTTP only: break the signature to prove the bot rejects the request. */
  forge?: Forge;
}

export interface SlackDriver {
  command(input: CommandInput, options?: SendOptions): Promise<CommandResult>;
  blockAction(input: BlockActionInput, options?: SendOptions): Promise<DriverResult>;
  viewSubmission(input: ViewSubmissionInput, options?: SendOptions): Promise<DriverResult>;
  /** The `app_home_opened` event (Events API `event_callback`), as Slack sends it when a user opens the app's Home. */
  appHomeOpened(input: AppHomeOpenedInput, options?: SendOptions): Promise<{ status: number; body: unknown; eventId: string }>;
}

/** What the drivers need from the stand-in. */
export interface DriverHost {
  ws: Workspace;
  signingSecret: string;
  newResponseUrl(context: ResponseUrlContext): string;
  socket: SocketModeServer;
}

type Kind = 'command' | 'interactive' | 'event';
type Deliver = (kind: Kind, body: Record<string, unknown>, options: SendOptions) => Promise<{ status: number; body: unknown }>;

function buildDriver(host: DriverHost, deliver: Deliver): SlackDriver {
  const { ws } = host;
  return {
    async command(input, options = {}) {
      const channel = input.channel_id ?? DEFAULT_CHANNEL_ID;
      const responseUrl = host.newResponseUrl({ channel });
      const triggerId = ws.issueTrigger(input.user_id);
      const fields = commandFields(ws, input, responseUrl, triggerId);
      const reply = await deliver('command', fields, options);
      return { ...reply, responseUrl, triggerId };
    },
    async blockAction(input, options = {}) {
      const triggerId = ws.issueTrigger(input.user_id);
      const channel = input.message?.channel ?? input.channel_id ?? DEFAULT_CHANNEL_ID;
      // Slack sends no response_url for clicks inside a modal.
      const responseUrl = input.view ? undefined : host.newResponseUrl({ channel, ...(input.message ? { message_ts: input.message.ts } : {}) });
      const payload = blockActionPayload(ws, input, triggerId, responseUrl);
      const reply = await deliver('interactive', payload, options);
      return { ...reply, triggerId, ...(responseUrl ? { responseUrl } : {}) };
    },
    async viewSubmission(input, options = {}) {
      const triggerId = ws.issueTrigger(input.user_id);
      const payload = viewSubmissionPayload(ws, input, triggerId);
      return { ...(await deliver('interactive', payload, options)), triggerId };
    },
    async appHomeOpened(input, options = {}) {
      const eventId = ws.nextId('Ev');
      return { ...(await deliver('event', appHomeOpenedPayload(ws, input, eventId), options)), eventId };
    },
  };
}

async function readReply(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  if ((res.headers.get('content-type') ?? '').includes('json')) return JSON.parse(text) as unknown;
  return text;
}

/** Signed HTTP requests to the bot's request URL (e.g. http://127.0.0.1:PORT/slack/events). */
export function httpDriver(host: DriverHost, botUrl: string): SlackDriver {
  return buildDriver(host, async (kind, body, options) => {
    // Events arrive as a JSON body; commands and interactions as a form (interactions in its `payload` field).
    const raw =
      kind === 'command'
        ? new URLSearchParams(body as Record<string, string>).toString()
        : kind === 'event'
          ? JSON.stringify(body)
          : new URLSearchParams({ payload: JSON.stringify(body) }).toString();
    const headers = signedHeaders(host.signingSecret, raw, Date.now(), options.forge);
    if (kind === 'event') headers['content-type'] = 'application/json';
    const res = await fetch(botUrl, {
      method: 'POST',
      // Bolt verifies against the real clock, whatever the stand-in clock says.
      headers,
      body: raw,
      signal: AbortSignal.timeout(10_000),
    });
    return { status: res.status, body: await readReply(res) };
  });
}

/** Envelopes over the Socket Mode connection the bot opened through apps.connections.open. */
export function socketDriver(host: DriverHost): SlackDriver {
  return buildDriver(host, async (kind, body, options) => {
    if (options.forge) throw new Error('forge applies to signed HTTP only; Socket Mode has no request signatures');
    const ack = await host.socket.send(kind === 'command' ? 'slash_commands' : kind === 'event' ? 'events_api' : 'interactive', body);
    const payload = ack.payload;
    // An ack() with no argument arrives as an empty payload; report it as HTTP would (no body).
    const empty = payload === undefined || (typeof payload === 'object' && payload !== null && Object.keys(payload).length === 0);
    return { status: 200, body: empty ? null : payload };
  });
}
