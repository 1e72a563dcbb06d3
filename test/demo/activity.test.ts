/**
 * The demo's live activity (issue 11): what a step does to the org, that a seed replays it, that
 * quiet steps give the real bot nothing to say while an attack round does, and that the timer
 * neither keeps the process alive nor runs after stop().
 */
import { DemoActivity, type ActivityEvent, type AttackActivity } from '../../demo/activity';
import { buildDemoOrg, type DemoOrg } from '../../demo/org';
import { OPEN_LOGIN_MAX_MINUTES } from '../../demo/org/ordinary';
import type { Org, SfRecord } from '../standins/salesforce/org';
import { replyText, startHarness, type Harness } from '../support/harness';
import { alertFor, alertMessages, alertsAbout, alertText, blockText, pollAndDeliver, ruleOf } from '../support/monitor';

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const OBJECTS = ['User', 'UserLogin', 'LoginHistory', 'LoginGeo', 'AuthSession', 'OauthToken'] as const;

function snapshot(org: Org): Record<string, SfRecord[]> {
  return Object.fromEntries(OBJECTS.map((name) => [name, [...org.all(name)]]));
}

/** A clock that moves `stepMs` each time it is read, starting `startMs` after `from`. */
function steppingClock(from: Date, startMs: number, stepMs: number): () => Date {
  let t = from.getTime() + startMs;
  return () => new Date((t += stepMs));
}

function run(activity: DemoActivity, steps: number): ActivityEvent[] {
  const events: ActivityEvent[] = [];
  for (let i = 0; i < steps; i++) events.push(...activity.step());
  return events;
}

const kinds = (events: readonly ActivityEvent[]): Set<string> => new Set(events.map((e) => e.kind));

function attackIn(events: readonly ActivityEvent[]): AttackActivity {
  const attacks = events.filter((e): e is AttackActivity => e.kind === 'attack');
  if (attacks.length !== 1) throw new Error(`expected one attack round, got ${attacks.length}: ${JSON.stringify(events)}`);
  return attacks[0]!;
}

function rowTimes(org: Org, ids: readonly string[]): number[] {
  return ids.map((id) => new Date(org.get(id)?.CreatedDate as string).getTime());
}

