import type { BudgetState } from '../domain/budget';
import { budgetState } from '../domain/budget';
import { groupFamilies } from '../domain/families';
import type { Finding, LoginEvent, OauthGrant, Policy, Session } from '../domain/types';
import type { Logger } from '../logger';
import { ALL_RULE_META, evaluateRules, ORG_RULES, rulesFor } from '../rules/registry';
import type { OrgRule, Rule, RuleInput } from '../rules/rule';
import type { AlertsStore } from '../store/alerts-store';
import type { MonitorStateStore } from '../store/monitor-state-store';
import type { MonitorStore } from '../store/monitor-store';
import { loginEventTime, planAlerts, type AlertStep } from './alert-plan';
import { isMobileLogin } from '../rules/familiarity';
import { isIntegrationSession } from '../rules/integration';
import { NEW_GRANT_HOURS } from '../rules/new-app-grant';
import { isStorm, worstFirst } from './digest-plan';
import { mergeIncidents } from './incidents';
import type { AlertNotifier, Leadership, MonitorSettings, MonitorSource, SuppressionGate } from './ports';

export interface MonitorDeps {
  source: MonitorSource;
  mirror: MonitorStore;
  state: MonitorStateStore;
  alerts: AlertsStore;
  notifier: AlertNotifier;
  /** Tries to become the poller; null while another replica holds it. */
  lead: () => Promise<Leadership | null>;
  settings: MonitorSettings;
  policy: Policy;
  trusted: (ip: string) => boolean;
  botUserId: () => string | null;
  logger: Logger;
  now: () => Date;
  /** "Mark expected": new findings a suppression covers are recorded and never posted. */
  suppressions?: SuppressionGate;
  /** Detections across people (default: ORG_RULES). */
  orgRules?: readonly OrgRule[];
}

export type MonitorRole = 'off' | 'leader' | 'standby';

export interface MonitorStatus {
  role: MonitorRole;
  lastPollAt: Date | null;
  callsToday: number;
  budget: BudgetState;
  /** The last poll's failure, in words, until a poll succeeds. */
  lastError: string | null;
}

