import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';

export type Role = 'admin' | 'approver';

export interface SlackPerson {
  id: string;
  email: string | null;
  name: string;
}

export type AccessDecision =
  | { allowed: true; person: SlackPerson; roles: Role[] }
  | {
      allowed: false;
      reason: string;
      person: SlackPerson | null;
      /** Guest, bot, deactivated, external or foreign account: refused whatever the lists say. */
      ineligible: boolean;
    };

interface UsersInfoUser {
  id?: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_app_user?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  profile?: { email?: string; real_name?: string };
}

export interface AccessOptions {
  admins: string[];
  approvers: string[];
  /** The workspace the bot is installed in (auth.test team_id). */
  teamId: () => string | null;
  cacheTtlMs?: number;
  now?: () => number;
}

/**
 * Who may use the bot and who may approve. Lists hold user ids and user-group ids; groups are
 * resolved with usergroups.users.list and cached briefly (Tier 2 method). Guests, bots, deleted
 * users and people from other workspaces are refused even when listed. Decisions are made at
 * the moment of each request or click, never remembered from when a message was posted.
 */
export class AccessControl {
  private readonly groupCache = new Map<string, { users: Set<string>; at: number }>();
  private readonly ttl: number;
  private readonly now: () => number;

  constructor(
    private readonly client: WebClient,
    private readonly options: AccessOptions,
    private readonly logger: Logger,
  ) {
    this.ttl = options.cacheTtlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  async decide(userId: string, teamId: string | undefined, needed: Role, action: string): Promise<AccessDecision> {
    const decision = await this.evaluate(userId, teamId, needed);
    this.logger.info(
      { slackUser: userId, team: teamId, action, needed, allowed: decision.allowed, ...(decision.allowed ? {} : { reason: decision.reason }) },
      decision.allowed ? 'access granted' : 'access refused',
    );
    return decision;
  }

  /** Roles of a user id from the configured lists (no guest checks). */
  async rolesOf(userId: string): Promise<Role[]> {
    const roles: Role[] = [];
    if (await this.listed(this.options.admins, userId)) roles.push('admin');
    if (await this.listed(this.options.approvers, userId)) roles.push('approver');
    return roles;
  }

  private async evaluate(userId: string, teamId: string | undefined, needed: Role): Promise<AccessDecision> {
    const home = this.options.teamId();
    if (home && teamId && teamId !== home) return { allowed: false, reason: 'request from another workspace', person: null, ineligible: true };

    let user: UsersInfoUser | undefined;
    try {
      const res = (await this.client.users.info({ user: userId })) as { user?: UsersInfoUser };
      user = res.user;
    } catch (err) {
      this.logger.warn({ err: errorSummary(err), slackUser: userId }, 'users.info failed during an access check');
      return { allowed: false, reason: 'could not look up the Slack user', person: null, ineligible: true };
    }
    if (!user) return { allowed: false, reason: 'unknown Slack user', person: null, ineligible: true };
    const person: SlackPerson = { id: userId, email: user.profile?.email ?? null, name: user.real_name ?? user.name ?? userId };
    if (user.deleted) return { allowed: false, reason: 'deactivated Slack account', person, ineligible: true };
    if (user.is_bot || user.is_app_user) return { allowed: false, reason: 'bots cannot use this', person, ineligible: true };
    if (user.is_restricted || user.is_ultra_restricted) return { allowed: false, reason: 'guest account', person, ineligible: true };
    if (user.is_stranger) return { allowed: false, reason: 'external (Slack Connect) user', person, ineligible: true };
    if (home && user.team_id && user.team_id !== home) return { allowed: false, reason: 'user from another workspace', person, ineligible: true };

    const roles = await this.rolesOf(userId);
    const ok = needed === 'approver' ? roles.includes('approver') : roles.length > 0;
    if (!ok) return { allowed: false, reason: needed === 'approver' ? 'not an approver' : 'not an admin or approver', person, ineligible: false };
    return { allowed: true, person, roles };
  }

  private async listed(list: string[], userId: string): Promise<boolean> {
    if (list.includes(userId)) return true;
    for (const entry of list) {
      if (entry.startsWith('S') && (await this.groupMembers(entry)).has(userId)) return true;
    }
    return false;
  }

  private async groupMembers(groupId: string): Promise<Set<string>> {
    const cached = this.groupCache.get(groupId);
    if (cached && this.now() - cached.at < this.ttl) return cached.users;
    try {
      const res = (await this.client.usergroups.users.list({ usergroup: groupId })) as { users?: string[] };
      const users = new Set(res.users ?? []);
      this.groupCache.set(groupId, { users, at: this.now() });
      return users;
    } catch (err) {
      // Fail closed: an unreadable group grants nobody (e.g. plan_upgrade_required on free plans).
      this.logger.warn({ err: errorSummary(err), group: groupId }, 'could not read a user group; treating it as empty');
      return new Set();
    }
  }
}

export function errorSummary(err: unknown): { code?: string; error?: string; message: string } {
  const e = err as { code?: string; data?: { error?: string }; message?: string };
  return { code: e?.code, error: e?.data?.error, message: e?.message ?? String(err) };
}
