import type { Logger } from '../logger';
import { backoffDelay, LOGIN_BACKOFF, type BackoffPolicy } from './backoff';
import { describeLoginFailure, describeSalesforceError, SalesforceError, type SalesforceLoginError } from './errors';
import { RefreshBreaker } from './refresh-breaker';
import { loginFailureFrom } from './token-endpoint';

/** Who the bot is logged in as (null in static-token mode, where no login happens). */
export interface LoginIdentity {
  userId: string | null;
  orgId: string | null;
}

export type LoginState =
  { state: 'idle'; since: Date } | { state: 'up'; since: Date } | { state: 'down'; cause: SalesforceLoginError; since: Date; nextAttemptAt: Date };

/** For /healthz: `reason` is a sentence for an operator, with no secrets in it. */
export type LoginHealth = { ok: true; since: Date } | { ok: false; reason: string; since: Date };

export interface LoginSupervisorOptions {
  logger: Logger;
  backoff?: BackoffPolicy;
  /** Limits re-logins caused by 401s that did not help (a failed token request, or a new token refused at once). */
  breaker?: RefreshBreaker;
  now?: () => Date;
  random?: () => number;
}

type Trigger = 'start' | 'retry' | 'call' | 'relogin';

const TRIGGER_WORDS: Record<Trigger, string> = {
  start: 'at start',
  retry: 'in the background',
  call: 'before a Salesforce call',
  relogin: 'after a 401',
};

/**
 * Keeps the bot logged in to Salesforce. A failed login is never final: the supervisor marks the
 * login down, retries in the background with backoff, and lets a Salesforce call try at once when
 * the backoff allows (otherwise the call fails fast with the login's cause). Every token request
 * is single-flight: callers that arrive while one is under way share its outcome.
 */
export class LoginSupervisor {
  private current: LoginState;
  private inFlight: Promise<void> | null = null;
  private failures = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private who: LoginIdentity | null = null;
  /** Set when Salesforce refuses API calls even with a fresh token; cleared by an accepted call. */
  private rejected: { error: SalesforceError; since: Date } | null = null;
  /** A re-login's token that Salesforce has not accepted on any call yet: another 401 now means a loop. */
  private unproven = false;
  private readonly listeners: Array<(who: LoginIdentity) => void> = [];
  private readonly backoff: BackoffPolicy;
  private readonly breaker: RefreshBreaker;
  private readonly now: () => Date;
  private readonly random: () => number;
  private readonly logger: Logger;

  constructor(
    private readonly login: () => Promise<LoginIdentity>,
    options: LoginSupervisorOptions,
  ) {
    this.logger = options.logger;
    this.backoff = options.backoff ?? LOGIN_BACKOFF;
    this.breaker = options.breaker ?? new RefreshBreaker();
    this.now = options.now ?? (() => new Date());
    this.random = options.random ?? Math.random;
    this.current = { state: 'idle', since: this.now() };
  }

  /**
   * The login at start. On failure the error is thrown (for the caller to log) and the supervisor
   * keeps retrying in the background.
   */
  async connect(): Promise<LoginIdentity> {
    await this.attempt('start');
    return this.who ?? { userId: null, orgId: null };
  }

  /** Resolves when a Salesforce call may go out; rejects fast (with the login's cause) while down. */
  ready(): Promise<void> {
    const s = this.current;
    if (s.state === 'up') return Promise.resolve();
    if (this.inFlight) return this.inFlight;
    if (s.state === 'down' && this.now() < s.nextAttemptAt) return Promise.reject(s.cause);
    return this.attempt('call');
  }

  isUp(): boolean {
    return this.current.state === 'up';
  }

  /**
   * A new token after a 401. Joins a login under way (costing no token request); otherwise the
   * breaker decides whether one more token request is worth it.
   */
  relogin(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const s = this.current;
    if (s.state === 'down' && this.now() < s.nextAttemptAt) return Promise.reject(s.cause);
    // The token of the last re-login was refused before any call got through with it.
    if (this.unproven) this.breaker.strike();
    if (!this.breaker.allow()) {
      const error = new SalesforceError(
        'INVALID_SESSION_ID',
        'Salesforce keeps rejecting fresh logins (401 after re-authentication); check the connected app and the integration user',
        401,
      );
      this.logger.error('salesforce re-authentication refused by the circuit breaker (too many 401s after fresh logins)');
      this.noteRejected(error);
      return Promise.reject(error);
    }
    return this.attempt('relogin').then(
      () => {
        this.unproven = true;
      },
      (err: unknown) => {
        this.breaker.strike();
        throw err;
      },
    );
  }