/** What one poll did: for logs, tests and the benchmark. */
export interface PollReport {
  role: MonitorRole;
  calls: number;
  changedUsers: number;
  steps: AlertStep[];
  fullScan: boolean;
  backfill: boolean;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const MONITOR_RULES = rulesFor('monitor');
/**
 * What a full scan's sweep re-runs for users whose rows did not change: the rules whose findings
 * change as time passes. The others would say the same as when the rows last changed — and the
 * rules that compare with the person's history would need all of it read again.
 */
const SWEEP_RULES = MONITOR_RULES.filter((rule) => rule.meta.changesWithTime === true);
/** What a full scan's read of OauthToken feeds. */
const GRANT_RULES = MONITOR_RULES.filter((rule) => rule.meta.subjects.includes('grants'));
const ASK_FIRST_RULES = new Set(ALL_RULE_META.filter((meta) => meta.askFirst === true).map((meta) => meta.id));
/**
 * A login event older than this when first found is history, not an alert: on the first start it
 * goes into the "before Session Warden was watching" summary, later (a late row, the window moving
 * past what made a place familiar) it is recorded and logged. Nobody can act on it as on a new one.
 */
const LATE_EVENT_MS = 24 * HOUR;
/** This many different people signing in successfully from one address make it a shared network (VPN exit, office). */
const SHARED_ADDRESS_MIN_USERS = 5;
/** How far back password spraying looks at an address that just failed again. */
const SPRAY_LOOKBACK_MS = 24 * HOUR;
/** Addresses named in one mirror query. */
const ADDRESSES_PER_QUERY = 500;
const BACKLOG_REASON = 'before Session Warden was watching (summarised at first start)';
/** Stretched polling waits this many intervals; paused polls only this rarely, to see the allowance recover. */
const STRETCH = 4;
const PAUSED_PROBE_MS = 30 * MINUTE;
/** Users whose sessions and logins are read and evaluated together (see evaluate). */
const EVALUATE_USERS_PER_BATCH = 50;
/**
 * And at most this many of their logins, unless one user alone has more: the busiest accounts of a
 * large org (integrations, shared logins) hold tens of thousands of rows each, and fifty of them
 * in one batch held ~90 MB of decoded rows at once on a 10,000-user first start. Rows that live
 * through a batch also outlive the young generation and fill the old one until a full collection:
 * 1,000 rather than 5,000 or 20,000 took that first start's peak RSS from ~310 MB to ~275 MB.
 */
const EVALUATE_LOGINS_PER_BATCH = 1_000;
/** Users named by one Salesforce query (MonitorReader.usersById reads 500 ids per query). */
const NAMES_PER_QUERY = 500;

/** A user's connected-app grants as the last full scan read them. */
interface UserGrants {
  grants: OauthGrant[];
  /** Every live session of theirs is an integration's (API / OAuth, not a phone app): their grants are held to rotation. */
  integration: boolean;
}

interface UserPlan {
  rules: readonly Rule[];
  logins: boolean;
  grants: UserGrants | undefined;
}

/**
 * Watches the org on its own. Each poll: read what is new since the watermarks (one Composite
 * call), fold it into the mirror, run the rules for the users whose rows changed, and post,
 * edit or resolve one Slack alert per finding. Every FULL_SCAN_MINUTES a full scan drops ended
 * sessions from the mirror and re-evaluates every user (time-based rules). Only one replica
 * polls (the leader); the API budget slows or pauses polling before the org runs out.
 */
export class Monitor {
  private lock: Leadership | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = false;
  private status: MonitorStatus = { role: 'standby', lastPollAt: null, callsToday: 0, budget: 'normal', lastError: null };
  /** Addresses many colleagues sign in from (refreshed at each full scan); null until first read. */
  private shared: Set<string> | null = null;

  constructor(private readonly deps: MonitorDeps) {}

  current(): MonitorStatus {
    return { ...this.status, role: this.deps.settings.intervalSeconds === 0 ? 'off' : this.status.role };
  }

