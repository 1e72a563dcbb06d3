/**
 * An alert's life in the security channel, end to end: posted once even across a restart on the
 * same database, edited in place as sessions join, marked resolved (buttons gone) once its
 * sessions have ended — by themselves, or by an approved "Remove these sessions" request that
 * started from the alert's own button.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACTIONS, ALERT_ACTIONS } from '../../src/slack/views/action-ids';
import { addLogin, addSessionFamily, addUser, type SessionFamilyIds } from '../standins/salesforce/generator';
import type { Org } from '../standins/salesforce/org';
import { place } from '../standins/salesforce/places';
import { botUser } from '../standins/salesforce/scenarios';
import { click, thread, waitForState } from '../support/approval-flow';
import { PEOPLE, startHarness, type Harness } from '../support/harness';
import {
  ALERT_BUTTONS,
  alertFor,
  alertMessages,
  alertsAbout,
  blockText,
  buttonIds,
  pollAndDeliver,
  removableSessionIds,
  requestFromAlert,
  restartWarden,
  ruleOf,
} from '../support/monitor';

const now = new Date();
const MINUTE_MS = 60_000;
const minutesAgo = (m: number): Date => new Date(now.getTime() - m * MINUTE_MS);
/** Past FULL_SCAN_MINUTES (15 by default): the next poll re-reads every live session. */
const PAST_FULL_SCAN_MS = 16 * MINUTE_MS;

const DAY_MINUTES = 24 * 60;

/**
 * A user who works in San Francisco (signed in from there two days ago), at the office now, with
 * a second live session from Tokyo: one distant-places alert naming the Tokyo session (impossible
 * travel and the new country are signals of the same incident). `n` gives each their own addresses.
 */
function addTraveller(org: Org, username: string, n: number) {
  const userId = addUser(org, { username }).userId;
  const office = `203.0.113.${5 + n}`;
  addLogin(org, { userId, at: minutesAgo(2 * DAY_MINUTES), sourceIp: office, place: place('San Francisco') });
  const home = addSessionFamily(org, {
    userId,
    createdAt: minutesAgo(50),
    lastActivityAt: minutesAgo(2),
    sourceIp: office,
    place: place('San Francisco'),
  });
  const away = addSessionFamily(org, {
    userId,
    createdAt: minutesAgo(10),
    lastActivityAt: minutesAgo(1),
    sourceIp: `198.51.100.${7 + n}`,
    place: place('Tokyo'),
  });
  return { userId, home, away };
}

/**
 * A login a minute ago, in use until now: its child sessions were opened by now, as in a real org.
 * (A family created "now" and never used would get children in the future, pushing the monitor's
 * session watermark ahead of the clock so that the next real login looks old.)
 */
function justNow(): { createdAt: Date; lastActivityAt: Date } {
  return { createdAt: new Date(Date.now() - MINUTE_MS), lastActivityAt: new Date() };
}

function familyIds(family: SessionFamilyIds): string[] {
  return [family.rootId, ...family.childIds];
}

/** The alert message once it shows Resolved: the outbox drained until it does (10 s at most). */
async function resolvedAlert(h: Pick<Harness, 'slack' | 'warden'>, ts: string) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await h.warden.outbox.dispatcher.drain();
    const message = h.slack.messages.find((m) => m.ts === ts);
    if (message?.text.startsWith('Resolved: ') || Date.now() > deadline) return message;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function removableIds(h: Pick<Harness, 'slack'>, rule: string, username: string): string[] {
  return removableSessionIds(alertFor(h, rule, username));
}

