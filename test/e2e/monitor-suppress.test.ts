/**
 * "Mark expected" end to end (issue 10): real Bolt and jsforce against the stand-ins. An admin
 * marks an alert expected from its button; the next findings it covers are counted, not posted;
 * it stops applying once the bot's clock passes its expiry; a user+IP scope covers only that IP;
 * `/sessions suppressions` lists it with its count and Remove ends it (audited); a person who is
 * neither admin nor approver gets no modal and nothing is stored.
 *
 * Each user has one old ("session too old") session at a time, always from San Francisco, so
 * exactly one finding of one rule speaks; a new occurrence is a fresh session (a new finding key),
 * noticed by the full scan that moving the bot's clock past FULL_SCAN_MINUTES brings.
 */
import { SUPPRESSION_ACTIONS } from '../../src/slack/views/action-ids';
import { SUPPRESS_BLOCK_IDS, SUPPRESS_CALLBACK_ID, SUPPRESS_INPUT_IDS } from '../../src/slack/views/suppress-modal';
import { addSessionFamily, addUser } from '../standins/salesforce/generator';
import type { Org } from '../standins/salesforce/org';
import { place } from '../standins/salesforce/places';
import { botUser } from '../standins/salesforce/scenarios';
import { checkMessageBlocks, checkViewPayload } from '../standins/slack/blockkit';
import type { StoredMessage } from '../standins/slack/state';
import { buttonValue } from '../support/approval-flow';
import { PEOPLE, replyText, SECURITY_CHANNEL, startHarness, type Harness } from '../support/harness';
import { alertFor, alertMessages, alertsAbout, blockText, pollAndDeliver } from '../support/monitor';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;
/** Past FULL_SCAN_MINUTES (15 by default): the next poll reads every live session again. */
const NEXT_SCAN_MS = 16 * MINUTE_MS;
const HOME_IP = '203.0.113.9';
const OTHER_IP = '198.51.100.20';
const REASON = 'Works night shifts this month; confirmed by her manager';

