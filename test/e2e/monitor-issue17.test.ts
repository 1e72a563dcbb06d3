/**
 * Issue 17 end to end: the defects the new detection semantics fix, against the real Bolt app and
 * real jsforce talking to the Slack and Salesforce stand-ins. Each scenario gives the person the
 * history a real colleague has (earlier logins from their office) and the stranger his own address:
 *  1. "No, not me" about the Moscow login ends the Moscow session only, never the colleague's own;
 *  2. a distant-places alert whose far session ended outside the bot resolves at the next full scan;
 *  3. a 3-hour session at work is no alert, a 3-day one is;
 * plus held alerts (a medium finding asks the person before the channel hears of it) and password
 * spraying across people.
 */
import { ALERT_ACTIONS, ASK_ACTIONS } from '../../src/slack/views/action-ids';
import { addLogin, addSessionFamily, addUser, type SessionFamilyIds } from '../standins/salesforce/generator';
import type { Org } from '../standins/salesforce/org';
import { place } from '../standins/salesforce/places';
import { botUser } from '../standins/salesforce/scenarios';
import { checkMessageBlocks } from '../standins/slack/blockkit';
import { PEOPLE, SECURITY_CHANNEL, startHarness, type Harness } from '../support/harness';
import {
  alertFor,
  alertMessages,
  alertsAbout,
  alertText,
  askDmsTo,
  blockText,
  buttonIds,
  clickAskDm,
  onlyAskDm,
  pollAndDeliver,
  removableSessionIds,
  ruleOf,
} from '../support/monitor';

const now = new Date();
const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const minutesAgo = (m: number): Date => new Date(now.getTime() - m * MINUTE_MS);

/** Colleagues with Slack accounts added for this file (bob is one of the harness's people). */
const NELL = { id: 'U0NELL001', email: 'nell@acme.com' };
const YARA = { id: 'U0YARA001', email: 'yara@acme.com' };

const SPRAY_IP = '198.51.100.99';
const SPRAYED = 15;

function familyIds(family: SessionFamilyIds): string[] {
  return [family.rootId, ...family.childIds];
}

/** Someone who works at `office` (signed in from there three and two days ago). */
function colleague(org: Org, username: string, office: { ip: string; city: string }): string {
  const { userId } = addUser(org, { username });
  for (const days of [3, 2]) addLogin(org, { userId, at: minutesAgo(days * DAY_MINUTES), sourceIp: office.ip, place: place(office.city) });
  return userId;
}

/** The sprayer's one wrong password against `userId`, from its server in Lagos. */
function sprayFailure(org: Org, userId: string, at: Date): void {
  addLogin(org, { userId, at, status: 'Invalid Password', sourceIp: SPRAY_IP, place: place('Lagos'), browser: 'Python Requests', platform: 'Unknown' });
}

/** At the office in San Francisco now, and a stranger's session from Moscow that began ten minutes ago. */
function officeAndMoscow(org: Org, userId: string, n: number) {
  const home = addSessionFamily(org, {
    userId,
    createdAt: minutesAgo(50),
    lastActivityAt: minutesAgo(2),
    sourceIp: `203.0.113.${20 + n}`,
    place: place('San Francisco'),
  });
  const moscow = addSessionFamily(org, {
    userId,
    createdAt: minutesAgo(10),
    lastActivityAt: minutesAgo(1),
    sourceIp: `198.51.100.${20 + n}`,
    place: place('Moscow'),
    login: { browser: 'Firefox 133', platform: 'Windows 10' },
  });
  return { home, moscow };
}

