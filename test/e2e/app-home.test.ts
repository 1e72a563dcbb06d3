/**
 * The App Home tab end to end (issue 10, item 4): Slack sends a signed `app_home_opened` event,
 * the bot publishes the tab with views.publish — everything for an admin or an approver, one
 * sentence for anyone else — and re-publishes it for recent viewers when an alert is posted.
 */
import { OUTSIDER_SENTENCE } from '../../src/slack/views/home';
import { ACTIONS, encodeValue } from '../../src/slack/views/action-ids';
import { everything } from '../standins/salesforce/scenarios';
import { checkViewPayload } from '../standins/slack/blockkit';
import type { StoredView } from '../standins/slack/state';
import { click, requestAction } from '../support/approval-flow';
import { PEOPLE, startHarness, type Harness } from '../support/harness';
import { allText } from '../support/assert-valid-blocks';

describe('the App Home tab', () => {
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now: new Date() });
    h = await startHarness({ org: ids.org });
  }, 60_000);
  afterAll(() => h.close());

  function homeOf(userId: string): StoredView | undefined {
    return [...h.slack.views.values()].find((v) => v.user_id === userId && v.view.type === 'home');
  }

  async function open(userId: string, after = 0): Promise<StoredView> {
    const before = h.slack.callsTo('views.publish').length;
    const res = await h.driver.appHomeOpened({ user_id: userId });
    expect(res.status).toBe(200);
    await h.slack.waitFor(() => h.slack.callsTo('views.publish').length > Math.max(before, after) || undefined, 10_000, `the Home tab of ${userId}`);
    const view = homeOf(userId);
    if (!view) throw new Error(`no Home view for ${userId}`);
    return view;
  }

  it('shows an admin the monitor, open alerts worst first, pending requests with their age, and suppressions', async () => {
    await h.warden.monitor.pollOnce();
    await h.warden.outbox.dispatcher.drain();
    await requestAction({ slack: h.slack, driver: h.driver }, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    const view = await open(PEOPLE.admin.id);
    expect(checkViewPayload(view.view)).toEqual([]);
    const text = allText(view.view.blocks as unknown[]);
    // The harness runs with MONITOR_INTERVAL_SECONDS=0 and polls by hand: the monitor says so, and still shows its last poll.
    expect(text).toContain('*Alert monitor* off (MONITOR_INTERVAL_SECONDS is 0)');
    // Backfill, full scan, one Composite call for the OauthToken reads (grants, once per full scan) and the users' names.
    expect(text).toMatch(/\*Last poll\* .+ \*Salesforce API calls today\* 4 /);
    // One alert per incident: Bob's compromise (its other findings are signals in it), big@'s distant sessions, the integration's old grant.
    expect(text).toMatch(/\*Open alerts\* \(3\)/);
    // Worst first: the first listed is a high one.
    expect(JSON.stringify((view.view.blocks as { block_id?: string }[]).find((b) => b.block_id === 'home_alert_1'))).toContain(':red_circle:');
    expect(text).toMatch(/\*Pending approval requests\* \(1\)/);
    expect(text).toMatch(/waiting \*(under 1 min|\d+ min)\*/);
    expect(text).toContain('*Active suppressions*');
  }, 60_000);

  it('shows an approver the same tab', async () => {
    const view = await open(PEOPLE.approver.id);
    expect(checkViewPayload(view.view)).toEqual([]);
    expect(allText(view.view.blocks as unknown[])).toMatch(/\*Open alerts\* \(3\)/);
  }, 30_000);

  it('shows an outsider one sentence on who may use the bot, and nothing else', async () => {
    const view = await open(PEOPLE.outsider.id);
    expect(checkViewPayload(view.view)).toEqual([]);
    expect(allText(view.view.blocks as unknown[])).toBe(OUTSIDER_SENTENCE);
  }, 30_000);

  it('ignores the Messages tab', async () => {
    const before = h.slack.callsTo('views.publish').length;
    const res = await h.driver.appHomeOpened({ user_id: PEOPLE.admin.id, tab: 'messages' });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(h.slack.callsTo('views.publish').length).toBe(before);
  });

  it('re-publishes for recent admin and approver viewers when a request changes — not for the outsider', async () => {
    const before = h.slack.callsTo('views.publish').length;
    // Carol, not Erin: Erin is frozen already, and a request that would change nothing is refused in its form.
    await requestAction({ slack: h.slack, driver: h.driver }, ACTIONS.freeze, encodeValue({ u: ids.duplicate.carolId }));
    const shows = (userId: string) => allText((homeOf(userId)?.view.blocks ?? []) as unknown[]).includes('*Pending approval requests* (2)');
    await h.slack.waitFor(() => (shows(PEOPLE.admin.id) && shows(PEOPLE.approver.id)) || undefined, 10_000, 'the refreshed tabs');
    const refreshed = h.slack
      .callsTo('views.publish')
      .slice(before)
      .map((c) => c.args.user_id);
    expect(refreshed).toEqual(expect.arrayContaining([PEOPLE.admin.id, PEOPLE.approver.id]));
    expect(refreshed).not.toContain(PEOPLE.outsider.id);
  }, 60_000);
});

