// Runs once per jest invocation, before any worker starts: workers inherit process.env.
import { startPostgres } from './postgres';

export default async function globalSetup(): Promise<void> {
  // An externally provided server (e.g. a CI service container) wins over a throwaway cluster.
  if (process.env.TEST_DATABASE_URL) return;
  const pg = await startPostgres();
  process.env.TEST_DATABASE_URL = pg.url;
  // globalTeardown runs in this same process, so the environment carries the folder to remove.
  process.env.SESSION_WARDEN_TEST_PG_DIR = pg.dir;
}
