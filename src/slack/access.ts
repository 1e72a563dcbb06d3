import type { WebClient } from '@slack/web-api';
import type { Logger } from '../logger';
import type { AccessUnavailable, Clicker } from '../requests/approval-rules';
import type { PeopleDirectory } from '../requests/service';
import { classifySlackError, safeCode, type SlackFailure } from './errors';

export type Role = 'admin' | 'approver';

export interface SlackPerson {
  id: string;
  email: string | null;
  name: string;
}

/** The clicker may go ahead. `roles` are the roles this check established (at least the one needed). */
export interface AccessGranted {
  allowed: true;
  person: SlackPerson;
  roles: Role[];
}

/** A final "no" about the person: not listed, or a guest, bot, deactivated, external or foreign account. */
export interface AccessRefused {
  allowed: false;
  transient: false;
  reason: string;
  person: SlackPerson | null;
  /** Guest, bot, deactivated, external or foreign account: refused whatever the lists say. */
  ineligible: boolean;
  failure?: undefined;
}

/**
 * No answer about the person, because a Slack call needed for the check failed. `transient` says
 * whether trying again soon can help (Slack down or rate limiting) or an operator must act (bad
 * token, missing scope). Never a statement about the person: listeners must not render it as a
 * refusal ("you are a guest", "you are not an approver").
 */
export interface AccessUnchecked {
  allowed: false;
  transient: boolean;
  reason: string;
  person: SlackPerson | null;
  ineligible: false;
  failure: SlackFailure;
}

export type AccessDecision = AccessGranted | AccessRefused | AccessUnchecked;

interface UsersInfoUser {
  id?: string;
  team_id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  is_restricted?: boolean;
  is_ultra_restricted?: boolean;
  is_stranger?: boolean;
  /** Enterprise Grid only: the org and every workspace of it the member belongs to. */
  enterprise_user?: { enterprise_id?: string; teams?: string[] };
  profile?: { email?: string; real_name?: string };
}

export interface AccessOptions {
  admins: string[];
  approvers: string[];
  /** The workspace the bot is installed in (auth.test team_id). */
  teamId: () => string | null;
  /** The Enterprise Grid org the workspace is part of (auth.test enterprise_id); null outside Grid. */
  enterpriseId?: () => string | null;
  /** How long a user group's members are reused (usergroups.users.list is Tier 2). */
  cacheTtlMs?: number;
  /** How long a "yes" is reused per user and role; see POSITIVE_TTL_MS. */
  positiveTtlMs?: Partial<Record<Role, number>>;
  now?: () => number;
}

/**
 * Positive answers are reused briefly so that a Slack hiccup during a burst of clicks by someone
 * just confirmed does not refuse them. Refusals, and anything caused by an error, are never cached.
 *
 * Approver status gets half the admin TTL. A cached "yes, approver" is safe for 30 s because it is
 * only half of the decision: the request service re-applies the approval rules at click time
 * from the request itself (not the requester, not the target, two distinct approvers for
 * deactivation, not expired, still pending), so the cache can at most let someone approve who
 * was an eligible approver up to 30 s ago. APPROVERS / ADMINS are read at start, so the only
 * inputs that can change meanwhile are Slack's: group membership (itself cached for a minute),
 * guest conversion and deactivation — and a deactivated Slack account cannot click at all.
 *
 * Invalidation: an entry expires after its TTL; a user's cached answers are dropped as soon as a
 * fresh check of them ends in a final refusal that contradicts them (guest, deactivated, bot,
 * external: all roles; "not an admin or approver": all roles; "not an approver": that role), so a
 * stale "yes" for one role cannot outlive a "no" covering it; and when a re-read of a user group
 * no longer lists them.
 */
export const POSITIVE_TTL_MS: Readonly<Record<Role, number>> = { admin: 60_000, approver: 30_000 };

/**
 * When Slack's Web API is down, a profile (and a group's members) read successfully within this
 * window still decides a check, instead of "could not check". A security tool is needed most
 * while things are failing, and the risk is small: the click itself arrived signed by Slack, so the
 * account exists and is signed in; only a guest conversion inside the window could be missed.
 */
export const LAST_KNOWN_MAX_AGE_MS = 24 * 3_600_000;

/** A role's check: held, not held, or unknown because a user group could not be read right now. */
type Membership = { held: true } | { held: false; unreadable?: SlackFailure };

