/**
 * `npm run demo`: the whole bot with no Slack or Salesforce account. Prints the console's URL and
 * opens nothing; Ctrl-C stops every part and removes the temporary folder.
 */
import { startDemo } from './demo';

const DEFAULT_PORT = 3000;

function portFrom(value: string | undefined): number {
  if (value === undefined || value === '') return DEFAULT_PORT;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`DEMO_PORT must be a port number (0–65535), got "${value}"`);
  return port;
}

async function main(): Promise<void> {
  const started = Date.now();
  const port = portFrom(process.env.DEMO_PORT);
  const databaseUrl = process.env.DATABASE_URL;
  const starting = startDemo({ port, ...(databaseUrl ? { databaseUrl } : {}) }).catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new Error(`port ${port} is already in use; set DEMO_PORT to another port (or 0 for any free one)`);
    throw e;
  });
  // Listening before the start finishes: Ctrl-C while it starts still stops what did start and removes the folder.
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('Stopping the demo…\n');
    starting
      .then((demo) => demo.close())
      .then(
        () => process.exit(0),
        (e: unknown) => {
          process.stderr.write(`The demo did not stop cleanly: ${e instanceof Error ? e.message : String(e)}\n`);
          process.exit(1);
        },
      );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const demo = await starting;
  if (stopping) return;
  process.stdout.write(
    [
      '',
      `  Session Warden demo — open ${demo.url}`,
      '',
      `  An emulated Salesforce org (${demo.sf.url}) and Slack workspace (${demo.slack.url}) on this machine, the real bot`,
      `  between them (monitor on, database ${databaseUrl ? 'from DATABASE_URL' : 'SQLite in a temporary folder'}), ready in ${Date.now() - started} ms.`,
      `  The bot's log: ${demo.folder}/bot.log (removed on exit). Ctrl-C stops everything.`,
      '',
    ].join('\n') + '\n',
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`The demo could not start: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
