import { rng, type Rng } from '../test/standins/salesforce/generator';
import type { Org } from '../test/standins/salesforce/org';
import type { GeoPlace } from '../test/standins/salesforce/places';
import { attackOnce } from './org/attack';
import { endFamily, liveUiFamilies, loginRefusal, touchFamily, type LiveFamily } from './org/families';
import { connectNow } from './org/integration';
import { OPEN_LOGIN_MAX_MINUTES, signInNow, type OrdinaryUser } from './org/ordinary';
import { MINUTE_MS } from './org/time';
import type { DemoOrg } from './org';

/**
 * Life in the demo org while someone watches: colleagues sign in and out, pipelines connect, and —
 * when the attacker switch is on — someone keeps using Bob's stolen password from a new country.
 * Quiet steps never give the bot a reason to speak; every attack round does.
 */

export interface PlaceName {
  city: string;
  country: string;
  countryIso: string;
}

interface EventBase {
  /** When the step ran (ISO-8601 UTC); the rows it wrote are at or a little before this. */
  at: string;
  userId: string;
  username: string;
}

export interface LoginActivity extends EventBase {
  kind: 'login';
  place: PlaceName;
  sourceIp: string;
  /** Session family, root first. */
  sessionIds: string[];
  /** One wrong password just before (a single failure is not a "failed logins" run). */
  mistypedFirst: boolean;
}

export interface LogoutActivity extends EventBase {
  kind: 'logout';
  /** 'before-timeout': a login near the session timeout ends, as a person's working stint does. */
  reason: 'signed-out' | 'before-timeout';
  sessionIds: string[];
}

export interface IntegrationActivity extends EventBase {
  kind: 'integration-session';
  appName: string;
  sourceIp: string;
  sessionId: string;
}

export interface AttackActivity extends EventBase {
  kind: 'attack';
  place: PlaceName;
  sourceIp: string;
  failures: number;
  outcome: 'signed-in' | 'refused';
  /** Salesforce's status for the last attempt when refused (frozen, inactive, password reset). */
  refusal: string | null;
  sessionIds: string[];
  newCountry: boolean;
}

export type ActivityEvent = LoginActivity | LogoutActivity | IntegrationActivity | AttackActivity;

export interface DemoActivityOptions {
  /** The org the Salesforce stand-in serves: the one `demo` was built into. */
  org: Org;
  demo: DemoOrg;
  now: () => Date;
  seed?: number;
  /** Told what each timer step did (start()); step() callers get the events back instead. */
  onStep?: (events: ActivityEvent[]) => void;
  /** A timer step failed; the timer has stopped. Without it the error is thrown (a bug in the demo). */
  onError?: (error: Error) => void;
  /** Whether the security team has reset this user's password (e.g. from the stand-in's passwordResets). */
  passwordWasReset?: (userId: string) => boolean;
  /** Ordinary logins older than this end before the session-timeout rule could flag them. */
  signOutAfterMinutes?: number;
}

const SIGN_IN_CHANCE = 0.6;
const SIGN_OUT_CHANCE = 0.35;
const PIPELINE_CHANCE = 0.5;
/** Nobody keeps more than this many browser logins open. */
const MAX_OPEN_LOGINS = 3;
/** Just past the oldest login the org starts with (a working day's), and well inside the 16 h working day session-timeout allows. */
const DEFAULT_SIGN_OUT_AFTER_MINUTES = OPEN_LOGIN_MAX_MINUTES + 5;
export const DEFAULT_ACTIVITY_SEED = 1111;

function placeName(place: GeoPlace): PlaceName {
  return { city: place.city, country: place.country, countryIso: place.countryIso };
}