/**
 * Who may use the bot and who may approve. Lists hold user ids and user-group ids; groups are
 * resolved with usergroups.users.list and cached briefly (Tier 2 method). Guests, bots, deleted
 * users and people from other workspaces are refused even when listed. Decisions are made at
 * the moment of each request or click (or reused for a few seconds, see POSITIVE_TTL_MS), never
 * remembered from when a message was posted. When Slack cannot answer, the decision says so
 * (AccessUnchecked) instead of refusing the person.
 */
export class AccessControl {
  private readonly groupCache = new Map<string, { users: Set<string>; at: number }>();
  /** The last profile Slack returned per user, for decisions while Slack cannot answer. */
  private readonly profiles = new Map<string, { user: UsersInfoUser; at: number }>();
  private readonly positive = new Map<string, { decision: AccessGranted; at: number }>();
  private readonly ttl: number;
  private readonly positiveTtl: Record<Role, number>;
  private readonly now: () => number;

  constructor(
    private readonly client: WebClient,
    private readonly options: AccessOptions,
    private readonly logger: Logger,
  ) {
    this.ttl = options.cacheTtlMs ?? 60_000;
    this.positiveTtl = { ...POSITIVE_TTL_MS, ...options.positiveTtlMs };
    this.now = options.now ?? Date.now;
  }

  async decide(userId: string, teamId: string | undefined, needed: Role, action: string): Promise<AccessDecision> {
    const cached = this.cachedYes(userId, teamId, needed);
    const decision = cached ?? (await this.evaluate(userId, teamId, needed));
    this.remember(userId, needed, decision);
    const entry = { slackUser: userId, team: teamId, action, needed, allowed: decision.allowed, ...(cached ? { cached: true } : {}) };
    if (decision.allowed) this.logger.info(entry, 'access granted');
    else if (decision.failure) {
      this.logger.warn({ ...entry, reason: decision.reason, transient: decision.transient, slackError: decision.failure.code }, 'access could not be checked');
    } else this.logger.info({ ...entry, reason: decision.reason }, 'access refused');
    return decision;
  }

  private cachedYes(userId: string, teamId: string | undefined, needed: Role): AccessGranted | null {
    // The workspace check costs nothing and is never skipped.
    if (this.foreignTeam(teamId)) return null;
    const hit = this.positive.get(cacheKey(userId, needed));
    if (!hit) return null;
    if (this.now() - hit.at < this.positiveTtl[needed]) return hit.decision;
    this.positive.delete(cacheKey(userId, needed));
    return null;
  }

  private remember(userId: string, needed: Role, decision: AccessDecision): void {
    if (decision.allowed) {
      if (!this.positive.has(cacheKey(userId, needed))) this.positive.set(cacheKey(userId, needed), { decision, at: this.now() });
    } else if (!decision.failure) {
      // Ineligible, or holding neither role, voids every cached "yes"; "not an approver" only that one.
      if (decision.ineligible || needed === 'admin') this.forget(userId);
      else this.positive.delete(cacheKey(userId, 'approver'));
    }
  }

  private forget(userId: string): void {
    for (const role of ['admin', 'approver'] as const) this.positive.delete(cacheKey(userId, role));
  }

  /**
   * Whether an interaction's payload comes from somewhere the bot is not installed: another
   * Enterprise Grid org (on Grid), any Grid org (outside Grid), or, outside Grid, another workspace.
   * Slack signs every payload it sends, so this only catches what the signature cannot: a payload
   * Slack did send, but for another install of the same app.
   */
  foreignPayload(teamId: string | undefined, enterpriseId: string | null | undefined): boolean {
    const enterprise = this.options.enterpriseId?.() ?? null;
    if (enterprise) return enterpriseId !== enterprise;
    if (enterpriseId) return true;
    return this.foreignTeam(teamId);
  }

  /**
   * A click whose payload names another workspace. On Enterprise Grid a member of this workspace may act from another
   * workspace of the org (a shared channel), so there the payload's team decides nothing: the profile check does.
   */
  private foreignTeam(teamId: string | undefined): boolean {
    const home = this.options.teamId();
    if (this.options.enterpriseId?.()) return false;
    return Boolean(home && teamId && teamId !== home);
  }

