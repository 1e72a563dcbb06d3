/**
 * An alert storm end to end (issue 10, item 3): 1,000 users each with two live sessions far apart
 * (San Francisco and Moscow, minutes apart) make 1,000+ new findings in ONE poll. They reach the
 * security channel as one digest message — not a thousand posts — while the Slack stand-in
 * enforces one message per second per channel (and answers 429 beyond it). "Show the rest" pages
 * the others privately to the clicker; the next poll posts nothing again.
 */
import { ACTIONS, ALERT_ACTIONS, DIGEST_ACTIONS, decodeDigestPageValue } from '../../src/slack/views/action-ids';
import { DIGEST_WORST_SHOWN } from '../../src/slack/views/digest';
import { addSessionFamily, addUser } from '../standins/salesforce/generator';
import { place } from '../standins/salesforce/places';
import { botUser } from '../standins/salesforce/scenarios';
import { checkMessageBlocks } from '../standins/slack/blockkit';
import type { StoredMessage } from '../standins/slack/state';
import { buttonValue } from '../support/approval-flow';
import { PEOPLE, replyText, SECURITY_CHANNEL, startHarness, type Harness } from '../support/harness';
import { blockText, buttonIds, pollAndDeliver } from '../support/monitor';

/** The buttons an open alert about sessions acts through; each of the digest's ten worst carries them too. */
const ACTING_BUTTONS = [ALERT_ACTIONS.removeSessions, ACTIONS.contain, ACTIONS.history, ACTIONS.pickUser] as const;
const USERS = Number(process.env.STORM_USERS ?? 1_000);
const MINUTE_MS = 60_000;
const now = new Date();
const minutesAgo = (m: number): Date => new Date(now.getTime() - m * MINUTE_MS);

/** Every user logged in from San Francisco, then from Moscow 20 minutes later: both sessions still live. */
function stormOrg() {
  const { org } = botUser({ now });
  for (let i = 0; i < USERS; i++) {
    const n = String(i + 1).padStart(4, '0');
    const { userId } = addUser(org, { username: `storm${n}@acme.com`, name: `Storm ${n}` });
    addSessionFamily(org, {
      userId,
      createdAt: minutesAgo(40),
      lastActivityAt: minutesAgo(2),
      sourceIp: `203.0.113.${(i % 250) + 1}`,
      place: place('San Francisco'),
    });
    addSessionFamily(org, {
      userId,
      createdAt: minutesAgo(20),
      lastActivityAt: minutesAgo(1),
      sourceIp: `198.51.100.${(i % 250) + 1}`,
      place: place('Moscow'),
    });
  }
  return org;
}

function channelMessages(h: Harness): StoredMessage[] {
  return h.slack.messages.filter((m) => m.channel === SECURITY_CHANNEL);
}

function digestsIn(h: Harness): StoredMessage[] {
  return channelMessages(h).filter((m) => blockText(m, 'digest_counts') !== '');
}