function issue17Org() {
  const { org, botUserId } = botUser({ now });

  // 1. Bob: asked about Moscow (distant-places in ASK_USER_RULES).
  const bob = colleague(org, PEOPLE.bob.email, { ip: '203.0.113.20', city: 'San Francisco' });
  const bobSessions = officeAndMoscow(org, bob, 0);

  // 2. Hana: the Moscow session is logged out outside the bot (no Slack account: nobody to ask).
  const hana = colleague(org, 'hana@acme.com', { ip: '203.0.113.21', city: 'San Francisco' });
  const hanaSessions = officeAndMoscow(org, hana, 1);

  // 3. Walt has been at work in one session for three hours; Kai's session has been kept alive for three days.
  const walt = colleague(org, 'walt@acme.com', { ip: '203.0.113.22', city: 'San Francisco' });
  const waltSession = addSessionFamily(org, {
    userId: walt,
    createdAt: minutesAgo(180),
    lastActivityAt: minutesAgo(3),
    sourceIp: '203.0.113.22',
    place: place('San Francisco'),
  });
  const kai = colleague(org, 'kai@acme.com', { ip: '203.0.113.23', city: 'San Francisco' });
  const kaiSession = addSessionFamily(org, {
    userId: kai,
    // In use from its login three days ago until three minutes ago.
    createdAt: minutesAgo(3 * DAY_MINUTES + 3),
    lastActivityAt: minutesAgo(3),
    sourceIp: '203.0.113.23',
    place: place('San Francisco'),
  });

  // Held: Nell and Yara work in Paris and signed in from Berlin ten minutes ago, from a browser they never used
  // (with their own laptop it would be a plausible trip, not a new country): medium new-country, ask-first.
  const NEW_DEVICE = { browser: 'Firefox 133', platform: 'Windows 10' };
  const nell = colleague(org, NELL.email, { ip: '192.0.2.40', city: 'Paris' });
  addSessionFamily(org, {
    userId: nell,
    createdAt: minutesAgo(10),
    lastActivityAt: minutesAgo(1),
    sourceIp: '192.0.2.141',
    place: place('Berlin'),
    login: NEW_DEVICE,
  });
  const yara = colleague(org, YARA.email, { ip: '192.0.2.41', city: 'Paris' });
  addSessionFamily(org, {
    userId: yara,
    createdAt: minutesAgo(10),
    lastActivityAt: minutesAgo(1),
    sourceIp: '192.0.2.142',
    place: place('Berlin'),
    login: NEW_DEVICE,
  });

  // Spraying: one address fails once against each of 15 colleagues (each at their own office), then gets in as the seventh.
  const sprayed: string[] = [];
  for (let i = 0; i < SPRAYED; i++) {
    const username = `spray${String(i + 1).padStart(2, '0')}@acme.com`;
    const userId = colleague(org, username, { ip: `203.0.113.${100 + i}`, city: 'Chicago' });
    sprayed.push(userId);
    sprayFailure(org, userId, minutesAgo(40 - i));
  }
  const victimIndex = 6;
  const victim = sprayed[victimIndex] as string;
  addSessionFamily(org, {
    userId: victim,
    createdAt: minutesAgo(20),
    lastActivityAt: minutesAgo(2),
    sourceIp: SPRAY_IP,
    place: place('Lagos'),
    login: { browser: 'Python Requests', platform: 'Unknown' },
  });

  return {
    org,
    botUserId,
    bob: { userId: bob, home: familyIds(bobSessions.home), moscow: familyIds(bobSessions.moscow) },
    hana: { userId: hana, home: familyIds(hanaSessions.home), moscow: familyIds(hanaSessions.moscow), moscowRoot: hanaSessions.moscow.rootId },
    walt: { userId: walt, sessions: familyIds(waltSession) },
    kai: { userId: kai, rootId: kaiSession.rootId },
    nell,
    yara,
    sprayed,
    victim,
    victimUsername: `spray${String(victimIndex + 1).padStart(2, '0')}@acme.com`,
  };
}

