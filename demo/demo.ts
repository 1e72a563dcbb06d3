/**
 * The demo's composition: the Salesforce stand-in serving the demo org, the Slack stand-in with the
 * demo's people, the real bot (HTTP mode, monitor on) pointed at both by URL, the org's live
 * activity, and the console a person watches and clicks in. Tests start it with port 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { destination, type DestinationStream } from 'pino';
import { createWarden, type Warden } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { testKeyPair } from '../test/standins/salesforce/keys';
import { BOT_TOKEN, connectionEnv, SF_CLIENT_ID, SIGNING_SECRET } from '../test/standins/bot-connection';
import { startSalesforce, type SalesforceStandIn } from '../test/standins/salesforce/server';
import { startSlack, type SlackStandIn } from '../test/standins/slack/server';
import { DemoActivity } from './activity';
import { bundleConsole, type ConsoleAssets } from './console/bundle';
import { startConsole, type ConsoleServer } from './console/server';
import { buildDemoOrg, type DemoOrg } from './org';
import { ACCESS, PEOPLE_LIST, SECURITY_CHANNEL, seedWorkspace } from './people';

export interface DemoOptions {
  /** The console's port (DEMO_PORT); 0 picks a free one. */
  port: number;
  /** The bot's database; default an SQLite file in a temporary folder removed on close. */
  databaseUrl?: string;
  /** Where the bot's JSON log goes (default: the temporary folder's bot.log). */
  log?: DestinationStream;
  logLevel?: string;
  monitorIntervalSeconds?: number;
  /** How often the org's activity takes a step; 0 = never (tests step it themselves). */
  activityIntervalMs?: number;
  seed?: number;
  /** A page bundle already built (tests bundle once). */
  assets?: ConsoleAssets;
}

export interface Demo {
  url: string;
  org: DemoOrg;
  sf: SalesforceStandIn;
  slack: SlackStandIn;
  warden: Warden;
  activity: DemoActivity;
  console: ConsoleServer;
  /** The temporary folder (SQLite file, bot log), removed by close(). */
  folder: string;
  close(): Promise<void>;
}

const WORKSPACE_NAME = 'Acme';
const DEFAULT_ACTIVITY_INTERVAL_MS = 20_000;

export async function startDemo(options: DemoOptions): Promise<Demo> {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'session-warden-demo-'));
  const cleanups: (() => Promise<void> | void)[] = [() => rmSync(folder, { recursive: true, force: true })];
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      // Last started, first stopped; one failing step must not leave the others running.
      for (const step of [...cleanups].reverse()) {
        try {
          await step();
        } catch {
          // Nothing useful to do on the way out; the process is ending.
        }
      }
    })());
  try {
    const assets = options.assets ?? (await bundleConsole());
    const demo = buildDemoOrg(new Date(), options.seed);
    const sf = await startSalesforce({ org: demo.org, jwt: { clientId: SF_CLIENT_ID, publicKeyPem: testKeyPair().publicKeyPem } });
    cleanups.push(() => sf.close());
    const slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
    cleanups.push(() => slack.close());
    seedWorkspace(slack);

    const env: Record<string, string> = {
      ...connectionEnv(slack, sf),
      SECURITY_CHANNEL: SECURITY_CHANNEL.id,
      ADMINS: ACCESS.admins.join(','),
      APPROVERS: ACCESS.approvers.join(','),
      DATABASE_URL: options.databaseUrl ?? `sqlite:${path.join(folder, 'warden.db')}`,
      MONITOR_INTERVAL_SECONDS: String(options.monitorIntervalSeconds ?? 10),
      LOG_LEVEL: options.logLevel ?? 'info',
    };
    // Synchronous writes, so nothing is left buffered for a file whose folder close() removes.
    const logger = createLogger(env.LOG_LEVEL ?? 'info', options.log ?? destination({ dest: path.join(folder, 'bot.log'), sync: true }));
    const warden = await createWarden(loadConfig(env), { logger });
    cleanups.push(() => warden.stop());
    const { port: botPort } = await warden.start();
    const driver = slack.httpDriver(`http://127.0.0.1:${botPort}/slack/events`);

    const activity = new DemoActivity({
      org: demo.org,
      demo,
      now: () => new Date(),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      // After an approved reset the attacker's password no longer works, as in a real org.
      passwordWasReset: (userId) => sf.passwordResets.some((r) => r.userId === userId),
      onError: (error) => logger.error({ err: error }, 'demo activity stopped'),
    });
    const activityIntervalMs = options.activityIntervalMs ?? DEFAULT_ACTIVITY_INTERVAL_MS;
    if (activityIntervalMs > 0) activity.start(activityIntervalMs);
    cleanups.push(() => activity.stop());

    const consoleServer = await startConsole({ slack, driver, people: PEOPLE_LIST, workspaceName: WORKSPACE_NAME, activity, assets, port: options.port });
    cleanups.push(() => consoleServer.close());
    return { url: consoleServer.url, org: demo, sf, slack, warden, activity, console: consoleServer, folder, close };
  } catch (e) {
    await close();
    throw e;
  }
}