describe('one message per finding across a restart on the same database', () => {
  let dir: string;
  let h: Harness;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'warden-monitor-'));
    const { org } = botUser({ now });
    addTraveller(org, 'dana@acme.com', 0);
    h = await startHarness({ org, env: { DATABASE_URL: `sqlite:${path.join(dir, 'warden.db')}` } });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('posts each finding once over three polls, a restart, and three more polls; a new finding after the restart is posted once', async () => {
    for (let i = 0; i < 3; i++) await pollAndDeliver(h);
    const before = alertMessages(h).map((m) => m.ts);
    // One incident, one message: distant-places, with impossible-travel and new-country as its signals.
    expect(before).toHaveLength(1);
    expect(blockText(alertFor(h, 'distant-places', 'dana@acme.com'), 'alert_signals')).toMatch(/impossible-travel[\s\S]*new-country/);
    const postsBefore = h.slack.delivered('chat.postMessage').length;

    h = await restartWarden(h, { DATABASE_URL: `sqlite:${path.join(dir, 'warden.db')}` });
    h.sf.resetRequests();
    const afterRestart = await pollAndDeliver(h);
    // The watermarks and the mirror survived: no second backfill, and the quiet poll is one call.
    expect(afterRestart).toMatchObject({ backfill: false, calls: 1, steps: [] });
    for (let i = 0; i < 2; i++) await pollAndDeliver(h);
    expect(alertMessages(h).map((m) => m.ts)).toEqual(before);
    expect(h.slack.delivered('chat.postMessage')).toHaveLength(postsBefore);

    const fay = addUser(h.sf.org, { username: 'fay@acme.com' }).userId;
    for (let i = 0; i < 4; i++)
      addLogin(h.sf.org, { userId: fay, at: new Date(), status: 'Invalid Password', sourceIp: '203.0.113.60', place: place('Chicago') });
    addSessionFamily(h.sf.org, { userId: fay, createdAt: new Date(), sourceIp: '203.0.113.60', place: place('Chicago') });
    // Medium (nothing of Fay's to compare with) and ask-first, but Fay has no Slack account: posted at once.
    for (let i = 0; i < 3; i++) await pollAndDeliver(h);
    expect(alertFor(h, 'failed-then-success', 'fay@acme.com')).toBeDefined();
    expect(alertMessages(h)).toHaveLength(2);
    expect(h.slack.delivered('chat.postMessage')).toHaveLength(postsBefore + 1);
  });
});