  /**
   * Whether the profile belongs to this workspace. On Grid `team_id` may name another workspace of the org the person
   * also belongs to; `enterprise_user.teams` lists every workspace they are in, and the org must be ours.
   */
  private memberHere(user: UsersInfoUser, home: string | null): boolean {
    if (!home || !user.team_id || user.team_id === home) return true;
    const enterprise = this.options.enterpriseId?.() ?? null;
    const grid = user.enterprise_user;
    return Boolean(enterprise && grid?.enterprise_id === enterprise && grid.teams?.includes(home));
  }

  private async evaluate(userId: string, teamId: string | undefined, needed: Role): Promise<AccessDecision> {
    if (this.foreignTeam(teamId)) return refused('request from another workspace', null, true);
    const home = this.options.teamId();

    let user: UsersInfoUser | undefined;
    try {
      user = await this.profile(userId);
    } catch (err) {
      const failure = classifySlackError(err);
      if (failure?.code === 'user_not_found' || failure?.code === 'user_not_visible') return refused('unknown Slack user', null, true);
      this.logger.warn({ err: errorSummary(err), slackUser: userId }, 'users.info failed during an access check');
      const known = this.profiles.get(userId);
      if (!failure?.transient || !known || this.now() - known.at > LAST_KNOWN_MAX_AGE_MS) return unchecked(failure ?? unexpected(err), null);
      this.logger.warn({ slackUser: userId, profileAgeMs: this.now() - known.at }, 'Slack did not answer; deciding on the profile it gave last');
      user = known.user;
    }
    if (!user) return refused('unknown Slack user', null, true);
    const person: SlackPerson = { id: userId, email: user.profile?.email ?? null, name: user.real_name ?? user.name ?? userId };
    if (user.deleted) return refused('deactivated Slack account', person, true);
    // Only is_bot marks a bot. is_app_user means "an authorized user of the calling app" (Slack's user type), which is
    // true of whoever installed it — typically the admin who must be able to use it.
    if (user.is_bot) return refused('bots cannot use this', person, true);
    if (user.is_restricted || user.is_ultra_restricted) return refused('guest account', person, true);
    if (user.is_stranger) return refused('external (Slack Connect) user', person, true);
    if (!this.memberHere(user, home)) return refused('user from another workspace', person, true);

    const admin = await this.membership(this.options.admins, userId);
    const approver = await this.membership(this.options.approvers, userId);
    const roles: Role[] = [...(admin.held ? (['admin'] as const) : []), ...(approver.held ? (['approver'] as const) : [])];
    const ok = needed === 'approver' ? approver.held : admin.held || approver.held;
    if (ok) return { allowed: true, person, roles };

    // Fail closed, but say why: a group Slack could not list right now is "unknown", not "no".
    const unreadable = (needed === 'approver' ? [approver] : [admin, approver]).map(unreadableOf).find((f) => f !== undefined);
    if (unreadable) return unchecked(unreadable, person);
    return refused(needed === 'approver' ? 'not an approver' : 'not an admin or approver', person, false);
  }

  private async profile(userId: string): Promise<UsersInfoUser | undefined> {
    const res = (await this.client.users.info({ user: userId })) as { user?: UsersInfoUser };
    if (res.user) this.profiles.set(userId, { user: res.user, at: this.now() });
    else this.profiles.delete(userId);
    return res.user;
  }

  /**
   * Reads the profiles of everyone listed by id and the members of every listed group, so that
   * checks can still be decided while Slack's Web API is failing (see LAST_KNOWN_MAX_AGE_MS).
   * Best effort: a failure here only leaves the cache as it was. Returns how many were read.
   */
  async warm(): Promise<number> {
    let read = 0;
    const listed = [...new Set([...this.options.admins, ...this.options.approvers])];
    const ids = new Set(listed.filter((e) => !e.startsWith('S')));
    for (const group of listed.filter((e) => e.startsWith('S'))) {
      const members = await this.groupMembers(group, true);
      if (!('failure' in members)) for (const m of members) ids.add(m);
    }
    for (const id of ids) {
      try {
        await this.profile(id);
        read += 1;
      } catch (err) {
        this.logger.debug({ err: errorSummary(err), slackUser: id }, 'could not read a listed profile ahead of time');
      }
    }
    return read;
  }

  /** Whether a list (user ids and S… group ids) names the user; direct entries need no Slack call. */
  private async membership(list: string[], userId: string): Promise<Membership> {
    if (list.includes(userId)) return { held: true };
    let unreadable: SlackFailure | undefined;
    for (const entry of list) {
      if (!entry.startsWith('S')) continue;
      const members = await this.groupMembers(entry);
      if ('failure' in members) unreadable ??= members.failure;
      else if (members.has(userId)) return { held: true };
    }
    return unreadable ? { held: false, unreadable } : { held: false };
  }

