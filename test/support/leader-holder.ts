// Run as its own process by test/store/leader-lock.test.ts: takes the leader lock of argv[3] on
// the database at argv[2], says "held" (or "refused") on stdout, then waits to be killed.
import { openDatabase } from '../../src/store/database';
import { acquireLeadership } from '../../src/store/leader-lock';

async function main(): Promise<void> {
  const [url, name] = process.argv.slice(2);
  if (!url || !name) throw new Error('usage: leader-holder <database url> <lock name>');
  const database = await openDatabase(url, { poolMax: 1 });
  const lock = await acquireLeadership(database, name);
  process.stdout.write(lock ? 'held\n' : 'refused\n');
  setInterval(() => undefined, 60_000);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