export class DemoActivity {
  private readonly org: Org;
  private readonly demo: DemoOrg;
  private readonly now: () => Date;
  private readonly r: Rng;
  private readonly options: DemoActivityOptions;
  private readonly signOutAfterMs: number;
  private attackerOn = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: DemoActivityOptions) {
    const { org, demo } = options;
    const bob = org.get(demo.compromised.userId);
    if (bob?.Username !== demo.compromised.username) {
      throw new Error(
        `demo activity: the org given is not the one the demo org was built into (no ${demo.compromised.username} with id ${demo.compromised.userId})`,
      );
    }
    this.org = org;
    this.demo = demo;
    this.now = options.now;
    this.r = rng(options.seed ?? DEFAULT_ACTIVITY_SEED);
    this.options = options;
    this.signOutAfterMs = (options.signOutAfterMinutes ?? DEFAULT_SIGN_OUT_AFTER_MINUTES) * MINUTE_MS;
  }

  get attacker(): boolean {
    return this.attackerOn;
  }

  setAttacker(on: boolean): void {
    this.attackerOn = on;
  }

  get running(): boolean {
    return this.timer !== null;
  }

  /** One round of changes to the org; returns what happened, in order. */
  step(): ActivityEvent[] {
    const now = this.now();
    const at = now.toISOString();
    this.keepLongLivedSessionsAlive(now);
    const events: ActivityEvent[] = this.signOutAgeingLogins(now, at);
    // Every chance is drawn each step, in a fixed order, so a seed gives one sequence of steps.
    const signIn = this.r.chance(SIGN_IN_CHANCE);
    const signOut = this.r.chance(SIGN_OUT_CHANCE);
    const pipeline = this.r.chance(PIPELINE_CHANCE);
    if (signIn) events.push(...this.someoneSignsIn(now, at));
    if (signOut) events.push(...this.someoneSignsOut(at));
    if (pipeline) events.push(this.pipelineConnects(now, at));
    if (this.attackerOn) events.push(this.attack(now, at));
    return events;
  }

  /** Runs step() every `intervalMs` on a timer that never keeps the process alive; restarts if running. */
  start(intervalMs: number): void {
    if (!Number.isFinite(intervalMs) || intervalMs <= 0) throw new RangeError(`demo activity interval must be a positive number of ms, got ${intervalMs}`);
    this.stop();
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    let events: ActivityEvent[];
    try {
      events = this.step();
    } catch (cause) {
      this.stop();
      const error = new Error(`demo activity step failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
      if (!this.options.onError) throw error;
      this.options.onError(error);
      return;
    }
    this.options.onStep?.(events);
  }

  private openLogins(user: OrdinaryUser): LiveFamily[] {
    return liveUiFamilies(this.org, user.userId);
  }

  /**
   * Bob's six-week-old login and the never-rotated integration session are the standing risks the
   * bot flags: something keeps using them, so they must not quietly expire during the demo.
   */
  private keepLongLivedSessionsAlive(now: Date): void {
    for (const rootId of [this.demo.compromised.sessions.oldRootId, ...this.demo.integration.staleSessionIds]) touchFamily(this.org, rootId, now);
  }

  private signOutAgeingLogins(now: Date, at: string): LogoutActivity[] {
    const events: LogoutActivity[] = [];
    for (const user of this.demo.ordinary) {
      for (const family of this.openLogins(user)) {
        if (now.getTime() - family.createdAt.getTime() < this.signOutAfterMs) continue;
        events.push({
          kind: 'logout',
          at,
          userId: user.userId,
          username: user.username,
          reason: 'before-timeout',
          sessionIds: endFamily(this.org, family.rootId),
        });
      }
    }
    return events;
  }

  private someoneSignsIn(now: Date, at: string): LoginActivity[] {
    const candidates = this.demo.ordinary.filter((u) => loginRefusal(this.org, u.userId) === null && this.openLogins(u).length < MAX_OPEN_LOGINS);
    if (candidates.length === 0) return [];
    const user = this.r.pick(candidates);
    const signIn = signInNow(this.org, this.r, user, now);
    return [
      {
        kind: 'login',
        at,
        userId: user.userId,
        username: user.username,
        place: placeName(user.home),
        sourceIp: signIn.sourceIp,
        sessionIds: [signIn.family.rootId, ...signIn.family.childIds],
        mistypedFirst: signIn.mistypedFirst,
      },
    ];
  }

  private someoneSignsOut(at: string): LogoutActivity[] {
    const open = this.demo.ordinary.flatMap((user) => this.openLogins(user).map((family) => ({ user, family })));
    if (open.length === 0) return [];
    const { user, family } = this.r.pick(open);
    return [{ kind: 'logout', at, userId: user.userId, username: user.username, reason: 'signed-out', sessionIds: endFamily(this.org, family.rootId) }];
  }

  private pipelineConnects(now: Date, at: string): IntegrationActivity {
    const { integration } = this.demo;
    const session = connectNow(this.org, this.r, integration, now);
    return { kind: 'integration-session', at, userId: integration.userId, username: integration.username, ...session };
  }

  private attack(now: Date, at: string): AttackActivity {
    const victim = this.demo.compromised;
    const round = attackOnce(this.org, this.r, victim.userId, now, { passwordReset: this.options.passwordWasReset?.(victim.userId) ?? false });
    return {
      kind: 'attack',
      at,
      userId: victim.userId,
      username: victim.username,
      place: placeName(round.place),
      sourceIp: round.sourceIp,
      failures: round.failures,
      outcome: round.refusal === null ? 'signed-in' : 'refused',
      refusal: round.refusal,
      sessionIds: round.sessionIds,
      newCountry: round.newCountry,
    };
  }
}