describe('demo activity, step by step', () => {
  const builtAt = new Date('2026-03-02T15:00:00.000Z');

  it('replays exactly for a seed (same events, same org), and differs for another seed', () => {
    const replay = (seed: number): { events: ActivityEvent[]; org: Org } => {
      const demo = buildDemoOrg(builtAt, 5);
      const activity = new DemoActivity({ org: demo.org, demo, now: steppingClock(builtAt, MINUTE_MS, 5 * SECOND_MS), seed });
      const events = run(activity, 12);
      activity.setAttacker(true);
      events.push(...run(activity, 3));
      return { events, org: demo.org };
    };
    const first = replay(7);
    const second = replay(7);
    expect(first.events.length).toBeGreaterThan(15);
    expect(second.events).toEqual(first.events);
    expect(snapshot(second.org)).toEqual(snapshot(first.org));
    expect(replay(8).events).not.toEqual(first.events);
  });

  it('quiet steps sign colleagues in at home, sign them out and connect pipelines, all at or just before now', () => {
    const demo = buildDemoOrg(builtAt, 5);
    const { org } = demo;
    let now = builtAt;
    const activity = new DemoActivity({ org, demo, now: () => now, seed: 3 });
    const events: ActivityEvent[] = [];
    for (let i = 0; i < 20; i++) {
      now = new Date(builtAt.getTime() + (i + 1) * 10 * SECOND_MS);
      const step = activity.step();
      for (const event of step) {
        expect(event.at).toBe(now.toISOString());
        if (event.kind === 'login') {
          const user = demo.ordinary.find((u) => u.userId === event.userId);
          expect(event.place.city).toBe(user?.home.city);
          for (const t of rowTimes(org, event.sessionIds)) expect(now.getTime() - t).toBeLessThanOrEqual(60 * SECOND_MS);
          expect(rowTimes(org, event.sessionIds).every((t) => t <= now.getTime())).toBe(true);
        }
        if (event.kind === 'logout') for (const id of event.sessionIds) expect(org.get(id)).toBeUndefined();
        if (event.kind === 'integration-session') expect(org.get(event.sessionId)).toMatchObject({ SessionType: 'Oauth2', UsersId: demo.integration.userId });
      }
      events.push(...step);
    }
    expect(kinds(events)).toEqual(new Set(['login', 'logout', 'integration-session']));
    expect(events.filter((e) => e.kind === 'logout').every((e) => e.sessionIds.length > 0)).toBe(true);
    // The standing risks the bot flags are still in use, so they do not expire during the demo.
    for (const id of [demo.compromised.sessions.oldRootId, ...demo.integration.staleSessionIds]) expect(org.get(id)?.LastModifiedDate).toBe(now.toISOString());
  });

  it('signs colleagues out before their logins reach the 16 h working day session-timeout allows', () => {
    const demo = buildDemoOrg(builtAt, 5);
    // Past the day-long logins the org starts with (6 to 10 h old), so the step must end some of them.
    const later = new Date(builtAt.getTime() + 4 * 60 * MINUTE_MS);
    const activity = new DemoActivity({ org: demo.org, demo, now: () => later, seed: 3 });
    const ended = activity.step().filter((e) => e.kind === 'logout' && e.reason === 'before-timeout');
    expect(ended.length).toBeGreaterThan(0);
    const ordinaryIds = new Set(demo.ordinary.map((u) => u.userId));
    const oldestMinutes = Math.max(
      ...[...demo.org.all('AuthSession')]
        .filter((s) => ordinaryIds.has(s.UsersId as string))
        .map((s) => (later.getTime() - new Date(s.CreatedDate as string).getTime()) / MINUTE_MS),
    );
    expect(oldestMinutes).toBeLessThanOrEqual(OPEN_LOGIN_MAX_MINUTES + 5);
    expect(oldestMinutes).toBeLessThan(16 * 60);
  });

  it.each([
    ['frozen', (demo: DemoOrg) => demo.org.update(demo.compromised.userLoginId, { IsFrozen: true }), false, 'User Is Frozen'],
    ['deactivated', (demo: DemoOrg) => demo.org.update(demo.compromised.userId, { IsActive: false }), false, 'User is Inactive'],
    ['after a password reset', () => undefined, true, 'Invalid Password'],
  ] as const)('an attack round on bob %s is refused and opens no session', (_state, contain, passwordReset, status) => {
    const demo = buildDemoOrg(builtAt, 5);
    contain(demo);
    const now = new Date(builtAt.getTime() + MINUTE_MS);
    const activity = new DemoActivity({ org: demo.org, demo, now: () => now, seed: 3, passwordWasReset: () => passwordReset });
    const sessionsBefore = demo.org.byReference('AuthSession', 'UsersId', demo.compromised.userId).length;
    activity.setAttacker(true);
    const attack = attackIn(activity.step());
    expect(attack).toMatchObject({ outcome: 'refused', refusal: status, sessionIds: [] });
    expect(demo.org.byReference('AuthSession', 'UsersId', demo.compromised.userId)).toHaveLength(sessionsBefore);
    const last = demo.org.byReference('LoginHistory', 'UserId', demo.compromised.userId).at(-1);
    expect(last).toMatchObject({ Status: status, SourceIp: attack.sourceIp });
  });

  it('refuses an org the demo org was not built into', () => {
    const demo = buildDemoOrg(builtAt, 5);
    const other = buildDemoOrg(builtAt, 5);
    other.org.update(demo.compromised.userId, { Username: 'someone.else@acme.com' });
    expect(() => new DemoActivity({ org: other.org, demo, now: () => builtAt })).toThrow(/not the one the demo org was built into/);
  });
});