  /** Salesforce refused a call in a way no new login can fix (a static token that stopped working, a 401 loop). */
  noteRejected(error: SalesforceError): void {
    this.rejected ??= { error, since: this.now() };
  }

  /** Salesforce accepted a call: whatever `noteRejected` said is over. */
  noteAccepted(): void {
    this.unproven = false;
    if (!this.rejected) return;
    this.logger.info("salesforce accepts the bot's calls again");
    this.rejected = null;
  }

  state(): LoginState {
    return this.current;
  }

  identity(): LoginIdentity | null {
    return this.who;
  }

  health(): LoginHealth {
    const s = this.current;
    if (s.state === 'down') return { ok: false, reason: describeLoginFailure(s.cause.failure), since: s.since };
    if (s.state === 'idle') return { ok: false, reason: 'The bot has not logged in to Salesforce yet.', since: s.since };
    if (this.rejected) return { ok: false, reason: describeSalesforceError(this.rejected.error), since: this.rejected.since };
    return { ok: true, since: s.since };
  }

  /** Called after every successful login (also re-logins), e.g. to learn the bot's user id late. */
  onLogin(listener: (who: LoginIdentity) => void): void {
    this.listeners.push(listener);
  }

  /** Cancels the background retry; calls still log in on demand. */
  stop(): void {
    this.stopped = true;
    this.cancelRetry();
  }

  private attempt(trigger: Trigger): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.cancelRetry();
    const flight = this.login().then(
      (who) => this.succeeded(who, trigger),
      (err: unknown) => this.failed(loginFailureFrom(err, undefined), trigger),
    );
    this.inFlight = flight;
    const clear = (): void => {
      if (this.inFlight === flight) this.inFlight = null;
    };
    flight.then(clear, clear);
    return flight;
  }

  private succeeded(who: LoginIdentity, trigger: Trigger): void {
    const before = this.current;
    // A routine re-login keeps the "up since" of the session it replaces.
    this.current = { state: 'up', since: before.state === 'up' ? before.since : this.now() };
    this.failures = 0;
    this.who = who;
    if (before.state === 'down') {
      const downForMs = this.now().getTime() - before.since.getTime();
      this.logger.info({ userId: who.userId, downForMs, trigger }, `salesforce login recovered ${TRIGGER_WORDS[trigger]}`);
    } else if (trigger === 'relogin') {
      this.logger.info({ userId: who.userId }, 'salesforce session expired; re-authenticated');
    } else {
      this.logger.info({ userId: who.userId, orgId: who.orgId }, 'connected to Salesforce');
    }
    for (const listener of this.listeners) listener(who);
  }

  private failed(cause: SalesforceLoginError, trigger: Trigger): never {
    this.failures += 1;
    const before = this.current;
    const retryInMs = backoffDelay(this.failures, this.backoff, this.random);
    const now = this.now();
    this.current = {
      state: 'down',
      cause,
      since: before.state === 'down' ? before.since : now,
      nextAttemptAt: new Date(now.getTime() + retryInMs),
    };
    const f = cause.failure;
    const fields = { kind: f.kind, code: f.oauthCode, status: f.status, attempt: this.failures, retryInMs, trigger };
    const sentence = `salesforce login failed ${TRIGGER_WORDS[trigger]}: ${describeLoginFailure(f)}`;
    if (before.state === 'down') this.logger.warn(fields, sentence);
    else this.logger.error(fields, sentence);
    this.scheduleRetry(retryInMs);
    throw cause;
  }

  private scheduleRetry(delayMs: number): void {
    if (this.stopped) return;
    this.cancelRetry();
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failure is already logged and rescheduled by `failed`.
      this.attempt('retry').catch(() => undefined);
    }, delayMs);
    // A pending retry must not keep the process alive at shutdown.
    this.timer.unref();
  }

  private cancelRetry(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