  /** Polls now and then every interval (stretched or paused by the budget) until stop(). */
  start(): void {
    if (this.deps.settings.intervalSeconds === 0) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
    await this.lock?.release();
    this.lock = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.pollOnce().then(
        () => this.schedule(this.nextDelayMs()),
        (err: unknown) => {
          this.status.lastError = err instanceof Error ? err.message : String(err);
          this.deps.logger.error({ err }, 'monitor poll failed; trying again next interval');
          this.schedule(this.nextDelayMs());
        },
      );
    }, ms);
    this.timer.unref();
  }

  private nextDelayMs(): number {
    const interval = this.deps.settings.intervalSeconds * 1000;
    if (this.status.budget === 'paused') return Math.max(interval, PAUSED_PROBE_MS);
    return this.status.budget === 'stretched' ? interval * STRETCH : interval;
  }

  /** One round: leadership, then (as leader) backfill or poll, full scan when due, alerts, budget. */
  async pollOnce(): Promise<PollReport> {
    const idle: PollReport = { role: 'standby', calls: 0, changedUsers: 0, steps: [], fullScan: false, backfill: false };
    if (!(await this.leading())) return idle;
    const { state, settings } = this.deps;
    const now = this.deps.now();
    const report: PollReport = { ...idle, role: 'leader' };
    const changed = new Set<string>();
    // Users the full scan looked at again for the session rules only (time passes; sessions end).
    const swept = new Set<string>();
    // Addresses with new failed logins this round, where password spraying may be going on, and (in
    // steady state) with new successes: a sprayer signing in a poll after its burst of failures.
    const failing = new Set<string>();

    const backfilled = await state.get('backfillDoneAt');
    const lastScan = (await state.get('lastFullScanAt'))?.value ?? null;
    const scanDue = !backfilled || !lastScan || now.getTime() - lastScan.getTime() >= settings.fullScanMinutes * MINUTE;
    if (!backfilled) {
      report.backfill = true;
      report.calls += await this.backfill(now, changed, failing);
    } else {
      report.calls += await this.pollNew(changed, failing);
    }
    let grants = new Map<string, UserGrants>();
    if (scanDue) {
      report.fullScan = true;
      const kinds = new Map<string, { human: boolean }>();
      report.calls += await this.fullScan(now, swept, kinds);
      const read = await this.readGrants(now, kinds);
      report.calls += read.calls;
      grants = read.byUser;
      // A full scan is also the sweep for time-based rules: every user is looked at again, with
      // the session rules only — their logins did not change, so the login rules would say the same.
      for (const id of await this.deps.mirror.allUserIds()) swept.add(id);
      for (const id of changed) swept.delete(id);
    }
    report.changedUsers = changed.size;
    if (scanDue || !this.shared) await this.refreshShared(now);
    const evaluated = await this.evaluate([...changed], [...swept], [...failing], now, report.backfill, grants);
    report.calls += evaluated.calls;
    report.steps = evaluated.steps;
    await this.afterPoll(now, report);
    return report;
  }

  private async leading(): Promise<boolean> {
    if (this.lock && !(await this.lock.isHeld())) {
      this.deps.logger.warn('monitor lost its leadership; standing by');
      this.lock = null;
    }
    this.lock ??= await this.deps.lead();
    const role: MonitorRole = this.lock ? 'leader' : 'standby';
    if (role !== this.status.role)
      this.deps.logger.info({ role }, role === 'leader' ? 'monitor is the poller now' : 'monitor stands by; another replica polls');
    this.status.role = role;
    return this.lock !== null;
  }

  /** First start: the login window the rules need, paged, with progress in the log. */
  private async backfill(now: Date, changed: Set<string>, failing: Set<string>): Promise<number> {
    const since = new Date(now.getTime() - this.deps.settings.loginWindowHours * 3_600_000);
    this.deps.logger.info({ since }, 'monitor backfilling the login window (first start)');
    // The rows go in without the per-user index, which is built once at the end (see MonitorStore.bulkLoadLogins).
    const result = await this.deps.mirror.bulkLoadLogins(() =>
      this.deps.source.backfillLogins(
        since,
        async (logins) => {
          noteFailing(logins, failing);
          this.noteChanges(await this.deps.mirror.upsertLogins(logins), changed);
        },
        (progress) => this.deps.logger.info(progress, 'monitor backfill progress'),
      ),
    );
    await this.deps.state.advance('loginWatermark', result.newestLoginAt ?? since, now);
    // Sessions: the full scan that follows reads every live one and sets the session watermark.
    await this.deps.state.set('backfillDoneAt', now, now);
    return result.calls;
  }

  /** Steady state: what is new since the watermarks, in one call. */
  private async pollNew(changed: Set<string>, failing: Set<string>): Promise<number> {
    const { state, source, mirror, settings } = this.deps;
    const now = this.deps.now();
    const sessionsSince = (await state.get('sessionWatermark'))?.value ?? now;
    const loginsSince = (await state.get('loginWatermark'))?.value ?? now;
    const answer = await source.poll({ sessionsSince, loginsSince, overlapMs: settings.overlapMs });
    this.noteChanges(await mirror.upsertSessions(answer.sessions), changed);
    noteFailing(answer.logins, failing, { successes: true });
    this.noteChanges(await mirror.upsertLogins(answer.logins), changed);
    if (answer.newestSessionAt) await state.advance('sessionWatermark', answer.newestSessionAt, now);
    if (answer.newestLoginAt) await state.advance('loginWatermark', answer.newestLoginAt, now);
    return answer.calls;
  }

  /** Every live session: ended ones leave the mirror, and their users are looked at again. */
  private async fullScan(now: Date, changed: Set<string>, kinds: Map<string, { human: boolean }>): Promise<number> {
    const { mirror, source, state } = this.deps;
    const scanId = `scan-${now.getTime()}`;
    await mirror.beginScan(scanId);
    let newest: Date | null = null;
    try {
      const result = await source.fullScan(async (sessions) => {
        this.noteChanges(await mirror.upsertSessions(sessions), changed);
        await mirror.markSeen(
          scanId,
          sessions.map((s) => s.id),
        );
        for (const s of sessions) {
          if (!newest || s.createdAt > newest) newest = s.createdAt;
          // A phone app's OAuth session is a person's; an API / OAuth session from anything else is an integration's.
          const human = !isIntegrationSession(s) || isMobileLogin(s.login);
          const kind = kinds.get(s.userId);
          if (kind) kind.human ||= human;
          else kinds.set(s.userId, { human });
        }
      });
      const ended = await mirror.endScan(scanId);
      for (const id of ended.userIds) changed.add(id);
      if (newest) await state.advance('sessionWatermark', newest, now);
      else await state.advance('sessionWatermark', new Date(now.getTime() - this.deps.settings.overlapMs), now);
      await state.set('lastFullScanAt', now, now);
      await mirror.pruneLogins(new Date(now.getTime() - this.deps.settings.loginWindowHours * 3_600_000));
      this.deps.logger.debug({ sessions: result.sessions, ended: ended.sessionIds.length, calls: result.calls }, 'monitor full scan');
      return result.calls;
    } catch (err) {
      await mirror.abandonScan(scanId);
      throw err;
    }
  }

  private noteChanges(change: { userIds: string[] }, changed: Set<string>): void {
    for (const id of change.userIds) changed.add(id);
  }

  /**
   * Connected-app grants, once per full scan: the integration users' (rotation) and the last day's
   * new ones (an app new to its person), within OauthToken's row cap. When the bot may not see other
   * users' grants, nothing is judged (unknown, never "none"), and the log says why.
   */
  private async readGrants(now: Date, kinds: ReadonlyMap<string, { human: boolean }>): Promise<{ byUser: Map<string, UserGrants>; calls: number }> {
    const byUser = new Map<string, UserGrants>();
    const { source } = this.deps;
    if (!source.grants) return { byUser, calls: 0 };
    const botUserId = this.deps.botUserId();
    const integrationUserIds = [...kinds].filter(([id, kind]) => !kind.human && id !== botUserId).map(([id]) => id);
    const answer = await source.grants({ integrationUserIds, createdSince: new Date(now.getTime() - NEW_GRANT_HOURS * HOUR) });
    if (answer.hidden) {
      this.deps.logger.warn({ reason: answer.hidden }, "monitor cannot judge connected-app grants: other users' grants are hidden from the bot");
      return { byUser, calls: answer.calls };
    }
    if (!answer.complete) this.deps.logger.warn('monitor read OauthToken up to its 2,500-row cap: grants past it are unknown and not judged');
    const integrations = new Set(integrationUserIds);
    for (const grant of answer.grants) {
      if (grant.userId === botUserId) continue;
      const held = byUser.get(grant.userId);
      if (held) held.grants.push(grant);
      else byUser.set(grant.userId, { grants: [grant], integration: integrations.has(grant.userId) });
    }
    return { byUser, calls: answer.calls };
  }

  /** Addresses many colleagues signed in from over the login window: one aggregate in the database. */
  private async refreshShared(now: Date): Promise<void> {
    const since = new Date(now.getTime() - this.deps.settings.loginWindowHours * HOUR);
    this.shared = new Set(await this.deps.mirror.sharedAddresses(since, SHARED_ADDRESS_MIN_USERS));
  }

  /** An address many colleagues sign in from (a VPN exit, an office): the org's own network, learned. */
  private readonly isShared = (ip: string): boolean => Boolean(this.shared?.has(ip.trim().toLowerCase()));

  /** The org-wide rules over every login from the addresses that failed this round. */
  private async orgFindings(failing: readonly string[], now: Date): Promise<Finding[]> {
    const rules = this.deps.orgRules ?? ORG_RULES;
    if (failing.length === 0 || rules.length === 0) return [];
    // A day back, on the first start too: a spray older than that would only be history (see LATE_EVENT_MS),
    // and reading a month of an address's logins costs the first start what it can least afford.
    const since = new Date(now.getTime() - SPRAY_LOOKBACK_MS);
    // Only an address that failed as enough different people can be spraying: counted in the
    // database first, so an office's or VPN exit's thousands of logins are read only if it did.
    const suspects: string[] = [];
    for (let i = 0; i < failing.length; i += ADDRESSES_PER_QUERY) {
      suspects.push(...(await this.deps.mirror.addressesFailingAs(failing.slice(i, i + ADDRESSES_PER_QUERY), since, this.deps.policy.sprayMinUsers)));
    }
    let logins: LoginEvent[] = [];
    for (let i = 0; i < suspects.length; i += ADDRESSES_PER_QUERY) {
      logins = logins.concat(await this.deps.mirror.loginsFromAddresses(suspects.slice(i, i + ADDRESSES_PER_QUERY), since));
    }
    if (logins.length === 0) return [];
    const input = { logins, policy: this.deps.policy, now, botUserId: this.deps.botUserId() ?? '', trusted: this.deps.trusted, shared: this.isShared };
    return rules.flatMap((rule) => rule.evaluate(input));
  }

  /**
   * Runs the rules for these users over the mirror and turns the findings into alert steps, a
   * batch of users at a time: a full scan's sweep looks at every user again, and holding every
   * session and login of the org at once would take gigabytes. Findings are per user, so a batch
   * plans exactly what the whole set would.
   */
  private async evaluate(
    changedUsers: string[],
    sweptUsers: string[],
    failing: string[],
    now: Date,
    backfill: boolean,
    grants: ReadonlyMap<string, UserGrants> = new Map(),
  ): Promise<{ steps: AlertStep[]; calls: number }> {
    const orgFindings = await this.orgFindings(failing, now);
    // An org-wide finding is planned with the batch of the person it names (or on its own, when nobody got in).
    const orgByUser = byUser(orgFindings, (f) => f.userId);
    const userIds = [...new Set([...changedUsers, ...sweptUsers, ...grants.keys(), ...orgByUser.keys()])];
    if (userIds.length === 0) return { steps: [], calls: 0 };
    const changed = new Set(changedUsers);
    const swept = new Set(sweptUsers);
    // What each user is evaluated with: everything when their rows changed; otherwise the rules time
    // moves (a sweep) and the grant rules when grants were read — with logins only where a rule needs them.
    const planOf = (userId: string): UserPlan => {
      const own = grants.get(userId);
      if (changed.has(userId) || orgByUser.has(userId)) return { rules: MONITOR_RULES, logins: true, grants: own };
      const rules = [...(swept.has(userId) ? SWEEP_RULES : []), ...(own ? GRANT_RULES : [])];
      return { rules, logins: Boolean(own && !own.integration), grants: own };
    };
    const { mirror, alerts, settings } = this.deps;
    const since = new Date(now.getTime() - settings.loginWindowHours * 3_600_000);
    const steps: AlertStep[] = [];
    const awaitingNames: Finding[] = [];
    // Named but not yet claimed: whether they go out one by one or as a digest depends on how many the whole poll finds.
    const named: Finding[] = [];
    let calls = 0;
    const allPlans = new Map(userIds.map((id) => [id, planOf(id)]));
    const readingLogins = userIds.filter((id) => allPlans.get(id)?.logins);
    const loginCounts = readingLogins.length > 0 ? await mirror.loginCountsOfUsers(readingLogins, since) : new Map<string, number>();
    for (const batch of batchesOf(userIds, (id) => loginCounts.get(id) ?? 0)) {
      // Planned once above for the login counts; planOf again only for the type (every id of a batch is in allPlans).
      const plans = new Map(batch.map((id) => [id, allPlans.get(id) ?? planOf(id)]));
      const sessions = await mirror.sessionsOfUsers(batch);
      const withLogins = batch.filter((id) => plans.get(id)?.logins);
      const logins = withLogins.length > 0 ? await mirror.loginsOfUsers(withLogins, since) : [];
      const findings = [...this.findings(plans, sessions, logins, now), ...batch.flatMap((id) => orgByUser.get(id) ?? [])];
      const open = await alerts.openForUsers(batch);
      const planned = await this.withoutSuppressed(planAlerts(findings, open, new Set(sessions.map((s) => s.id))), sessions, now);
      steps.push(...planned);
      await this.applyChanges(planned, now);
      for (const step of planned) if (step.kind === 'post') awaitingNames.push(step.finding);
      // New alerts wait until a full Salesforce query's worth of users needs names.
      while (distinctUsers(awaitingNames).length >= NAMES_PER_QUERY) {
        const batch = takeUsers(awaitingNames, NAMES_PER_QUERY);
        calls += await this.learnNames(batch, now);
        named.push(...batch);
      }
    }
    if (awaitingNames.length > 0) {
      calls += await this.learnNames(awaitingNames, now);
      named.push(...awaitingNames);
    }
    await this.post(named, now, backfill);
    return { steps, calls };
  }

  private findings(plans: ReadonlyMap<string, UserPlan>, sessions: Session[], logins: LoginEvent[], now: Date): Finding[] {
    const botUserId = this.deps.botUserId() ?? '';
    const sessionsBy = byUser(sessions, (s) => s.userId);
    const loginsBy = byUser(logins, (l) => l.userId);
    const out: Finding[] = [];
    for (const [userId, plan] of plans) {
      const own = sessionsBy.get(userId) ?? [];
      const theirs = (loginsBy.get(userId) ?? []).sort((a, b) => b.loginTime.getTime() - a.loginTime.getTime());
      const grants = plan.grants?.grants ?? [];
      if (plan.rules.length === 0 || (own.length === 0 && theirs.length === 0 && grants.length === 0)) continue;
      const input: RuleInput = {
        userId,
        families: groupFamilies(own),
        logins: theirs,
        grants,
        policy: this.deps.policy,
        now,
        botUserId,
        trusted: this.deps.trusted,
        shared: this.isShared,
        ...(plan.grants ? { integration: plan.grants.integration } : {}),
      };
      out.push(...evaluateRules(input, plan.rules));
    }
    return out;
  }

  /**
   * "Mark expected": a new finding a suppression covers is claimed (so it is counted once, across
   * polls and replicas) and moved out of 'open' at once, never posted. The other steps go on.
   * A crash between the claim and the move leaves one open alert without a message.
   */
  private async withoutSuppressed(steps: AlertStep[], sessions: readonly Session[], now: Date): Promise<AlertStep[]> {
    const gate = this.deps.suppressions;
    const posts = steps.flatMap((step) => (step.kind === 'post' ? [step.finding] : []));
    if (!gate || posts.length === 0) return steps;
    const covered = await gate.covering(posts, sessions, now);
    if (covered.size === 0) return steps;
    for (const finding of posts) {
      const id = covered.get(finding.key);
      if (!id || !(await this.deps.alerts.claim(finding, now))) continue;
      if (!(await this.deps.alerts.suppress(finding.key, `suppression ${id}`, now))) continue;
      await gate.recordSuppressed(id);
      this.deps.logger.info({ alert: finding.key, rule: finding.rule, user: finding.userId, suppression: id }, 'monitor finding suppressed (marked expected)');
    }
    return steps.filter((step) => step.kind !== 'post' || !covered.has(step.finding.key));
  }

  /** Edits and resolutions are compare-and-set in the store, so replicas and restarts never double a message. */
  private async applyChanges(steps: AlertStep[], now: Date): Promise<void> {
    const { alerts, notifier, logger } = this.deps;
    for (const step of steps) {
      if (step.kind === 'update') {
        if (await alerts.update(step.alertKey, step.finding, now)) await notifier.alertUpdated(step.alertKey, step.finding.groupKey);
      } else if (step.kind === 'resolve' && (await alerts.resolve(step.alertKey, step.reason, now))) {
        const resolved = await alerts.get(step.alertKey);
        if (resolved) await notifier.alertUpdated(resolved.key, resolved.groupKey);
        logger.info({ alert: step.alertKey }, 'monitor alert resolved: the sessions have ended');
      }
    }
  }

  /** The names of the users of new alerts that are not yet known: one query for up to NAMES_PER_QUERY users. */
  private async learnNames(findings: readonly Finding[], now: Date): Promise<number> {
    const { mirror } = this.deps;
    const wanted = distinctUsers(findings);
    const known = new Set((await mirror.usersByIds(wanted)).map((u) => u.id));
    const unknown = wanted.filter((id) => !known.has(id));
    let calls = 0;
    if (unknown.length > 0) {
      const { users, calls: spent } = await this.deps.source.usersById(unknown);
      await mirror.rememberUsers(users, now);
      calls += spent;
    }
    return calls;
  }

  /**
   * New alerts, once every name is read. A login event older than a day is history: recorded
   * (claimed and set aside) and, on the first start, summarised in one message. The rest become
   * one alert per person (their signals merged), each claimed, then: a medium one the person can
   * explain is held and they are asked first; the others are queued — one each, or, when the poll
   * claimed more than the digest threshold (a storm), one digest for them all. Only database writes
   * sit between the claims and the outbox rows, so a Salesforce failure or a crash while names are
   * read cannot leave an alert claimed (never posted again) without its message.
   */
  private async post(findings: readonly Finding[], now: Date, backfill: boolean): Promise<void> {
    const { alerts, notifier, logger, settings } = this.deps;
    const fresh: Finding[] = [];
    const late: Finding[] = [];
    for (const finding of findings) (isLate(finding, now) ? late : fresh).push(finding);
    const history: Finding[] = [];
    for (const finding of late) {
      if (!(await alerts.claim(finding, now))) continue;
      await alerts.suppress(finding.key, backfill ? BACKLOG_REASON : 'found more than a day after the login it is about', now);
      history.push(finding);
    }
    if (history.length > 0) {
      if (backfill) await notifier.backlogSummarized(worstFirst(history));
      logger.info({ findings: history.length, backfill }, 'monitor findings about logins older than a day recorded, not alerted');
    }

    const { alerts: incidents, merged } = mergeIncidents(fresh);
    const claimed: Finding[] = [];
    const held: Finding[] = [];
    const leads = new Set<string>();
    for (const finding of incidents) {
      const hold = settings.askFirst && finding.severity === 'medium' && finding.userId !== '' && ASK_FIRST_RULES.has(finding.rule);
      if (!(await alerts.claim(finding, now, { held: hold }))) continue;
      leads.add(finding.key);
      (hold ? held : claimed).push(finding);
    }
    for (const { finding, into } of merged) {
      // Its alert was claimed elsewhere (another replica, an earlier poll): that one decides.
      if (!leads.has(into) || !(await alerts.claim(finding, now))) continue;
      await alerts.suppress(finding.key, `shown in alert ${into}`, now);
    }
    for (const finding of held) {
      await notifier.alertHeld(finding.key, finding.groupKey);
      logger.info({ alert: finding.key, rule: finding.rule, user: finding.userId }, 'monitor alert held: asking the person first');
    }
    if (isStorm(claimed.length, settings.digestThreshold)) {
      await notifier.alertsDigested(worstFirst(claimed));
      logger.warn({ alerts: claimed.length, threshold: settings.digestThreshold }, 'monitor alert storm: one digest message instead of one per alert');
      return;
    }
    for (const finding of claimed) {
      await notifier.alertPosted(finding.key, finding.groupKey);
      logger.info({ alert: finding.key, rule: finding.rule, severity: finding.severity, user: finding.userId }, 'monitor alert');
    }
  }

  /** Budget, counters and the poll's log line. */
  private async afterPoll(now: Date, report: PollReport): Promise<void> {
    const { state, source, notifier, settings, logger } = this.deps;
    const day = now.toISOString().slice(0, 10);
    const counted = await state.modify('callsToday', (c) => (c && c.day === day ? { day, calls: c.calls + report.calls } : { day, calls: report.calls }), now);
    await state.set('lastPollAt', now, now);
    const usage = source.usage();
    const budget = budgetState(usage, settings.apiBudgetFloorPercent);
    const announced = await state.get('budgetState');
    const previous = announced?.value.state ?? 'normal';
    if (budget !== previous && usage) {
      // Compare-and-set: said once in the channel, even by two leaders in a row.
      const written = await state.compareAndSet('budgetState', { state: budget, since: now }, announced?.version ?? null, now);
      if (written) await notifier.budgetChanged(budget, usage);
      logger.warn({ budget, usage }, 'monitor API budget state changed');
    }
    this.status = { role: 'leader', lastPollAt: now, callsToday: counted.value.calls, budget, lastError: null };
    logger.debug(
      { calls: report.calls, changedUsers: report.changedUsers, alerts: report.steps.length, fullScan: report.fullScan, budget, usage },
      'monitor poll',
    );
  }
}

