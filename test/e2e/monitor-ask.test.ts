/**
 * "Was this you?" end to end (issue 10, item 1): real Bolt and jsforce against the Slack and
 * Salesforce stand-ins. A distant-places alert DMs the colleague it is about (found in Slack by
 * their Salesforce e-mail), in their time zone; "No, not me" ends the sessions at once (one
 * DELETE) and escalates the alert; "Yes" is recorded; silence escalates on the timer; nobody but
 * the colleague can answer; and a colleague without a usable Slack account is not asked.
 */
import { ASK_ACTIONS } from '../../src/slack/views/action-ids';
import { addLogin, addSessionFamily, addUser } from '../standins/salesforce/generator';
import type { Org } from '../standins/salesforce/org';
import { place } from '../standins/salesforce/places';
import { botUser } from '../standins/salesforce/scenarios';
import { checkMessageBlocks } from '../standins/slack/blockkit';
import type { StoredMessage } from '../standins/slack/state';
import { buttonValue } from '../support/approval-flow';
import { PEOPLE, replyText, startHarness, type Harness } from '../support/harness';
import { alertFor, alertText, blockText, buttonIds, pollAndDeliver } from '../support/monitor';

const now = new Date();
const MINUTE_MS = 60_000;
const DAY_MINUTES = 24 * 60;
const minutesAgo = (m: number): Date => new Date(now.getTime() - m * MINUTE_MS);

/** Colleagues with Slack accounts added for this file (bob is one of the harness's people). */
const CAROL = { id: 'U0CAROL01', email: 'carol@acme.com', tz: 'Europe/Berlin' };
const DAVE = { id: 'U0DAVE001', email: 'dave@acme.com', tz: 'America/New_York' };
const ERIN = { id: 'U0ERIN001', email: 'erin@acme.com', tz: 'Europe/London' };

interface Traveller {
  userId: string;
  /** The colleague's own London session: never ended by "No, not me". */
  homeSessionIds: string[];
  /** The stranger's session from Moscow: what the alert names. */
  awaySessionIds: string[];
}

/**
 * Works in London (signed in from there days ago), at the office now, and a second live session
 * from Moscow ten minutes ago: a distant-places alert naming the Moscow session. Each person has
 * their own addresses (addresses many colleagues sign in from are shared networks, not places).
 */
function addTraveller(org: Org, username: string, n: number): Traveller {
  const userId = addUser(org, { username }).userId;
  const office = `203.0.113.${10 + n}`;
  addLogin(org, { userId, at: minutesAgo(3 * DAY_MINUTES), sourceIp: office, place: place('London') });
  const home = addSessionFamily(org, { userId, createdAt: minutesAgo(50), lastActivityAt: minutesAgo(2), sourceIp: office, place: place('London') });
  const away = addSessionFamily(org, {
    userId,
    createdAt: minutesAgo(10),
    lastActivityAt: minutesAgo(1),
    sourceIp: `198.51.100.${10 + n}`,
    place: place('Moscow'),
  });
  return { userId, homeSessionIds: [home.rootId, ...home.childIds], awaySessionIds: [away.rootId, ...away.childIds] };
}

/** Signed in from London (that session has ended), then from Singapore 45 minutes later: impossible travel, from logins only. */
function addFlyer(org: Org, username: string): { userId: string } {
  const userId = addUser(org, { username }).userId;
  addLogin(org, { userId, at: minutesAgo(4 * DAY_MINUTES), sourceIp: '192.0.2.20', place: place('London') });
  addLogin(org, { userId, at: minutesAgo(60), sourceIp: '192.0.2.20', place: place('London') });
  addSessionFamily(org, { userId, createdAt: minutesAgo(15), lastActivityAt: minutesAgo(1), sourceIp: '198.51.100.21', place: place('Singapore') });
  return { userId };
}

/** The "was this you?" DMs the bot sent a Slack user (in its IM with them). */
function dmsTo(h: Harness, slackUserId: string): StoredMessage[] {
  const im = [...h.slack.workspace.channels.values()].find((c) => c.id.startsWith('D') && c.members.includes(slackUserId));
  return im ? h.slack.messages.filter((m) => m.channel === im.id && blockText(m, 'ask_seen') !== '') : [];
}

