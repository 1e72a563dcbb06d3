/**
 * What the alert monitor costs the org, end to end: a quiet poll is ONE Salesforce REST call
 * whatever the org's size, and when the org's daily API allowance runs low the monitor slows
 * down, then pauses, telling the security channel once per change (and once on resuming), with
 * `monitor.current()` and /healthz saying the same.
 */
import type { BudgetState } from '../../src/domain/budget';
import { generateOrg } from '../standins/salesforce/generator';
import { everything } from '../standins/salesforce/scenarios';
import { healthOf, startHarness, type Harness, type HealthReport } from '../support/harness';
import { blockText, budgetNotices, pollAndDeliver } from '../support/monitor';

const now = new Date();
/** The stand-in's daily allowance (its default, a Developer Edition's). */
const API_LIMIT = 15_000;
const FLOOR_PERCENT = 20;

interface MonitorHealth extends HealthReport {
  monitor: { role: string; lastPollAt: string | null; callsToday: number; budget: BudgetState };
}

async function monitorHealth(h: Harness): Promise<MonitorHealth['monitor']> {
  const { report } = await healthOf(h.port);
  return (report as MonitorHealth).monitor;
}

describe('the API budget floor', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ org: everything({ now }).org, env: { API_BUDGET_FLOOR_PERCENT: String(FLOOR_PERCENT) } });
    await pollAndDeliver(h);
  });
  afterAll(() => h.close());

  // Remaining below the floor (20 %) → stretched; below half of it (10 %) → paused; the poll's own call counts too.
  const steps: { state: BudgetState; used: number; notice: RegExp }[] = [
    { state: 'normal', used: 100, notice: /^$/ },
    {
      state: 'stretched',
      used: API_LIMIT * 0.83,
      notice: /running low \(12,451 of 15,000 daily API calls used, 16 % left\): the alert monitor now polls less often/,
    },
    { state: 'paused', used: API_LIMIT * 0.93, notice: /nearly spent \(13,951 of 15,000 daily API calls used, 6 % left\): the alert monitor has paused/ },
    { state: 'normal', used: 200, notice: /has recovered \(201 of 15,000 daily API calls used, 98 % left\): the alert monitor polls at its usual pace again/ },
  ];

  it('tells the channel once per change, not per poll, and once again on resuming; current() and /healthz agree', async () => {
    let expectedNotices = 0;
    for (const [i, step] of steps.entries()) {
      h.sf.setApiUsage(step.used);
      for (let poll = 0; poll < 2; poll++) {
        h.sf.resetRequests();
        const report = await pollAndDeliver(h);
        expect(report.calls).toBe(1);
        expect(h.sf.apiCalls()).toHaveLength(1);
      }
      if (i > 0) expectedNotices += 1;
      const notices = budgetNotices(h);
      expect(notices).toHaveLength(expectedNotices);
      if (i > 0) expect(blockText(notices[notices.length - 1] ?? { blocks: [] }, 'monitor_budget')).toMatch(step.notice);
      expect(h.warden.monitor.current().budget).toBe(step.state);
      expect(await monitorHealth(h)).toMatchObject({ budget: step.state, role: 'off' });
    }
    expect(budgetNotices(h).map((m) => m.text)).toEqual([
      expect.stringContaining('running low'),
      expect.stringContaining('nearly spent'),
      expect.stringContaining('has recovered'),
    ]);
  });

  it('counts the calls of the day in /healthz as current() does', async () => {
    const status = h.warden.monitor.current();
    const health = await monitorHealth(h);
    expect(health.callsToday).toBe(status.callsToday);
    expect(health.lastPollAt).toBe(status.lastPollAt?.toISOString());
    expect(status.callsToday).toBeGreaterThanOrEqual(1 + steps.length * 2);
  });
});

describe.each([
  { users: 10, sessions: 30, loginRows: 60 },
  { users: 10_000, sessions: 20_000, loginRows: 30_000 },
])('a steady-state poll of an org of $users users', ({ users, sessions, loginRows }) => {
  let h: Harness;
  let first: { calls: number; ms: number; fullScan: boolean; backfill: boolean };
  let grantsInOrg = 0;
  beforeAll(async () => {
    const { org } = generateOrg({ seed: 42, now, users, sessions, loginRows });
    grantsInOrg = [...org.all('OauthToken')].length;
    h = await startHarness({ org });
    // What is measured is Salesforce and the monitor: the first poll's alerts stay queued in the
    // outbox (posting thousands to the Slack stand-in would only add noise to the timing).
    await h.warden.outbox.dispatcher.stop();
    h.sf.resetRequests();
    const started = performance.now();
    const report = await h.warden.monitor.pollOnce();
    first = { calls: report.calls, ms: Math.round(performance.now() - started), fullScan: report.fullScan, backfill: report.backfill };
    expect(h.sf.apiCalls()).toHaveLength(report.calls);
    const posts = report.steps.filter((s) => s.kind === 'post').length;
    console.log(
      `monitor, org of ${users} users / ${sessions} sessions / ${loginRows} login rows: first poll ${first.calls} Salesforce calls in ${first.ms} ms, ${posts} alerts queued`,
    );
  }, 60_000);
  afterAll(() => h.close());

  it('is ONE Salesforce REST call: a Composite request with the new sessions and the new logins', async () => {
    expect(first).toMatchObject({ fullScan: true, backfill: true });
    // The first poll pages at 2,000 rows (login window, every session) and names alerted users 500 per query.
    // Its full scan also reads the connected-app grants (OauthToken, 500-row pages): the integration
    // users' and the last day's new ones, each 500 users a query, every grant read at most twice.
    const grantCalls = 1 + 2 * Math.ceil(users / 500) + Math.ceil((2 * grantsInOrg) / 500);
    expect(first.calls).toBeLessThanOrEqual(Math.ceil(loginRows / 2000) + Math.ceil(sessions / 2000) + Math.ceil(users / 500) + grantCalls);
    for (let i = 0; i < 3; i++) {
      h.sf.resetRequests();
      const report = await h.warden.monitor.pollOnce();
      expect(report).toMatchObject({ calls: 1, fullScan: false, steps: [] });
      const calls = h.sf.apiCalls();
      expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['POST /services/data/v62.0/composite']);
      const subrequests = (JSON.parse(calls[0]?.body ?? '{}') as { compositeRequest: { url: string }[] }).compositeRequest.map((r) =>
        decodeURIComponent(r.url),
      );
      expect(subrequests).toEqual([
        expect.stringMatching(/FROM AuthSession WHERE CreatedDate >= /),
        expect.stringMatching(/FROM LoginHistory WHERE LoginTime >= /),
      ]);
    }
  });
});