describe('issue 17: detections that know the person, end to end', () => {
  let h: Harness;
  let ids: ReturnType<typeof issue17Org>;

  beforeAll(async () => {
    ids = issue17Org();
    // A high distant-places alert is posted at once and, with the rule in ASK_USER_RULES, asked too.
    h = await startHarness({ org: ids.org, env: { ASK_USER_RULES: 'distant-places' } });
    h.slack.addUser({ id: NELL.id, name: 'nell', tz: 'Europe/Paris', profile: { email: NELL.email } });
    h.slack.addUser({ id: YARA.id, name: 'yara', tz: 'Europe/Paris', profile: { email: YARA.email } });
    await pollAndDeliver(h);
  });
  afterAll(() => h.close());

  it('1. "No, not me" about the Moscow login ends only the Moscow session, never the colleague\'s own San Francisco session', async () => {
    const alert = alertFor(h, 'distant-places', PEOPLE.bob.email);
    // The alert names the stranger's session only: Remove these sessions would end Moscow, not the office.
    expect(removableSessionIds(alert)).toEqual([ids.bob.moscow[0]]);
    expect(blockText(alert, 'alert_summary')).toMatch(/another session from Moscow, RU — 9,\d00 km from San Francisco, US/);

    const dm = onlyAskDm(h, PEOPLE.bob.id);
    expect(blockText(dm, 'ask_seen')).toContain('a login from Moscow, RU');
    const deletesBefore = h.sf.apiCalls().filter((c) => c.method === 'DELETE').length;
    expect(await clickAskDm(h, dm, ASK_ACTIONS.no, PEOPLE.bob.id)).toContain('those sessions were ended');

    // In Salesforce: every session of the Moscow login is gone, every session of the office login is still there.
    expect(h.sf.apiCalls().filter((c) => c.method === 'DELETE')).toHaveLength(deletesBefore + 1);
    for (const id of ids.bob.moscow) expect(h.sf.org.get(id)).toBeUndefined();
    for (const id of ids.bob.home) expect(h.sf.org.get(id)).toBeDefined();
    expect(alertFor(h, 'distant-places', PEOPLE.bob.email).text).toMatch(/^Escalated High alert/);
  });

  it('2. a distant-places alert whose far session ended outside the bot is resolved at the next full scan, and its buttons go', async () => {
    const before = alertFor(h, 'distant-places', 'hana@acme.com');
    // Before: Remove these sessions would have ended the far session only.
    expect(removableSessionIds(before)).toEqual([ids.hana.moscowRoot]);
    expect(buttonIds(before)).toContain(ALERT_ACTIONS.removeSessions);

    // Hana's Moscow session is logged out in Salesforce (by an admin, by its timeout): the bot did nothing.
    for (const id of ids.hana.moscow) h.sf.org.delete('AuthSession', id);
    const quiet = await pollAndDeliver(h);
    expect(quiet.fullScan).toBe(false);
    expect(blockText(alertFor(h, 'distant-places', 'hana@acme.com'), 'alert_resolved')).toBe('');

    h.advance(16 * MINUTE_MS);
    const scan = await pollAndDeliver(h);
    expect(scan.fullScan).toBe(true);
    expect(scan.steps).toContainEqual(expect.objectContaining({ kind: 'resolve', reason: 'the sessions have ended' }));
    const after = alertFor(h, 'distant-places', 'hana@acme.com');
    expect(after.ts).toBe(before.ts);
    expect(blockText(after, 'alert_resolved')).toContain('Resolved');
    expect(buttonIds(after)).toEqual([]);
    expect(checkMessageBlocks(after.blocks)).toEqual([]);
    // Her own office session was never part of it and is still live.
    for (const id of ids.hana.home) expect(h.sf.org.get(id)).toBeDefined();
  });

  it('3. a 3-hour UI session at work raises no alert; a session kept alive for 3 days does', () => {
    expect(alertsAbout(h, 'walt@acme.com')).toEqual([]);
    for (const id of ids.walt.sessions) expect(alertMessages(h).map(alertText).join('\n')).not.toContain(id);
    const kai = alertFor(h, 'session-timeout', 'kai@acme.com');
    expect(kai.text).toMatch(/^High alert: /);
    expect(blockText(kai, 'alert_summary')).toContain('kept in use 3 days since its login');
    expect(removableSessionIds(kai)).toEqual([ids.kai.rootId]);
  });

  it('held: a medium new-country finding is DMed first and not posted; "No" posts it escalated; "Yes" resolves it and nothing reaches the channel', async () => {
    // Both were asked, and neither alert is in the security channel yet.
    const nellDm = onlyAskDm(h, NELL.id);
    const yaraDm = onlyAskDm(h, YARA.id);
    expect(blockText(nellDm, 'ask_seen')).toContain('a country your account has not logged in from before');
    expect(alertsAbout(h, NELL.email)).toEqual([]);
    expect(alertsAbout(h, YARA.email)).toEqual([]);

    expect(await clickAskDm(h, nellDm, ASK_ACTIONS.no, NELL.id)).not.toBe('');
    const nell = alertFor(h, 'new-country', NELL.email);
    expect(nell.channel).toBe(SECURITY_CHANNEL);
    // Medium, raised one step by the escalation.
    expect(nell.text).toMatch(/^Escalated High alert: /);
    expect(blockText(nell, 'alert_escalation')).toContain('Escalated');
    expect(blockText(nell, 'alert_ask')).toContain('No, not me');
    expect(checkMessageBlocks(nell.blocks)).toEqual([]);

    const postsBefore = h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === SECURITY_CHANNEL).length;
    expect(await clickAskDm(h, yaraDm, ASK_ACTIONS.yes, YARA.id)).toContain('recorded that it was you');
    expect(alertsAbout(h, YARA.email)).toEqual([]);
    expect(h.slack.callsTo('chat.postMessage').filter((c) => c.args.channel === SECURITY_CHANNEL)).toHaveLength(postsBefore);
    expect(buttonIds(onlyAskDm(h, YARA.id))).toEqual([]);
    // Recorded as resolved by her answer, and a later poll does not bring it back.
    await pollAndDeliver(h);
    expect(alertsAbout(h, YARA.email)).toEqual([]);
    expect(askDmsTo(h, YARA.id)).toHaveLength(1);
  });

  it('password spraying: 15 people failing from one address, then one success, is one alert naming the address, the 15 people and the victim', () => {
    const sprays = alertMessages(h).filter((m) => ruleOf(m) === 'password-spraying');
    expect(sprays).toHaveLength(1);
    const alert = sprays[0]!;
    expect(alert.text).toMatch(/^High alert: /);
    expect(blockText(alert, 'alert_user')).toContain(ids.victimUsername);
    expect(blockText(alert, 'alert_summary')).toContain(`password spraying from ${SPRAY_IP} (Lagos, NG): ${SPRAYED} people tried`);
    expect(blockText(alert, 'alert_summary')).toContain('1 of them then signed in from it');
    expect(blockText(alert, 'alert_evidence')).toMatch(/\*Tried\* 15 people, 15 failed logins in 14 min/);
    expect(blockText(alert, 'alert_evidence')).toContain('*Then signed in from it* 1 person');
    expect(checkMessageBlocks(alert.blocks)).toEqual([]);
    // The 14 others each saw one failure: nothing about them on its own.
    for (let i = 1; i <= SPRAYED; i++) {
      const username = `spray${String(i).padStart(2, '0')}@acme.com`;
      expect(alertsAbout(h, username)).toHaveLength(username === ids.victimUsername ? 1 : 0);
    }
  });
});