function onlyDm(h: Harness, slackUserId: string): StoredMessage {
  const dms = dmsTo(h, slackUserId);
  if (dms.length !== 1) throw new Error(`expected one DM to ${slackUserId}, found ${dms.length}`);
  return dms[0] as StoredMessage;
}

/**
 * Clicks a DM button as `clicker` and resolves with the sentence the bot answered on the click's
 * response_url. `shown` replays a click from a client still showing an earlier version of the DM.
 */
async function clickDm(h: Harness, dm: StoredMessage, actionId: string, clicker: string, shown: unknown[] | undefined = dm.blocks): Promise<string> {
  const value = buttonValue(shown, actionId);
  if (value === undefined) throw new Error(`the DM has no ${actionId} button: ${JSON.stringify(shown)}`);
  const message = shown === dm.blocks ? { channel: dm.channel, ts: dm.ts } : { channel: dm.channel, ts: dm.ts, text: dm.text, blocks: shown };
  const res = await h.driver.blockAction({ user_id: clicker, channel_id: dm.channel, message, actions: [{ action_id: actionId, value }] });
  const answer = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl), 15_000, `the answer to ${clicker}'s click`);
  await h.warden.outbox.dispatcher.drain();
  return replyText(answer.body as object);
}

async function auditEvents(h: Harness, salesforceUserId: string): Promise<{ actor: string; event: string }[]> {
  return (await h.warden.requests.audit.listForTarget(salesforceUserId, 50)).map((e) => ({ actor: e.actor, event: e.event }));
}

