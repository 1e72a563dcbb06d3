import { createWarden } from './app';
import { ConfigError, loadConfig } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      // One clear message listing every problem; a stack trace would only hide it.
      process.stderr.write(`${err.message}\nSee .env.example and the README's configuration table.\n`);
      process.exit(2);
    }
    throw err;
  }
  const warden = await createWarden(config);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    warden.logger.info({ signal }, 'shutting down');
    warden.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        warden.logger.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await warden.start();
}

main().catch((err: unknown) => {
  process.stderr.write(`Session Warden stopped: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