describe('issue 17: password spraying whose success comes a poll after its failures', () => {
  let h: Harness;
  const people: string[] = [];

  beforeAll(async () => {
    const { org } = botUser({ now });
    for (let i = 0; i < SPRAYED; i++) {
      const userId = colleague(org, `late${String(i + 1).padStart(2, '0')}@acme.com`, { ip: `203.0.113.${100 + i}`, city: 'Chicago' });
      people.push(userId);
      sprayFailure(org, userId, minutesAgo(40 - i));
    }
    h = await startHarness({ org });
    await pollAndDeliver(h);
  });
  afterAll(() => h.close());

  it('first says nobody got in (medium, about nobody), then a new high alert names the victim once the address signs in as one of them', async () => {
    const [attempts, ...more] = alertMessages(h).filter((m) => ruleOf(m) === 'password-spraying');
    expect(more).toEqual([]);
    expect(attempts?.text).toMatch(/^Medium alert: /);
    expect(blockText(attempts ?? { blocks: [] }, 'alert_summary')).toContain('nobody signed in from it');

    // The sprayer gets in as the seventh person, in the next poll: only a success is new from that address.
    addSessionFamily(h.sf.org, {
      userId: people[6] as string,
      createdAt: new Date(Date.now() - MINUTE_MS),
      lastActivityAt: new Date(),
      sourceIp: SPRAY_IP,
      place: place('Lagos'),
      login: { browser: 'Python Requests', platform: 'Unknown' },
    });
    await pollAndDeliver(h);
    await pollAndDeliver(h);
    const sprays = alertMessages(h).filter((m) => ruleOf(m) === 'password-spraying');
    expect(sprays).toHaveLength(2);
    const victim = alertFor(h, 'password-spraying', 'late07@acme.com');
    expect(victim.text).toMatch(/^High alert: /);
    expect(blockText(victim, 'alert_summary')).toContain(`password spraying from ${SPRAY_IP} (Lagos, NG): ${SPRAYED} people tried`);
    expect(blockText(victim, 'alert_summary')).toContain('1 of them then signed in from it');
  });
});