describe('demo activity under the real bot', () => {
  let h: Harness;
  let demo: DemoOrg;
  let activity: DemoActivity;
  let posts: () => number;

  beforeAll(async () => {
    demo = buildDemoOrg(new Date(), 11);
    h = await startHarness({ org: demo.org });
    await pollAndDeliver(h);
    activity = new DemoActivity({ org: h.sf.org, demo, now: () => new Date(), seed: 21 });
    posts = () => h.slack.callsTo('chat.postMessage').length;
  });
  afterAll(() => h.close());

  it('after ten quiet steps a monitor pass posts no new alert and edits none', async () => {
    const postsBefore = posts();
    const alertsBefore = alertMessages(h).length;
    const events = run(activity, 10);
    expect(kinds(events)).toEqual(new Set(['login', 'logout', 'integration-session']));
    const report = await pollAndDeliver(h);
    expect(report.steps).toEqual([]);
    expect(posts()).toBe(postsBefore);
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
    expect(alertMessages(h)).toHaveLength(alertsBefore);
  });

  /*
   * A new round is a new login event: one new alert for it (the impossible hop, with the failures
   * then a success and the new country beside it — one alert per incident), while Bob's
   * distant-places alert is edited in place to name the attacker's new session too
   * (src/monitor/alert-plan.ts).
   */
  it('with the attacker on, one step gives a monitor pass one new alert about bob for the new login and names it on his distant-places alert; switched off, steps go quiet again', async () => {
    const bobAlertsBefore = alertsAbout(h, 'bob@acme.com').length;
    const updatesBefore = h.slack.callsTo('chat.update').length;
    activity.setAttacker(true);
    expect(activity.attacker).toBe(true);
    const attack = attackIn(activity.step());
    expect(attack).toMatchObject({ outcome: 'signed-in', newCountry: true, username: 'bob@acme.com', refusal: null });
    expect(attack.failures).toBeGreaterThanOrEqual(3);
    const report = await pollAndDeliver(h);

    const city = `${attack.place.city}, ${attack.place.countryIso}`;
    const aboutBob = report.steps.filter((s) => s.kind !== 'resolve' && s.finding.userId === demo.compromised.userId);
    expect(aboutBob.map((s) => (s.kind === 'resolve' ? '' : s.finding.message)).join('\n')).toContain(city);
    expect(h.slack.callsTo('chat.update').length).toBeGreaterThan(updatesBefore);
    expect(alertText(alertFor(h, 'distant-places', 'bob@acme.com'))).toContain(attack.place.city);
    const fresh = alertsAbout(h, 'bob@acme.com').slice(bobAlertsBefore);
    expect(fresh.map((m) => ruleOf(m))).toEqual(['impossible-travel']);
    for (const m of fresh) expect(alertText(m)).toContain(attack.place.city);
    const also = blockText(fresh[0]!, 'alert_signals');
    expect(also).toMatch(new RegExp(`\`failed-then-success\` ${attack.failures} failed logins \\(Invalid Password\\)[^•]*${city}`));
    expect(also).toMatch(new RegExp(`\`new-country\` login from a new country: ${city}`));
    expect(alertMessages(h).every((m) => !demo.ordinary.some((u) => alertText(m).includes(`(${u.username})`)))).toBe(true);

    // /sessions shows the new round to a person at once: the failures and the success from the new country.
    const { reply } = await h.command('bob@acme.com');
    expect(replyText(reply)).toMatch(new RegExp(`${attack.failures} failed logins \\(Invalid Password\\) in [^,]+, then a success from ${city}`));

    activity.setAttacker(false);
    const postsBefore = posts();
    const quiet = run(activity, 3);
    expect(quiet.some((e) => e.kind === 'attack')).toBe(false);
    const after = await pollAndDeliver(h);
    expect(after.steps.filter((s) => s.kind !== 'resolve' && s.finding.userId === demo.compromised.userId)).toEqual([]);
    expect(posts()).toBe(postsBefore);
  });
});

describe('demo activity on a timer', () => {
  it('runs steps on an unref’d timer and leaves none after stop()', async () => {
    const demo = buildDemoOrg(new Date(), 11);
    const stepsSeen: ActivityEvent[][] = [];
    const activity = new DemoActivity({ org: demo.org, demo, now: () => new Date(), onStep: (events) => stepsSeen.push(events) });
    const timeoutsBefore = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    activity.start(5);
    expect(activity.running).toBe(true);
    // Unref'd: Node does not count it as keeping the process alive.
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout')).toHaveLength(timeoutsBefore);
    while (stepsSeen.length < 3) await new Promise((resolve) => setImmediate(resolve));
    activity.stop();
    expect(activity.running).toBe(false);
    const seen = stepsSeen.length;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(stepsSeen).toHaveLength(seen);
  });

  it('refuses an interval that is not a positive number of milliseconds', () => {
    const demo = buildDemoOrg(new Date(), 11);
    const activity = new DemoActivity({ org: demo.org, demo, now: () => new Date() });
    expect(() => activity.start(0)).toThrow(RangeError);
    expect(activity.running).toBe(false);
  });
});