/** A finding about a login event that happened more than LATE_EVENT_MS before now. */
function isLate(finding: Finding, now: Date): boolean {
  const at = loginEventTime(finding);
  return at !== null && now.getTime() - at > LATE_EVENT_MS;
}

/**
 * The addresses password spraying is judged for this round. A backfill reads the whole window at
 * once, so its failing addresses suffice; a steady-state poll also names the addresses of its new
 * successes, since the failures of a burst may have come in an earlier poll than the login they won.
 */
function noteFailing(logins: readonly LoginEvent[], failing: Set<string>, options: { successes?: boolean } = {}): void {
  for (const login of logins) {
    const ip = login.sourceIp?.trim().toLowerCase();
    if (ip && (!login.success || options.successes)) failing.add(ip);
  }
}

function byUser<T>(rows: readonly T[], userOf: (row: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const row of rows) {
    const list = out.get(userOf(row));
    if (list) list.push(row);
    else out.set(userOf(row), [row]);
  }
  return out;
}

/** Consecutive users, at most EVALUATE_USERS_PER_BATCH a batch and EVALUATE_LOGINS_PER_BATCH logins (a user with more is a batch alone). */
function batchesOf(userIds: readonly string[], loginsOf: (userId: string) => number): string[][] {
  const batches: string[][] = [];
  let batch: string[] = [];
  let logins = 0;
  for (const id of userIds) {
    const own = loginsOf(id);
    if (batch.length > 0 && (batch.length >= EVALUATE_USERS_PER_BATCH || logins + own > EVALUATE_LOGINS_PER_BATCH)) {
      batches.push(batch);
      batch = [];
      logins = 0;
    }
    batch.push(id);
    logins += own;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

function distinctUsers(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.userId))];
}

/** Removes from `pending` (and returns) the findings of its first `count` distinct users, in order. */
function takeUsers(pending: Finding[], count: number): Finding[] {
  const users = new Set(distinctUsers(pending).slice(0, count));
  const taken = pending.filter((f) => users.has(f.userId));
  const kept = pending.filter((f) => !users.has(f.userId));
  pending.splice(0, pending.length, ...kept);
  return taken;
}
