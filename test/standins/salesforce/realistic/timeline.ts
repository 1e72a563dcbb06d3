import { addIntegrationSession, addLogin, addSessionFamily, type AddLoginOptions } from '../generator';
import type { Org, SfRecord } from '../org';
import type { GeoPlace } from '../places';
import { SECOND_MS } from './time';

/**
 * The realistic org as a timeline. Every login anyone makes (in the month of history, and in the
 * day the benchmark plays afterwards) is planned up front as a LoginPlan; `Timeline.advanceTo(t)`
 * writes the logins up to `t` into the stand-in's Org and keeps the sessions they opened as
 * Salesforce would: LastModifiedDate moves while the person is active, and a session disappears
 * from AuthSession once `LastModifiedDate + NumSecondsValid` has passed (or its owner logged out).
 */

export interface SessionPlan {
  /** 'ui': a browser login (UI root + Lightning children); 'oauth': one Oauth2 session (mobile app, integration). */
  kind: 'ui' | 'oauth';
  /** Child SessionTypes of a UI root. */
  children?: readonly string[];
  numSecondsValid: number;
  /** The last moment the session is used; LastModifiedDate stops moving then. */
  activeUntil: Date;
  /** How often use refreshes LastModifiedDate (Salesforce does not write it on every request). */
  touchMs: number;
  /** Signed out at this moment (the rows go at once); undefined: left to time out. */
  logoutAt?: Date;
  securityLevel?: string;
}

export interface LoginPlan {
  at: Date;
  userId: string;
  status: string;
  sourceIp: string;
  place: GeoPlace | null;
  loginType: string;
  loginSubType?: string | null;
  application: string;
  browser: string;
  platform: string;
  /** A successful login that opened a session. */
  session?: SessionPlan;
  /** Ground truth: the attack this row belongs to. */
  tag?: string;
}

/** A session with no login of its own: an admin's Login-As (SubstituteUser) on a user. */
export interface SubstitutePlan {
  at: Date;
  userId: string;
  sourceIp: string;
  session: SessionPlan;
  tag?: string;
}

interface LiveSession {
  plan: SessionPlan;
  createdMs: number;
  ids: string[];
  userId: string;
}

/** The rows planted under one tag: what an attack label lists. */
export interface TaggedRows {
  loginHistoryIds: string[];
  sessionIds: string[];
}

/** When `plan`'s session was last used as of `t` (ms). */
export function lastActivityMs(plan: SessionPlan, createdMs: number, t: number): number {
  const until = Math.min(t, plan.activeUntil.getTime());
  if (until <= createdMs) return createdMs;
  return createdMs + Math.floor((until - createdMs) / plan.touchMs) * plan.touchMs;
}

/** Whether the session still exists in AuthSession at `t`. */
export function aliveAt(plan: SessionPlan, createdMs: number, t: number): boolean {
  if (plan.logoutAt && plan.logoutAt.getTime() <= t) return false;
  return lastActivityMs(plan, createdMs, t) + plan.numSecondsValid * SECOND_MS > t;
}

export class Timeline {
  /** Sorted by time once playing; written plans are dropped (set to undefined) so a big org's plans do not pile up. */
  private readonly pending: (LoginPlan | SubstitutePlan | undefined)[] = [];
  private next = 0;
  private live: LiveSession[] = [];
  private readonly tagged = new Map<string, TaggedRows>();
  private appliedUntil = -Infinity;

  constructor(
    private readonly org: Org,
    /** Users whose sessions are kept fresh by the caller's own use (the bot's token). */
    private readonly keepFresh: () => readonly string[] = () => [],
  ) {}

  /** Plans must all be added before the first advanceTo (they are sorted once). */
  add(plan: LoginPlan | SubstitutePlan): void {
    if (this.next > 0 || this.appliedUntil > -Infinity) throw new Error('the timeline is already playing; add plans before advanceTo');
    this.pending.push(plan);
  }

  /** Sorts the plans; called by the first advanceTo. Stable, so equal instants keep their order. */
  private seal(): void {
    this.pending.sort((a, b) => (a?.at.getTime() ?? 0) - (b?.at.getTime() ?? 0));
  }

  get plannedCount(): number {
    return this.pending.length;
  }

  /** Plans at or before `t` (ms) that are not yet written. */
  private *due(t: number): Generator<LoginPlan | SubstitutePlan> {
    for (let plan = this.pending[this.next]; plan && plan.at.getTime() <= t; plan = this.pending[this.next]) {
      this.pending[this.next++] = undefined;
      yield plan;
    }
  }