  /**
   * A group's members. A final failure (plan_upgrade_required on free plans, no_such_subteam,
   * missing_scope) is cached as an empty group: it grants nobody, and asking again every click
   * would only spend the Tier 2 allowance. A transient failure is not cached and is reported, so
   * the caller can say "could not check" instead of "not an admin".
   */
  private async groupMembers(groupId: string, fresh = false): Promise<Set<string> | { failure: SlackFailure }> {
    const cached = this.groupCache.get(groupId);
    if (!fresh && cached && this.now() - cached.at < this.ttl) return cached.users;
    try {
      const res = (await this.client.usergroups.users.list({ usergroup: groupId })) as { users?: string[] };
      const users = new Set(res.users ?? []);
      for (const left of cached?.users ?? []) if (!users.has(left)) this.forget(left);
      this.groupCache.set(groupId, { users, at: this.now() });
      return users;
    } catch (err) {
      const failure = classifySlackError(err) ?? unexpected(err);
      if (failure.transient) {
        if (cached && this.now() - cached.at <= LAST_KNOWN_MAX_AGE_MS) {
          this.logger.warn({ err: errorSummary(err), group: groupId }, 'could not read a user group right now; using the members Slack listed last');
          return cached.users;
        }
        this.logger.warn({ err: errorSummary(err), group: groupId }, 'could not read a user group right now; its members are unknown for this check');
        return { failure };
      }
      this.logger.warn({ err: errorSummary(err), group: groupId }, 'could not read a user group; treating it as empty');
      this.groupCache.set(groupId, { users: new Set(), at: this.now() });
      return new Set();
    }
  }
}

/**
 * The approval rules' view of whoever clicked Approve / Deny, from a decision about the
 * 'approver' role. `unavailable` (with why) when Slack could not say who they are: the request service then
 * refuses the click as access_unavailable and changes nothing — it is never taken for a guest.
 */
export function clickerFrom(userId: string, decision: AccessDecision): Clicker | { unavailable: AccessUnavailable } {
  if (decision.allowed) return { id: userId, email: decision.person.email, isApprover: true, isGuest: false };
  if (decision.failure) {
    const { transient, sentence, retryAfterSec } = decision.failure;
    return { unavailable: { transient, sentence, ...(retryAfterSec !== undefined ? { retryAfterSec } : {}) } };
  }
  return { id: userId, email: decision.person?.email ?? null, isApprover: false, isGuest: decision.ineligible };
}

/** The request service's PeopleDirectory over AccessControl (checked at each click). */
export function approverDirectory(access: AccessControl): PeopleDirectory {
  return {
    clicker: async (slackUserId) => clickerFrom(slackUserId, await access.decide(slackUserId, undefined, 'approver', 'approve / deny click')),
  };
}

function unreadableOf(m: Membership): SlackFailure | undefined {
  return m.held ? undefined : m.unreadable;
}

function cacheKey(userId: string, role: Role): string {
  return `${role}:${userId}`;
}

function refused(reason: string, person: SlackPerson | null, ineligible: boolean): AccessRefused {
  return { allowed: false, transient: false, reason, person, ineligible };
}

function unchecked(failure: SlackFailure, person: SlackPerson | null): AccessUnchecked {
  const reason = failure.transient ? `could not check your access right now (Slack: ${failure.code})` : `could not check your access (Slack: ${failure.code})`;
  return { allowed: false, transient: failure.transient, reason, person, ineligible: false, failure };
}

/**
 * Something other than a Slack API error escaped the client (a bug here or in the library). It is
 * reported as a final "could not check", never as a refusal of the person.
 */
function unexpected(err: unknown): SlackFailure {
  const name = err instanceof Error ? safeCode(err.name, 'Error') : typeof err;
  return { transient: false, code: 'unexpected', sentence: `The bot hit an internal error (${name}) while asking Slack; the log has the detail.` };
}

export function errorSummary(err: unknown): { code?: string; error?: string; message: string } {
  const e = err as { code?: string; data?: { error?: string }; message?: string };
  return { code: e?.code, error: e?.data?.error, message: e?.message ?? String(err) };
}