describe('an alert is edited in place, then resolved', () => {
  let h: Harness;
  let org: Org;
  let uma: ReturnType<typeof addTraveller>;
  let walt: ReturnType<typeof addTraveller>;
  let tess: { userId: string; family: SessionFamilyIds };
  beforeAll(async () => {
    ({ org } = botUser({ now }));
    uma = addTraveller(org, 'uma@acme.com', 1);
    walt = addTraveller(org, 'walt@acme.com', 2);
    const tessId = addUser(org, { username: 'tess@acme.com' }).userId;
    tess = {
      userId: tessId,
      // In use for three days on end: a person's session ends within a working day.
      family: addSessionFamily(org, {
        userId: tessId,
        createdAt: minutesAgo(3 * DAY_MINUTES + 4),
        lastActivityAt: minutesAgo(4),
        sourceIp: '203.0.113.90',
        place: place('Denver'),
      }),
    };
    h = await startHarness({ org });
    await pollAndDeliver(h);
  });
  afterAll(() => h.close());

  it("leaves the alert as it is when the person signs in again at their own office: it names the stranger's sessions only, and home is no impossible hop", async () => {
    const alert = alertFor(h, 'distant-places', 'uma@acme.com');
    expect(removableIds(h, 'distant-places', 'uma@acme.com')).toEqual([uma.away.rootId]);
    const posts = h.slack.callsTo('chat.postMessage').length;
    const updates = h.slack.callsTo('chat.update').length;

    const joined = addSessionFamily(org, { userId: uma.userId, ...justNow(), sourceIp: '203.0.113.6', place: place('San Francisco') });
    h.sf.resetRequests();
    const report = await pollAndDeliver(h);

    expect(report.calls).toBe(1);
    expect(report.steps).toEqual([]);
    // Back in San Francisco minutes after Tokyo: a place Uma signed in from before is not an impossible hop.
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(posts);
    expect(h.slack.callsTo('chat.update')).toHaveLength(updates);
    expect(removableIds(h, 'distant-places', 'uma@acme.com')).toEqual([uma.away.rootId]);
    expect(removableIds(h, 'distant-places', 'uma@acme.com')).not.toContain(joined.rootId);
    expect(alertFor(h, 'distant-places', 'uma@acme.com').ts).toBe(alert.ts);
  });

  it('edits the same message (chat.update on its ts) to name a second session from the far place (the attacker opening another)', async () => {
    const alert = alertFor(h, 'distant-places', 'walt@acme.com');
    const posts = h.slack.callsTo('chat.postMessage').length;
    const joined = addSessionFamily(org, { userId: walt.userId, ...justNow(), sourceIp: '198.51.100.30', place: place('Tokyo') });
    const report = await pollAndDeliver(h);
    expect(report.steps.map((s) => s.kind)).toContain('update');
    expect(h.slack.delivered('chat.update').some((c) => c.args.ts === alert.ts)).toBe(true);
    const edited = alertFor(h, 'distant-places', 'walt@acme.com');
    expect(edited.ts).toBe(alert.ts);
    expect(edited.history.length).toBeGreaterThanOrEqual(1);
    expect(removableIds(h, 'distant-places', 'walt@acme.com').sort()).toEqual([walt.away.rootId, joined.rootId].sort());
    expect(blockText(edited, 'alert_sessions')).toContain('198.51.100.30');
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(posts);
  });

  it('marks the alert resolved in place, without buttons, once its sessions have ended and a full scan has seen it', async () => {
    const alert = alertFor(h, 'distant-places', 'uma@acme.com');
    const named = removableIds(h, 'distant-places', 'uma@acme.com');
    const posts = h.slack.callsTo('chat.postMessage').length;
    for (const root of named) org.deleteWhere('AuthSession', (r) => r.ParentId === root || r.Id === root);

    // A quiet poll cannot see an ending: only the full scan notices sessions are gone.
    expect((await pollAndDeliver(h)).steps).toEqual([]);
    h.advance(PAST_FULL_SCAN_MS);
    h.sf.resetRequests();
    const report = await pollAndDeliver(h);

    expect(report.fullScan).toBe(true);
    const resolves = report.steps.filter((s) => s.kind === 'resolve');
    expect(resolves.map((s) => [s.alertKey.split(':')[0], s.reason])).toEqual([['distant-places', 'the sessions have ended']]);
    expect(h.sf.apiCalls().every((c) => c.method !== 'DELETE' && c.method !== 'PATCH')).toBe(true);
    const resolved = h.slack.messages.find((m) => m.ts === alert.ts);
    expect(resolved?.text).toMatch(/^Resolved: /);
    expect(blockText(resolved ?? alert, 'alert_resolved')).toMatch(/Resolved:\* the sessions have ended/);
    expect(buttonIds(resolved ?? alert)).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(posts);
    // The impossible hop and the new country were signals of this one incident: no other alert about Uma, and her office sessions live on.
    expect(alertsAbout(h, 'uma@acme.com').map(ruleOf)).toEqual(['distant-places']);
    for (const id of familyIds(uma.home)) expect(h.sf.org.get(id)).toBeDefined();
  });

  it('says on the alert that an approved "Remove these sessions" (clicked on the alert) ended them: resolved, naming the request and approver', async () => {
    const alert = alertFor(h, 'session-timeout', 'tess@acme.com');
    expect(removableIds(h, 'session-timeout', 'tess@acme.com')).toEqual([tess.family.rootId]);

    const posted = await requestFromAlert(h, alert, ALERT_ACTIONS.removeSessions);
    // The requester's confirmation goes to them alone: the alert itself is left as it was.
    const untouched = h.slack.messages.find((m) => m.ts === alert.ts);
    expect(untouched?.history).toEqual([]);
    expect(buttonIds(untouched ?? { blocks: [] })).toEqual([...ALERT_BUTTONS]);
    h.sf.resetRequests();
    await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    await waitForState(h, posted, /Approved and done/);
    for (const id of familyIds(tess.family)) expect(h.sf.org.get(id)).toBeUndefined();
    const deletes = h.sf.apiCalls().filter((c) => c.method === 'DELETE');
    expect(deletes.map((c) => c.path)).toEqual(['/services/data/v62.0/composite/sobjects']);
    await h.slack.waitFor(() => thread(h, posted).length >= 1, 10_000, 'the result in the request thread');

    // Said on the alert as soon as the request is done (after its other finishing steps), naming the request and its approver…
    const resolution = `ended by request ${posted.requestId} approved by <@${PEOPLE.approver.id}>`;
    const resolvedNow = await resolvedAlert(h, alert.ts);
    expect(resolvedNow?.text).toMatch(/^Resolved: /);
    expect(blockText(resolvedNow ?? alert, 'alert_resolved')).toContain(resolution);
    expect(buttonIds(resolvedNow ?? alert)).toEqual([]);

    // …and still so after the next full scan, which finds the sessions gone too: no second message, no other reason.
    const posts = h.slack.callsTo('chat.postMessage').length;
    h.advance(PAST_FULL_SCAN_MS);
    const report = await pollAndDeliver(h);
    expect(report.fullScan).toBe(true);
    const resolved = h.slack.messages.find((m) => m.ts === alert.ts);
    expect(resolved?.text).toMatch(/^Resolved: /);
    expect(buttonIds(resolved ?? alert)).toEqual([]);
    expect(blockText(resolved ?? alert, 'alert_resolved')).toContain(resolution);
    expect(h.slack.callsTo('chat.postMessage')).toHaveLength(posts);
  });
});