  /** Writes everything that happened up to `t` and brings every live session to its state at `t`. */
  advanceTo(t: Date): void {
    const ms = t.getTime();
    if (this.appliedUntil === -Infinity) this.seal();
    if (ms < this.appliedUntil) throw new Error('the timeline only moves forward');
    this.appliedUntil = ms;
    const kept: LiveSession[] = [];
    for (const s of this.live) {
      if (aliveAt(s.plan, s.createdMs, ms)) {
        this.touch(s, ms);
        kept.push(s);
      } else for (const id of s.ids) this.org.delete('AuthSession', id);
    }
    this.live = kept;
    for (const plan of this.due(ms)) this.apply(plan, ms);
    const at = t.toISOString();
    for (const userId of this.keepFresh()) {
      for (const row of this.org.byReference('AuthSession', 'UsersId', userId)) row.LastModifiedDate = at;
    }
  }

  /** Rows written so far for a tag. */
  rowsOf(tag: string): TaggedRows {
    return this.tagged.get(tag) ?? { loginHistoryIds: [], sessionIds: [] };
  }

  liveSessionCount(): number {
    return this.live.length;
  }

  private touch(s: LiveSession, ms: number): void {
    const last = lastActivityMs(s.plan, s.createdMs, ms);
    for (const id of s.ids) {
      const row: SfRecord | undefined = this.org.get(id);
      if (!row) continue;
      const created = Date.parse(row.CreatedDate as string);
      row.LastModifiedDate = new Date(Math.max(created, last)).toISOString();
    }
  }

  private record(tag: string | undefined, loginId: string | null, sessionIds: readonly string[]): void {
    if (!tag) return;
    const rows = this.tagged.get(tag) ?? { loginHistoryIds: [], sessionIds: [] };
    if (loginId) rows.loginHistoryIds.push(loginId);
    rows.sessionIds.push(...sessionIds);
    this.tagged.set(tag, rows);
  }

  private apply(plan: LoginPlan | SubstitutePlan, ms: number): void {
    const createdMs = plan.at.getTime();
    if (!('status' in plan)) {
      if (!aliveAt(plan.session, createdMs, ms)) return;
      const id = this.org.newId('AuthSession');
      const last = new Date(lastActivityMs(plan.session, createdMs, ms)).toISOString();
      // Login-As: the admin acts as the user; Salesforce writes no LoginHistory row for the user.
      this.org.insert('AuthSession', {
        Id: id,
        UsersId: plan.userId,
        CreatedDate: plan.at.toISOString(),
        LastModifiedDate: last,
        NumSecondsValid: plan.session.numSecondsValid,
        SessionType: 'SubstituteUser',
        LoginType: 'Application',
        SessionSecurityLevel: 'STANDARD',
        SourceIp: plan.sourceIp,
        UserType: 'Standard',
        LogoutUrl: null,
        LoginHistoryId: null,
        LoginGeoId: null,
        ParentId: id,
        IsCurrent: false,
        IsAssociatedWithJwtAccessToken: false,
      });
      this.live.push({ plan: plan.session, createdMs, ids: [id], userId: plan.userId });
      this.record(plan.tag, null, [id]);
      return;
    }
    const session = plan.session;
    const login: Omit<AddLoginOptions, 'userId' | 'at' | 'sourceIp' | 'place'> = {
      status: plan.status,
      loginType: plan.loginType,
      loginSubType: plan.loginSubType ?? null,
      application: plan.application,
      browser: plan.browser,
      platform: plan.platform,
    };
    if (!session || plan.status !== 'Success' || !aliveAt(session, createdMs, ms)) {
      const id = addLogin(this.org, { ...login, userId: plan.userId, at: plan.at, sourceIp: plan.sourceIp, place: plan.place });
      this.record(plan.tag, id, []);
      return;
    }
    const lastActivityAt = new Date(lastActivityMs(session, createdMs, ms));
    if (session.kind === 'ui') {
      const ids = addSessionFamily(this.org, {
        userId: plan.userId,
        createdAt: plan.at,
        lastActivityAt,
        numSecondsValid: session.numSecondsValid,
        sourceIp: plan.sourceIp,
        place: plan.place,
        loginType: plan.loginType,
        securityLevel: session.securityLevel ?? 'STANDARD',
        children: session.children ?? [],
        login,
      });
      const all = [ids.rootId, ...ids.childIds];
      this.live.push({ plan: session, createdMs, ids: all, userId: plan.userId });
      this.record(plan.tag, ids.loginHistoryId, [ids.rootId]);
      return;
    }
    const made = addIntegrationSession(this.org, {
      userId: plan.userId,
      createdAt: plan.at,
      lastActivityAt,
      numSecondsValid: session.numSecondsValid,
      sourceIp: plan.sourceIp,
      place: plan.place,
      appName: plan.application,
      loginType: plan.loginType,
      loginSubType: plan.loginSubType ?? null,
    });
    // addIntegrationSession writes a headless client; a phone app reports its device.
    this.org.update(made.loginHistoryId, { Browser: plan.browser, Platform: plan.platform });
    this.live.push({ plan: session, createdMs, ids: [made.sessionId], userId: plan.userId });
    this.record(plan.tag, made.loginHistoryId, [made.sessionId]);
  }
}