describe('ask the user', () => {
  let h: Harness;
  const sf: Record<string, Traveller> = {};
  let erin: { userId: string };

  beforeAll(async () => {
    const { org } = botUser({ now });
    ['bob@acme.com', 'carol@acme.com', 'dave@acme.com', 'zed@acme.com', PEOPLE.departed.email, PEOPLE.guest.email].forEach((username, n) => {
      sf[username] = addTraveller(org, username, n);
    });
    erin = addFlyer(org, ERIN.email);
    h = await startHarness({ org, env: { ASK_USER_RULES: 'distant-places', ASK_USER_TIMEOUT_MINUTES: '30' } });
    h.slack.addUser({ id: CAROL.id, name: 'carol', tz: CAROL.tz, profile: { email: CAROL.email } });
    h.slack.addUser({ id: DAVE.id, name: 'dave', tz: DAVE.tz, profile: { email: DAVE.email } });
    h.slack.addUser({ id: ERIN.id, name: 'erin', tz: ERIN.tz, profile: { email: ERIN.email } });
    await pollAndDeliver(h);
  });
  afterAll(async () => {
    await h.close();
  });

  it('DMs the colleague what was seen, in their own time zone, with Yes / No; the alert says who was asked', () => {
    const dm = onlyDm(h, CAROL.id);
    const seen = blockText(dm, 'ask_seen');
    expect(seen).toContain('a login from Moscow, RU');
    expect(seen).toContain('Europe/Berlin');
    // 10 minutes ago, as a clock in Berlin shows it.
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: CAROL.tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(minutesAgo(10));
    expect(seen).toContain(berlin);
    expect(buttonIds(dm)).toEqual([ASK_ACTIONS.yes, ASK_ACTIONS.no]);
    expect(checkMessageBlocks(dm.blocks)).toEqual([]);
    const alert = alertFor(h, 'distant-places', 'carol@acme.com');
    expect(blockText(alert, 'alert_ask')).toContain(`<@${CAROL.id}>`);
    expect(blockText(alert, 'alert_ask')).toContain('no answer yet');
    // Already asked: no Ask button.
    expect(buttonIds(alert)).not.toContain(ASK_ACTIONS.ask);
  });

  it('refuses a click on the DM by anyone but the colleague, and changes nothing', async () => {
    const dm = onlyDm(h, PEOPLE.bob.id);
    const deletesBefore = h.sf.apiCalls().filter((c) => c.method === 'DELETE').length;
    const answer = await clickDm(h, dm, ASK_ACTIONS.no, PEOPLE.outsider.id);
    expect(answer).toContain('Only the person this question was sent to can answer it');
    expect(h.sf.apiCalls().filter((c) => c.method === 'DELETE')).toHaveLength(deletesBefore);
    expect(buttonIds(onlyDm(h, PEOPLE.bob.id))).toEqual([ASK_ACTIONS.yes, ASK_ACTIONS.no]);
    expect(blockText(alertFor(h, 'distant-places', 'bob@acme.com'), 'alert_escalation')).toBe('');
  });

  it("\"No, not me\" ends the stranger's sessions (not the colleague's own) with one DELETE, audits it as the colleague's own act, and escalates the alert", async () => {
    const dm = onlyDm(h, PEOPLE.bob.id);
    const shownBefore = structuredClone(dm.blocks);
    const deletesBefore = h.sf.apiCalls().filter((c) => c.method === 'DELETE').length;
    const answer = await clickDm(h, dm, ASK_ACTIONS.no, PEOPLE.bob.id);
    expect(answer).toContain('those sessions were ended');

    const deletes = h.sf.apiCalls().filter((c) => c.method === 'DELETE');
    expect(deletes).toHaveLength(deletesBefore + 1);
    const bob = sf['bob@acme.com']!;
    for (const id of bob.awaySessionIds) expect(h.sf.org.get(id)).toBeUndefined();
    // Bob's own London session is the one he is using: it stays.
    for (const id of bob.homeSessionIds) expect(h.sf.org.get(id)).toBeDefined();

    const events = await auditEvents(h, bob.userId);
    expect(events).toEqual(
      expect.arrayContaining([
        { actor: PEOPLE.bob.id, event: 'ask-user-denied' },
        { actor: PEOPLE.bob.id, event: 'self-service-end' },
      ]),
    );

    const alert = alertFor(h, 'distant-places', 'bob@acme.com');
    const escalation = blockText(alert, 'alert_escalation');
    expect(escalation).toContain('Escalated');
    expect(escalation).toContain(`<@${PEOPLE.approver.id}>`);
    expect(escalation).toContain(`<@${PEOPLE.approver2.id}>`);
    expect(alert.text).toMatch(/^Escalated High alert/);
    expect(blockText(alert, 'alert_ask')).toContain('No, not me');
    expect(buttonIds(alert)).toContain('request_contain');
    expect(checkMessageBlocks(alert.blocks)).toEqual([]);

    // The DM now says what happened, without buttons.
    const settled = onlyDm(h, PEOPLE.bob.id);
    expect(buttonIds(settled)).toEqual([]);
    expect(blockText(settled, 'ask_answer')).toContain('it was not you');
    expect(checkMessageBlocks(settled.blocks)).toEqual([]);

    // A second click changes nothing and ends nothing more.
    expect(await clickDm(h, dm, ASK_ACTIONS.no, PEOPLE.bob.id, shownBefore)).toContain('already been settled');
    expect(h.sf.apiCalls().filter((c) => c.method === 'DELETE')).toHaveLength(deletesBefore + 1);
  });

  it('"Yes, it was me" is recorded on the alert and in the audit trail; nothing is ended', async () => {
    const deletesBefore = h.sf.apiCalls().filter((c) => c.method === 'DELETE').length;
    const answer = await clickDm(h, onlyDm(h, CAROL.id), ASK_ACTIONS.yes, CAROL.id);
    expect(answer).toContain('recorded that it was you');
    expect(h.sf.apiCalls().filter((c) => c.method === 'DELETE')).toHaveLength(deletesBefore);
    const alert = alertFor(h, 'distant-places', 'carol@acme.com');
    expect(blockText(alert, 'alert_ask')).toContain('Yes, it was me');
    expect(blockText(alert, 'alert_escalation')).toBe('');
    expect(await auditEvents(h, sf['carol@acme.com']!.userId)).toContainEqual({ actor: CAROL.id, event: 'ask-user-confirmed' });
    expect(buttonIds(onlyDm(h, CAROL.id))).toEqual([]);
  });

  it('says on the alert why nobody was asked: no Slack account, a deactivated one, a guest; and sends nothing', async () => {
    expect(blockText(alertFor(h, 'distant-places', 'zed@acme.com'), 'alert_ask')).toContain('no Slack account has that e-mail');
    expect(blockText(alertFor(h, 'distant-places', PEOPLE.departed.email), 'alert_ask')).toContain('deactivated');
    expect(blockText(alertFor(h, 'distant-places', PEOPLE.guest.email), 'alert_ask')).toContain('guest');
    expect(dmsTo(h, PEOPLE.departed.id)).toHaveLength(0);
    expect(dmsTo(h, PEOPLE.guest.id)).toHaveLength(0);
    expect(await auditEvents(h, sf['zed@acme.com']!.userId)).toContainEqual({ actor: 'system', event: 'ask-user-unreachable' });
  });

  it('offers "Ask <name>" on alerts of rules not asked automatically, and asks once when pressed', async () => {
    // Impossible travel is high (posted at once, not held) and not in ASK_USER_RULES: nobody was asked.
    const alert = alertFor(h, 'impossible-travel', ERIN.email);
    expect(blockText(alert, 'alert_ask')).toBe('');
    const value = buttonValue(alert.blocks, ASK_ACTIONS.ask);
    expect(value).toBeDefined();
    const res = await h.driver.blockAction({
      user_id: PEOPLE.admin.id,
      message: { channel: alert.channel, ts: alert.ts },
      actions: [{ action_id: ASK_ACTIONS.ask, value: value! }],
    });
    const answer = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl), 15_000, 'the answer to the Ask click');
    await h.warden.outbox.dispatcher.drain();
    expect(replyText(answer.body as object)).toContain(`Sent <@${ERIN.id}> a direct message`);
    const asked = alertFor(h, 'impossible-travel', ERIN.email);
    expect(blockText(asked, 'alert_ask')).toContain(`asked by <@${PEOPLE.admin.id}>`);
    expect(buttonIds(asked)).not.toContain(ASK_ACTIONS.ask);
    expect(dmsTo(h, ERIN.id)).toHaveLength(1);
    expect(blockText(dmsTo(h, ERIN.id)[0]!, 'ask_seen')).toContain('a login from Singapore, SG');
    expect(await auditEvents(h, erin.userId)).toEqual(expect.arrayContaining([expect.objectContaining({ actor: PEOPLE.admin.id })]));
  });

  it('escalates an ask left unanswered past ASK_USER_TIMEOUT_MINUTES, once, on the timer', async () => {
    expect(blockText(alertFor(h, 'distant-places', 'dave@acme.com'), 'alert_escalation')).toBe('');
    const dm = dmsTo(h, DAVE.id)[0]!;
    const shownBefore = structuredClone(dm.blocks);
    h.advance(29 * MINUTE_MS);
    await h.warden.tick();
    await h.warden.outbox.dispatcher.drain();
    expect(blockText(alertFor(h, 'distant-places', 'dave@acme.com'), 'alert_escalation')).toBe('');

    h.advance(2 * MINUTE_MS);
    await h.warden.tick();
    await h.warden.tick();
    await h.warden.outbox.dispatcher.drain();
    const alert = alertFor(h, 'distant-places', 'dave@acme.com');
    expect(blockText(alert, 'alert_escalation')).toContain('did not answer within 30 min');
    expect(blockText(alert, 'alert_escalation')).toContain(`<@${PEOPLE.approver.id}>`);
    expect(blockText(alert, 'alert_ask')).toContain('did not answer');
    expect(checkMessageBlocks(alert.blocks)).toEqual([]);
    // Two ticks past the due time escalate dave's one ask (his incident is one alert) once.
    const timeouts = (await h.warden.requests.audit.listForTarget(sf['dave@acme.com']!.userId, 50)).filter((e) => e.event === 'ask-user-timeout');
    expect(timeouts.map((e) => e.actor)).toEqual(['system']);
    expect((timeouts[0]?.detail as { alert: string } | undefined)?.alert.split(':')[0]).toBe('distant-places');
    expect(alertText(alert)).toContain('Escalated');
    expect(buttonIds(dm)).toEqual([]);
    expect(blockText(dm, 'ask_answer')).toContain('No answer came in time');
    // A late click (from a client still showing the buttons) is refused: the question is settled.
    expect(await clickDm(h, dm, ASK_ACTIONS.yes, DAVE.id, shownBefore)).toContain('already been settled');
    expect(blockText(alertFor(h, 'distant-places', 'dave@acme.com'), 'alert_ask')).toContain('did not answer');
  });
});
