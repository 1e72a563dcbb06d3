/**
 * The workspace the Slack stand-in pretends to be: users, user groups, channels, messages,
 * views, issued trigger_ids and response_urls, plus a clock tests can move forward so that
 * time limits (3 s triggers, 30 min response_urls) are tested without waiting.
 */
import { randomBytes } from 'node:crypto';

export interface SlackProfile {
  email: string;
  real_name: string;
  display_name: string;
}

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  deleted: boolean;
  real_name: string;
  tz: string;
  tz_offset: number;
  is_admin: boolean;
  is_owner: boolean;
  is_primary_owner: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  is_restricted: boolean;
  is_ultra_restricted: boolean;
  /** Only present for users from another workspace (Slack Connect), as in real payloads. */
  is_stranger?: boolean;
  /** Enterprise Grid members only: their org and every workspace of it they belong to (`team_id` may name any of them). */
  enterprise_user?: { id: string; enterprise_id: string; enterprise_name: string; is_admin: boolean; is_owner: boolean; teams: string[] };
  profile: SlackProfile;
}

export type UserInput = Partial<Omit<SlackUser, 'profile'>> & { id: string; profile?: Partial<SlackProfile> };

export interface SlackChannel {
  id: string;
  name: string;
  is_private: boolean;
  is_archived: boolean;
  members: string[];
}

export interface ChannelInput {
  id: string;
  name: string;
  is_private?: boolean;
  is_archived?: boolean;
  members: string[];
}

export interface MessageRevision {
  text: string;
  blocks: unknown[] | undefined;
  at: number;
  /** 'chat.update' or 'response_url' */
  via: string;
}

export interface StoredMessage {
  channel: string;
  ts: string;
  thread_ts?: string;
  user: string;
  bot_id?: string;
  text: string;
  blocks: unknown[] | undefined;
  deleted: boolean;
  /** Earlier versions, oldest first; the current text/blocks are not in here. */
  history: MessageRevision[];
  /** Message metadata the app attached (chat.postMessage `metadata`), returned by history reads with include_all_metadata. */
  metadata?: MessageMetadata;
}

export interface MessageMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

export interface EphemeralMessage {
  channel: string;
  user: string;
  message_ts: string;
  thread_ts?: string;
  text: string;
  blocks: unknown[] | undefined;
}

export interface StoredView {
  id: string;
  user_id: string;
  view: Record<string, unknown>;
  hash: string;
}

export interface TriggerGrant {
  userId: string;
  issuedAt: number;
  used: boolean;
}

export interface ResponseUrlContext {
  /** The message a block action came from, so replace_original/delete_original can act on it. */
  channel?: string;
  message_ts?: string;
}

export interface ResponseUrlGrant {
  id: string;
  secret: string;
  issuedAt: number;
  uses: number;
  context: ResponseUrlContext;
}

/** Real time, shifted by however far a test moved the clock. */
export class StandInClock {
  private offsetMs = 0;
  constructor(private readonly base: () => number = Date.now) {}
  now(): number {
    return this.base() + this.offsetMs;
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export interface WorkspaceIds {
  teamId: string;
  teamDomain: string;
  botUserId: string;
  botId: string;
  appId: string;
  /** Set when the workspace belongs to an Enterprise Grid org: auth.test then answers its enterprise_id. */
  enterpriseId?: string;
}

function tzOffsetSeconds(tz: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: tz, timeZoneName: 'longOffset' }).formatToParts(at);
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!m) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  return sign * (Number(m[2]) * 3600 + Number(m[3]) * 60);
}

/** A file from files.getUploadURLExternal on: its bytes once POSTed, where it went once completed. */
export interface StoredFile {
  id: string;
  filename: string;
  /** The size promised to files.getUploadURLExternal. */
  length: number;
  altText: string | null;
  /** What was POSTed to the upload URL; null until then. */
  bytes: Buffer | null;
  title: string | null;
  /** Set by files.completeUploadExternal: the channel (null: kept private) and thread it was shared in. */
  shared: { channel: string | null; threadTs: string | null } | null;
}

