/**
 * `npm run bench`: the real bot against the local stand-ins, printing figures (nothing is
 * asserted — timing on a shared 2-core machine is noisy; the round-trip counts are exact).
 *
 * For users with 3, 450 and 5,000 sessions: Salesforce API calls per /sessions (and the floor
 * 1 + ceil(N/2000) that a users query plus paged sessions would cost), wall time until the
 * answer is posted, and ack latency (median, p99).
 */
import { Org } from '../test/standins/salesforce/org';
import { addUserWithSessions } from '../test/standins/salesforce/generator';
import { withBot } from '../test/standins/salesforce/scenarios';
import { startHarness, PEOPLE, COMMAND_CHANNEL } from '../test/support/harness';

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

benchSessions().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