describe('mark expected (suppressions)', () => {
  let h: Harness;
  let org: Org;
  let offset = 0;
  const users: Record<string, string> = {};
  const live: Record<string, string[]> = {};

  const botNow = (): Date => new Date(Date.now() + offset);
  const advance = (ms: number): void => {
    offset += ms;
    h.advance(ms);
  };
  /**
   * Ends the user's old session (if any) and gives them another, in use for three days by the bot's
   * clock: a session-timeout alert (a 3-hour session at work is none; three days is high, posted at once).
   */
  const freshOldSession = (username: string, ip: string): string => {
    const userId = users[username] as string;
    // Ends the whole family (root and children), as a logout would.
    for (const id of live[username] ?? []) org.delete('AuthSession', id);
    const now = botNow();
    const family = addSessionFamily(org, {
      userId,
      createdAt: new Date(now.getTime() - 3 * DAY_MS - MINUTE_MS),
      lastActivityAt: new Date(now.getTime() - MINUTE_MS),
      sourceIp: ip,
      place: place('San Francisco'),
    });
    live[username] = [family.rootId, ...family.childIds];
    return family.rootId;
  };
  const timeoutAlerts = (username: string): StoredMessage[] => alertsAbout(h, username).filter((m) => blockText(m, 'alert_meta').includes('session-timeout'));

  /** Clicks Mark expected on the alert as `user`; resolves with the modal the bot opened (or null). */
  async function openModal(alert: StoredMessage, user: string) {
    const before = new Set(h.slack.views.keys());
    const value = buttonValue(alert.blocks, SUPPRESSION_ACTIONS.markExpected);
    expect(value).toBeDefined();
    const res = await h.driver.blockAction({
      user_id: user,
      message: { channel: SECURITY_CHANNEL, ts: alert.ts },
      actions: [{ action_id: SUPPRESSION_ACTIONS.markExpected, value: value ?? '' }],
    });
    return { res, opened: () => [...h.slack.views.values()].find((v) => !before.has(v.id)) ?? null };
  }

  async function markExpected(alert: StoredMessage, scope: { value: string; network?: string }, days: number) {
    const { opened } = await openModal(alert, PEOPLE.admin.id);
    const view = await h.slack.waitFor(opened, 10_000, 'the Mark expected modal');
    expect(checkViewPayload(view.view)).toEqual([]);
    const values = {
      [SUPPRESS_BLOCK_IDS.scope]: { [SUPPRESS_INPUT_IDS.scope]: { type: 'radio_buttons', selected_option: { value: scope.value } } },
      [SUPPRESS_BLOCK_IDS.network]: { [SUPPRESS_INPUT_IDS.network]: { type: 'plain_text_input', value: scope.network ?? null } },
      [SUPPRESS_BLOCK_IDS.days]: { [SUPPRESS_INPUT_IDS.days]: { type: 'number_input', value: String(days) } },
      [SUPPRESS_BLOCK_IDS.reason]: { [SUPPRESS_INPUT_IDS.reason]: { type: 'plain_text_input', value: REASON } },
    };
    const res = await h.driver.viewSubmission({ user_id: PEOPLE.admin.id, view: { id: view.id, callback_id: SUPPRESS_CALLBACK_ID, state: { values } } });
    expect(res.status).toBe(200);
    return res.body;
  }

  beforeEach(async () => {
    const seeded = botUser({ now: new Date() });
    org = seeded.org;
    offset = 0;
    for (const username of ['uma@acme.com', 'vera@acme.com']) {
      users[username] = addUser(org, { username }).userId;
      live[username] = [];
    }
    h = await startHarness({ org });
  });

  afterEach(async () => {
    await h.close();
  });

  it('suppresses the next occurrence for that user, counts it, and posts again once it has expired', async () => {
    freshOldSession('uma@acme.com', HOME_IP);
    await pollAndDeliver(h);
    const alert = alertFor(h, 'session-timeout', 'uma@acme.com');
    expect(checkMessageBlocks(alert.blocks)).toEqual([]);

    expect(await markExpected(alert, { value: 'user' }, 1)).toBeNull();
    await h.warden.outbox.dispatcher.drain();
    // The alert itself is marked expected in place: no buttons, who and why.
    const marked = h.slack.messages.find((m) => m.ts === alert.ts) as StoredMessage;
    expect(blockText(marked, 'alert_resolved')).toContain('Marked expected');
    expect(blockText(marked, 'alert_resolved')).toContain(`<@${PEOPLE.admin.id}>`);
    expect(buttonValue(marked.blocks, SUPPRESSION_ACTIONS.markExpected)).toBeUndefined();
    expect(checkMessageBlocks(marked.blocks)).toEqual([]);

    // Next occurrence: another old session (another finding key) of the same user and rule.
    freshOldSession('uma@acme.com', HOME_IP);
    advance(NEXT_SCAN_MS);
    const suppressedPoll = await pollAndDeliver(h);
    expect(suppressedPoll.fullScan).toBe(true);
    expect(timeoutAlerts('uma@acme.com')).toHaveLength(1);
    const [row] = await suppressionsOf(h);
    expect(row?.suppressedCount).toBe(1);

    // A day later it has expired by itself: the next occurrence is posted.
    advance(DAY_MS);
    freshOldSession('uma@acme.com', HOME_IP);
    await pollAndDeliver(h);
    expect(timeoutAlerts('uma@acme.com')).toHaveLength(2);
    expect((await h.command('suppressions')).reply.blocks.some((b) => JSON.stringify(b).includes('uma@acme.com'))).toBe(false);
  });

  it('a user + IP scope suppresses only that address', async () => {
    freshOldSession('vera@acme.com', HOME_IP);
    await pollAndDeliver(h);
    const alert = alertFor(h, 'session-timeout', 'vera@acme.com');

    // A network that does not hold the alert's address is refused inside the modal.
    const refused = (await markExpected(alert, { value: 'network', network: '192.0.2.0/24' }, 7)) as {
      response_action?: string;
      errors?: Record<string, string>;
    };
    expect(refused.response_action).toBe('errors');
    expect(refused.errors?.[SUPPRESS_BLOCK_IDS.network]).toContain(HOME_IP);
    expect(await suppressionsOf(h)).toHaveLength(0);

    expect(await markExpected(alert, { value: 'network', network: HOME_IP }, 7)).toBeNull();
    await h.warden.outbox.dispatcher.drain();

    freshOldSession('vera@acme.com', HOME_IP);
    advance(NEXT_SCAN_MS);
    await pollAndDeliver(h);
    expect(timeoutAlerts('vera@acme.com')).toHaveLength(1);

    freshOldSession('vera@acme.com', OTHER_IP);
    advance(NEXT_SCAN_MS);
    await pollAndDeliver(h);
    const posted = timeoutAlerts('vera@acme.com');
    expect(posted).toHaveLength(2);
    expect(JSON.stringify(posted[1]?.blocks)).toContain(OTHER_IP);
    const [row] = await suppressionsOf(h);
    expect(row).toMatchObject({ scope: { kind: 'network', cidr: `${HOME_IP}/32` }, suppressedCount: 1 });
  });

  it('/sessions suppressions lists it with its count, and Remove ends it (audited)', async () => {
    freshOldSession('uma@acme.com', HOME_IP);
    await pollAndDeliver(h);
    await markExpected(alertFor(h, 'session-timeout', 'uma@acme.com'), { value: 'user' }, 30);
    freshOldSession('uma@acme.com', HOME_IP);
    advance(NEXT_SCAN_MS);
    await pollAndDeliver(h);

    const { reply } = await h.command('suppressions');
    expect(checkMessageBlocks(reply.blocks)).toEqual([]);
    const text = replyText(reply);
    expect(text).toContain('session-timeout');
    expect(text).toContain('uma@acme.com');
    expect(text).toContain('1 alert suppressed');
    expect(text).toContain(REASON);
    const id = buttonValue(reply.blocks, SUPPRESSION_ACTIONS.remove) as string;
    expect(id).toMatch(/^S[A-Z2-7]{10}$/);

    const seen = h.slack.responses.length;
    await h.driver.blockAction({ user_id: PEOPLE.approver.id, ephemeral: true, actions: [{ action_id: SUPPRESSION_ACTIONS.remove, value: id }] });
    const answer = await h.slack.waitFor(() => h.slack.responses.slice(seen)[0], 10_000, 'the list after Remove');
    const after = answer.body as { text: string; blocks: unknown[]; replace_original?: boolean };
    expect(after.replace_original).toBe(true);
    expect(checkMessageBlocks(after.blocks)).toEqual([]);
    expect(replyText(after)).toContain(`Removed ${id}`);
    expect(buttonValue(after.blocks, SUPPRESSION_ACTIONS.remove)).toBeUndefined();

    const trail = await h.warden.requests.audit.listForTarget(users['uma@acme.com'] as string, 20);
    const events = trail.filter((e) => e.event.startsWith('suppression-'));
    expect(events.map((e) => [e.event, e.actor])).toEqual(
      expect.arrayContaining([
        ['suppression-created', PEOPLE.admin.id],
        ['suppression-removed', PEOPLE.approver.id],
      ]),
    );
    expect(events).toHaveLength(2);

    // Removed: the next occurrence is posted.
    freshOldSession('uma@acme.com', HOME_IP);
    advance(NEXT_SCAN_MS);
    await pollAndDeliver(h);
    expect(timeoutAlerts('uma@acme.com')).toHaveLength(2);
  });

  it('someone who is neither admin nor approver gets no modal and nothing is suppressed', async () => {
    freshOldSession('uma@acme.com', HOME_IP);
    await pollAndDeliver(h);
    const alert = alertFor(h, 'session-timeout', 'uma@acme.com');
    const seen = h.slack.responses.length;
    const { opened } = await openModal(alert, PEOPLE.outsider.id);
    const refusal = await h.slack.waitFor(() => h.slack.responses.slice(seen)[0], 10_000, 'the refusal');
    expect(replyText(refusal.body as object)).toMatch(/admin|approver|not allowed|can't|cannot/i);
    expect(opened()).toBeNull();

    // A forged submission (no modal was ever opened for them) is refused too.
    const values = {
      [SUPPRESS_BLOCK_IDS.scope]: { [SUPPRESS_INPUT_IDS.scope]: { type: 'radio_buttons', selected_option: { value: 'user' } } },
      [SUPPRESS_BLOCK_IDS.days]: { [SUPPRESS_INPUT_IDS.days]: { type: 'number_input', value: '7' } },
      [SUPPRESS_BLOCK_IDS.reason]: { [SUPPRESS_INPUT_IDS.reason]: { type: 'plain_text_input', value: REASON } },
    };
    const forged = await h.driver.viewSubmission({
      user_id: PEOPLE.outsider.id,
      view: {
        callback_id: SUPPRESS_CALLBACK_ID,
        private_metadata: JSON.stringify({ g: `session-timeout:${users['uma@acme.com']}`, a: [] }),
        state: { values },
      },
    });
    expect((forged.body as { response_action?: string }).response_action).toBe('errors');
    expect(await suppressionsOf(h)).toHaveLength(0);
    expect(alertMessages(h).find((m) => m.ts === alert.ts)?.blocks).toEqual(alert.blocks);
  });
});

/** The suppressions in force now (by the bot's clock), through the same operations the list uses. */
async function suppressionsOf(h: Harness) {
  return (await h.warden.suppressions.list()).suppressions;
}
