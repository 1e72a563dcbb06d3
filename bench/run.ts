/**
 * `npm run bench`: the real bot against the local stand-ins, printing figures (nothing is
 * asserted — timing on a shared 2-core machine is noisy; the round-trip counts are exact).
 *
 * For users with 3, 450 and 5,000 sessions: Salesforce API calls per /sessions (and the floor
 * 1 + ceil(N/2000) that a users query plus paged sessions would cost), wall time until the
 * answer is posted, and ack latency (median, p99).
 */
import { ACTIONS, encodeValue } from '../src/slack/views/action-ids';
import { Org } from '../test/standins/salesforce/org';
import { addOauthToken, addUserWithSessions, generateOrg } from '../test/standins/salesforce/generator';
import { withBot } from '../test/standins/salesforce/scenarios';
import { click, requestAction, waitForState } from '../test/support/approval-flow';
import { startHarness, PEOPLE, COMMAND_CHANNEL, type Harness } from '../test/support/harness';

const SIZES = [3, 450, 5000];
const RUNS = Number(process.env.BENCH_RUNS ?? 30);

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function benchSessions(): Promise<void> {
  const now = new Date();
  const org = new Org();
  withBot(org);
  for (const n of SIZES) addUserWithSessions(org, { username: `user${n}@acme.com`, count: n, seed: n, now });
  const h = await startHarness({ org });
  try {
    console.log(`\n/sessions — ${RUNS} runs per size (HTTP mode, batch size 2000)`);
    console.log('sessions | SF calls | floor 1+ceil(N/2000) | wall median ms | wall p99 ms | ack median ms | ack p99 ms');
    for (const n of SIZES) {
      const walls: number[] = [];
      const acks: number[] = [];
      let calls = 0;
      for (let i = 0; i < RUNS + 2; i++) {
        h.sf.resetRequests();
        const t0 = performance.now();
        const res = await h.driver.command({ user_id: PEOPLE.admin.id, text: `user${n}@acme.com`, channel_id: COMMAND_CHANNEL });
        const tAck = performance.now();
        await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl), 60_000);
        const tDone = performance.now();
        if (i < 2) continue; // warm-up
        acks.push(tAck - t0);
        walls.push(tDone - t0);
        calls = h.sf.apiCalls().length;
      }
      const floor = 1 + Math.ceil(n / 2000);
      console.log(
        `${String(n).padStart(8)} | ${String(calls).padStart(8)} | ${String(floor).padStart(20)} | ${percentile(walls, 50).toFixed(1).padStart(14)} | ${percentile(walls, 99).toFixed(1).padStart(11)} | ${percentile(acks, 50).toFixed(1).padStart(13)} | ${percentile(acks, 99).toFixed(1).padStart(10)}`,
      );
    }
  } finally {
    await h.close();
  }
}

interface StoredSteps {
  steps?: { step: string; apiCalls: number }[];
}

/** Salesforce calls spent by one approved action: the action's own, then the immediate verification. */
async function measureAction(
  h: Harness,
  actionId: string,
  value: string,
  values: Record<string, unknown> = {},
): Promise<{ action: number; total: number; steps: string }> {
  const posted = await requestAction(h, actionId, value, { values });
  h.sf.resetRequests();
  await click(h, PEOPLE.approver.id, posted, ACTIONS.approve);
  await waitForState(h, posted, /Approved and done|Failed/, 60_000);
  const request = await h.warden.requests.store.get(posted.requestId);
  const steps = (request?.result as StoredSteps | null)?.steps ?? [];
  return {
    action: steps.reduce((n, s) => n + s.apiCalls, 0),
    total: h.sf.apiCalls().length,
    steps: steps.map((s) => `${s.step}:${s.apiCalls}`).join(' '),
  };
}

async function benchActions(): Promise<void> {
  const now = new Date();
  const org = new Org();
  withBot(org);
  const one = addUserWithSessions(org, { username: 'one@acme.com', count: 4, seed: 1, now });
  const all = addUserWithSessions(org, { username: 'all@acme.com', count: 450, seed: 2, now });
  const contain = addUserWithSessions(org, { username: 'contain@acme.com', count: 450, seed: 3, now });
  for (const appName of ['Data Loader', 'Salesforce for iOS']) {
    addOauthToken(org, { userId: contain.userId, appName, createdAt: new Date(now.getTime() - 86_400_000), lastUsedAt: now, useCount: 12 });
  }
  const h = await startHarness({ org });
  try {
    const rows = [
      {
        what: 'remove one family (4 sessions)',
        floor: '1',
        r: await measureAction(h, ACTIONS.removeSession, encodeValue({ u: one.userId, s: one.sessionIds[0] ?? '' })),
      },
      { what: 'remove all, 450 sessions', floor: '3', r: await measureAction(h, ACTIONS.removeAll, encodeValue({ u: all.userId })) },
      {
        what: 'contain: 450 sessions, 2 grants, reset',
        floor: '-',
        r: await measureAction(h, ACTIONS.contain, encodeValue({ u: contain.userId }), {
          contain_options: {
            contain_options_input: { type: 'checkboxes', selected_options: [{ value: 'reset_password', text: { type: 'plain_text', text: 'reset' } }] },
          },
        }),
      },
    ];
    console.log('\nApproved actions — Salesforce REST calls (OAuth revocations are not API calls and are not counted)');
    console.log('action | floor in the issue | action calls | + verification = total | per step');
    for (const { what, floor, r } of rows) console.log(`${what} | ${floor} | ${r.action} | ${r.total} | ${r.steps}`);
  } finally {
    await h.close();
  }
}

/**
 * `/sessions` alone (the org view) read from Salesforce, the monitor off: calls against the documented
 * 1 per 2,000 sessions (the first page and the old tokens share one Composite call) and wall time.
 */
async function benchOrgView(): Promise<void> {
  const sizes = (process.env.BENCH_ORG_SESSIONS ?? '450,4500,20000').split(',').map(Number);
  const runs = Math.max(1, Math.min(RUNS, 5));
  console.log(`\n/sessions alone (org view from Salesforce) — ${runs} runs per size`);
  console.log('sessions | SF calls | ceil(N/2000) | wall median ms | wall max ms');
  for (const n of sizes) {
    const { org } = generateOrg({ seed: n, now: new Date(), users: Math.max(50, Math.round(n / 10)), sessions: n, loginRows: n });
    const h = await startHarness({ org, env: { LOG_LEVEL: 'warn' } });
    try {
      const walls: number[] = [];
      let calls = 0;
      for (let i = 0; i < runs + 1; i++) {
        h.sf.resetRequests();
        const t0 = performance.now();
        const res = await h.driver.command({ user_id: PEOPLE.admin.id, text: '', channel_id: COMMAND_CHANNEL });
        await h.slack.waitFor(() => h.slack.responses.find((r) => r.url === res.responseUrl), 120_000);
        if (i === 0) continue; // warm-up
        walls.push(performance.now() - t0);
        calls = h.sf.apiCalls().length;
      }
      const live = org.count('AuthSession');
      console.log(
        `${String(live).padStart(8)} | ${String(calls).padStart(8)} | ${String(Math.ceil(live / 2000)).padStart(12)} | ${percentile(walls, 50).toFixed(1).padStart(14)} | ${Math.max(
          ...walls,
        )
          .toFixed(1)
          .padStart(11)}`,
      );
    } finally {
      await h.close();
    }
  }
}

async function main(): Promise<void> {
  await benchSessions();
  await benchActions();
  await benchOrgView();
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