describe('an alert storm of 1,000 findings in one poll', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ org: stormOrg(), env: { ALERT_DIGEST_THRESHOLD: '10' }, warden: { outbox: { channelPace: { perChannelPerSecond: 1 } } } });
    h.slack.faults.enforceChannelPace({ perChannelPerSecond: 1 });
  }, 60_000);
  afterAll(() => h.close());

  it('reaches the channel as one digest (≤ 20 messages), with no 429 from Slack', async () => {
    const before = channelMessages(h).length;
    const t0 = Date.now();
    const report = await h.warden.monitor.pollOnce();
    const pollMs = Date.now() - t0;
    await h.warden.outbox.dispatcher.idle(60_000);
    const elapsedMs = Date.now() - t0;
    const posts = report.steps.filter((s) => s.kind === 'post').length;
    const messages = channelMessages(h).length - before;

    expect(posts).toBeGreaterThanOrEqual(USERS);
    expect(messages).toBeLessThanOrEqual(20);
    expect(digestsIn(h)).toHaveLength(1);
    expect(h.slack.faults.rateLimitedCount).toBe(0);
    console.log('alert digest figures:', JSON.stringify({ findings: posts, messages, pollMs, elapsedMs, rateLimited: h.slack.faults.rateLimitedCount }));
  }, 120_000);

  it('the digest counts per rule, lists the ten worst with the alert buttons, and passes the strict Block Kit checker', () => {
    const [digest] = digestsIn(h);
    if (!digest) throw new Error('no digest in the channel');
    expect(checkMessageBlocks(digest.blocks)).toEqual([]);
    expect((digest.blocks ?? []).length).toBeLessThanOrEqual(50);
    expect(blockText(digest, 'digest_counts')).toContain(`— ${USERS.toLocaleString('en-US')}`);
    const ids = buttonIds(digest);
    for (const id of ACTING_BUTTONS) expect(ids.filter((x) => x === id)).toHaveLength(DIGEST_WORST_SHOWN);
    // Worst first: every one of the ten shown is high (distant places).
    for (let i = 1; i <= DIGEST_WORST_SHOWN; i++) expect(blockText(digest, `digest_item_${i}`)).toContain(':red_circle: High');
    expect(ids).toContain(DIGEST_ACTIONS.showRest);
  });

  it('"Show the rest" answers only the clicker, one page at a time within 50 blocks, and pages on', async () => {
    const [digest] = digestsIn(h);
    if (!digest) throw new Error('no digest in the channel');
    const value = buttonValue(digest.blocks, DIGEST_ACTIONS.showRest);
    const first = await h.driver.blockAction({
      user_id: PEOPLE.approver.id,
      message: { channel: SECURITY_CHANNEL, ts: digest.ts },
      actions: [{ action_id: DIGEST_ACTIONS.showRest, value }],
    });
    const page1 = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === first.responseUrl), 15_000, 'page 1 of the rest');
    const body1 = page1.body as { response_type?: string; replace_original?: boolean; blocks: unknown[] };
    expect(body1.response_type).toBe('ephemeral');
    expect(body1.replace_original).toBe(false);
    expect(checkMessageBlocks(body1.blocks)).toEqual([]);
    expect(body1.blocks.length).toBeLessThanOrEqual(50);
    expect(replyText(body1)).toMatch(/Alerts 11–30 of \d/);

    const next = buttonValue(body1.blocks, DIGEST_ACTIONS.showRest);
    expect(decodeDigestPageValue(next)?.p).toBe(2);
    const second = await h.driver.blockAction({
      user_id: PEOPLE.approver.id,
      ephemeral: true,
      message: { channel: SECURITY_CHANNEL, ts: '1.000001', blocks: body1.blocks },
      actions: [{ action_id: DIGEST_ACTIONS.showRest, value: next }],
    });
    const page2 = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === second.responseUrl), 15_000, 'page 2 of the rest');
    expect(replyText(page2.body as object)).toMatch(/Alerts 31–50 of/);
    // The clicker's own page is replaced, never the digest in the channel.
    expect((page2.body as { replace_original?: boolean }).replace_original).toBe(true);
  }, 60_000);

  it('refuses "Show the rest" to someone who may not use the bot', async () => {
    const [digest] = digestsIn(h);
    if (!digest) throw new Error('no digest in the channel');
    const value = buttonValue(digest.blocks, DIGEST_ACTIONS.showRest);
    const res = await h.driver.blockAction({
      user_id: PEOPLE.outsider.id,
      message: { channel: SECURITY_CHANNEL, ts: digest.ts },
      actions: [{ action_id: DIGEST_ACTIONS.showRest, value }],
    });
    const answer = await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl), 15_000, 'the refusal');
    expect(replyText(answer.body as object)).not.toMatch(/Alerts \d/);
  }, 30_000);

  it('the findings stay claimed: the next poll posts nothing', async () => {
    const before = channelMessages(h).length;
    const report = await pollAndDeliver(h);
    await h.warden.outbox.dispatcher.idle(30_000);
    expect(report.steps.filter((s) => s.kind === 'post')).toHaveLength(0);
    expect(channelMessages(h).length).toBe(before);
  }, 60_000);
});
