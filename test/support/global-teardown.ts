import { stopPostgres } from './postgres';

export default async function globalTeardown(): Promise<void> {
  const dir = process.env.SESSION_WARDEN_TEST_PG_DIR;
  // Only stop what global-setup started; an external TEST_DATABASE_URL is not ours to stop.
  if (!dir) return;
  delete process.env.SESSION_WARDEN_TEST_PG_DIR;
  await stopPostgres(dir);
}