export class Workspace {
  readonly users = new Map<string, SlackUser>();
  readonly usergroups = new Map<string, string[]>();
  readonly channels = new Map<string, SlackChannel>();
  readonly messages: StoredMessage[] = [];
  /** chat.postEphemeral posts: never stored as messages, since Slack cannot update or fetch them. */
  readonly ephemerals: EphemeralMessage[] = [];
  readonly views = new Map<string, StoredView>();
  /** Uploads (files.getUploadURLExternal → POST → files.completeUploadExternal), by file id. Not messages: tests count those. */
  readonly files = new Map<string, StoredFile>();
  readonly triggers = new Map<string, TriggerGrant>();
  readonly responseUrls = new Map<string, ResponseUrlGrant>();
  planUpgradeRequired = false;
  private tsCounter = 0;
  private readonly tsBaseMicros: number;
  private idCounter = 0;

  constructor(
    readonly ids: WorkspaceIds,
    readonly clock: StandInClock,
  ) {
    this.tsBaseMicros = Math.floor(clock.now() / 1000) * 1_000_000;
  }

  /** Slack message ts: "<seconds>.<6-digit micros>", strictly increasing per workspace. */
  nextTs(): string {
    this.tsCounter += 1;
    const micros = this.tsBaseMicros + this.tsCounter * 100;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** A Slack-shaped id with the given prefix (V for views, D for IMs, …). */
  nextId(prefix: string): string {
    this.idCounter += 1;
    return `${prefix}0${String(this.idCounter).padStart(8, '0')}`;
  }

  addUser(input: UserInput): SlackUser {
    const email = input.profile?.email ?? `${input.id.toLowerCase()}@warden.example`;
    const name = input.name ?? email.split('@')[0] ?? input.id.toLowerCase();
    const realName = input.real_name ?? input.profile?.real_name ?? name;
    const tz = input.tz ?? 'Europe/London';
    const user: SlackUser = {
      team_id: this.ids.teamId,
      name,
      deleted: false,
      real_name: realName,
      tz,
      tz_offset: tzOffsetSeconds(tz, this.clock.now()),
      is_admin: false,
      is_owner: false,
      is_primary_owner: false,
      is_bot: false,
      is_app_user: false,
      is_restricted: false,
      is_ultra_restricted: false,
      ...input,
      profile: { email, real_name: realName, display_name: input.profile?.display_name ?? name },
    };
    this.users.set(user.id, user);
    return user;
  }

  addUsergroup(id: string, userIds: string[]): void {
    this.usergroups.set(id, [...userIds]);
  }

  addChannel(input: ChannelInput): SlackChannel {
    const channel: SlackChannel = {
      id: input.id,
      name: input.name,
      is_private: input.is_private ?? false,
      is_archived: input.is_archived ?? false,
      members: [...input.members],
    };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** The IM between the bot and a user, created on first use as Slack does for chat.postMessage(channel: U…). */
  imWith(userId: string): SlackChannel {
    for (const c of this.channels.values()) {
      if (c.id.startsWith('D') && c.members.length === 2 && c.members.includes(userId) && c.members.includes(this.ids.botUserId)) {
        return c;
      }
    }
    return this.addChannel({ id: this.nextId('D'), name: userId, is_private: true, members: [userId, this.ids.botUserId] });
  }

  findMessage(channel: string, ts: string): StoredMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  issueTrigger(userId: string): string {
    const id = `${Math.floor(this.clock.now() / 1000)}${this.idCounter++}.${Math.floor(Math.random() * 1e9)}.${randomBytes(16).toString('hex')}`;
    this.triggers.set(id, { userId, issuedAt: this.clock.now(), used: false });
    return id;
  }

  issueResponseUrl(context: ResponseUrlContext): ResponseUrlGrant {
    const grant: ResponseUrlGrant = {
      id: String(1_000_000_000_000 + this.responseUrls.size + 1),
      secret: randomBytes(12).toString('base64url'),
      issuedAt: this.clock.now(),
      uses: 0,
      context,
    };
    this.responseUrls.set(grant.id, grant);
    return grant;
  }
}