describe('the App Home tab while Slack rate-limits views.publish', () => {
  // views.publish is Tier 4; a 429 makes @slack/web-api pause the whole client for Retry-After. The tab has a client
  // and a queue of its own, so the approval click's access check (users.info) must not wait for it.
  const RETRY_AFTER_SEC = 8;
  let h: Harness;
  let ids: ReturnType<typeof everything>;
  beforeAll(async () => {
    ids = everything({ now: new Date() });
    h = await startHarness({ org: ids.org, warden: { home: { debounceMs: 50 } } });
  }, 60_000);
  afterAll(() => h.close());

  const homeText = (userId: string): string =>
    allText(([...h.slack.views.values()].find((v) => v.user_id === userId && v.view.type === 'home')?.view.blocks ?? []) as unknown[]);

  it('handles an approval click at once during a views.publish 429 storm, and publishes the latest tabs once Slack lets it', async () => {
    for (const viewer of [PEOPLE.admin.id, PEOPLE.approver2.id]) {
      const before = h.slack.delivered('views.publish').length;
      await h.driver.appHomeOpened({ user_id: viewer });
      await h.slack.waitFor(() => h.slack.delivered('views.publish').length > before, 10_000, `the Home tab of ${viewer}`);
    }
    const stormStart = Date.now();
    h.slack.faults.storm({ methods: ['views.publish'], kind: 'ratelimit', retryAfter: RETRY_AFTER_SEC, forMs: RETRY_AFTER_SEC * 1000 });
    const posted = await requestAction({ slack: h.slack, driver: h.driver }, ACTIONS.freeze, encodeValue({ u: ids.quiet.userId }));
    await h.slack.waitFor(() => h.slack.callsTo('views.publish').some((c) => c.fault === 'storm'), 10_000, 'a views.publish refused with 429');

    const clickedAt = Date.now();
    const res = await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
    expect(res.status).toBe(200);
    const decided = await waitForState(h, posted.requestId, ['approved', 'executing', 'done'], 5_000);
    const tookMs = Date.now() - clickedAt;
    expect(decided).toBeDefined();
    expect(tookMs).toBeLessThan(3_000);

    // The queue waits out Retry-After instead of knocking again: one refused attempt for the whole pause.
    expect(h.slack.callsTo('views.publish').filter((c) => c.fault === 'storm')).toHaveLength(1);
    // Nothing reaches the tabs until Retry-After has passed; then each viewer gets the latest tab (the request decided).
    const refusedAt = Date.now();
    const publishedAfter = (since: number) =>
      new Set(h.slack.calls.filter((c) => c.method === 'views.publish' && c.response.ok && c.at >= since).map((c) => c.args.user_id));
    await h.slack.waitFor(
      () => (publishedAfter(refusedAt).has(PEOPLE.admin.id) && publishedAfter(refusedAt).has(PEOPLE.approver2.id)) || undefined,
      (RETRY_AFTER_SEC + 10) * 1000,
      'the refreshed tabs after the storm',
    );
    expect(Date.now() - stormStart).toBeGreaterThanOrEqual(RETRY_AFTER_SEC * 1000 - 500);
    await h.slack.waitFor(
      () => [PEOPLE.admin.id, PEOPLE.approver2.id].every((u) => homeText(u).includes('*Pending approval requests* (0)')) || undefined,
      10_000,
      'tabs showing the request decided',
    );
  }, 60_000);
});

async function waitForState(h: Harness, requestId: string, states: string[], timeoutMs: number): Promise<string> {
  const started = Date.now();
  for (;;) {
    const state = (await h.warden.requests.store.get(requestId))?.state;
    if (state && states.includes(state)) return state;
    if (Date.now() - started > timeoutMs) throw new Error(`request ${requestId} still ${state ?? 'missing'} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
