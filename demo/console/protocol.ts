/**
 * What the demo console's server and its page say to each other. The page never talks to the bot:
 * it asks the console server, which sends the bot exactly what Slack would (signed, with
 * response_url and trigger_id) through the Slack stand-in's driver. Shared by Node and the browser,
 * so this file imports nothing.
 */

export type Role = 'admin' | 'approver' | 'colleague' | 'compromised';

/** A Slack person the viewer can switch to. */
export interface Person {
  id: string;
  /** Slack handle, e.g. "ada". */
  name: string;
  realName: string;
  email: string;
  role: Role;
  /** One line for the switcher, e.g. "security admin (may run /sessions)". */
  roleLabel: string;
  /** IANA zone: `<!date^…>` tokens render in the viewer's zone, as Slack does. */
  tz: string;
}

/** A file the bot shared (the alert map), served by the console at `url`. */
export interface FileRef {
  id: string;
  title: string;
  altText: string;
  url: string;
}

export interface Message {
  channel: string;
  ts: string;
  /** Set on thread replies (and on a thread's parent, equal to its own ts, when it has replies). */
  threadTs?: string;
  author: { id: string; name: string; isBot: boolean };
  text: string;
  blocks: unknown[] | null;
  /** Changed by chat.update or a response_url replace since it was posted. */
  edited: boolean;
  files: FileRef[];
}

export interface Conversation {
  id: string;
  /** "security" for channels; the other person's name for a DM. */
  name: string;
  kind: 'channel' | 'im';
  /** Top-level messages, oldest first. */
  messages: Message[];
  /** Replies by parent ts, oldest first. */
  threads: Record<string, Message[]>;
}

/** A message only the viewer sees: the bot's ephemeral answers (command acks, response_url replies, chat.postEphemeral). */
export interface Ephemeral {
  id: string;
  channel: string;
  threadTs?: string;
  text: string;
  blocks: unknown[] | null;
  /** Milliseconds since the epoch; orders ephemerals among the channel's messages. */
  at: number;
}

/** A modal or Home view as the bot last sent it (title, blocks, submit, close, callback_id, private_metadata…). */
export interface OpenView {
  id: string;
  view: Record<string, unknown>;
}

/** Something the console itself wants the viewer to know, e.g. "the bot answered HTTP 500 to that click". */
export interface ConsoleNotice {
  at: number;
  level: 'info' | 'error';
  text: string;
}

/** Everything the page shows for one viewer. */
export interface Snapshot {
  version: number;
  workspace: string;
  /** The bot as Slack shows it (its user id and display name). */
  bot: { id: string; name: string };
  viewer: string;
  people: Person[];
  /** Channels the viewer is in, then the viewer's DM with the bot. */
  conversations: Conversation[];
  ephemerals: Ephemeral[];
  /** The viewer's open modal (the latest one not submitted or closed), if any. */
  modal: OpenView | null;
  /** Errors the bot answered to the last submission (`response_action: "errors"`), by block_id. */
  modalErrors: Record<string, string>;
  home: OpenView | null;
  /** The demo's attacker switch: when on, new hostile logins arrive for the compromised colleague. */
  attacker: boolean;
  notices: ConsoleNotice[];
}

export interface OptionObject {
  text: { type: 'plain_text' | 'mrkdwn'; text: string; emoji?: boolean };
  value: string;
  description?: { type: 'plain_text' | 'mrkdwn'; text: string };
}

/** One input's value in Slack's `view.state.values[block_id][action_id]` shape. */
export type InputValue =
  | { type: 'plain_text_input'; value: string | null }
  | { type: 'number_input'; value: string | null }
  | { type: 'checkboxes'; selected_options: OptionObject[] }
  | { type: 'radio_buttons'; selected_option: OptionObject | null }
  | { type: 'static_select'; selected_option: OptionObject | null };

export type StateValues = Record<string, Record<string, InputValue>>;

/** Where a clicked element lives. */
export type ActionSource = { kind: 'message'; channel: string; ts: string } | { kind: 'ephemeral'; id: string } | { kind: 'view'; viewId: string };

// ---- Requests from the page (POST JSON); every answer is `ApiAnswer`. ----

export interface CommandRequest {
  user: string;
  channel: string;
  /** The whole line as typed, e.g. "/sessions bob@acme.com". */
  line: string;
}

export interface ActionRequest {
  user: string;
  source: ActionSource;
  actionId: string;
  blockId: string;
  /** A button's value is taken from the element; for selects and overflows, the chosen option's value. */
  selectedValue?: string;
  /** Current input values of the view (clicks inside a modal carry them, as Slack does). */
  state?: StateValues;
}

export interface SubmitRequest {
  user: string;
  viewId: string;
  values: StateValues;
}

export interface CloseRequest {
  user: string;
  viewId: string;
}

export interface HomeRequest {
  user: string;
}

export interface AttackerRequest {
  on: boolean;
}

export type ApiAnswer = { ok: true } | { ok: false; error: string };

export const API_PATHS = {
  state: '/api/state',
  events: '/api/events',
  command: '/api/command',
  action: '/api/action',
  submit: '/api/submit',
  close: '/api/close',
  home: '/api/home',
  attacker: '/api/attacker',
  files: '/api/files/',
} as const;

/** The server-sent event the page listens to; its data is `{ "version": n }`, then the page fetches its snapshot. */
export const CHANGED_EVENT = 'changed';
