import { Writable } from 'node:stream';
import type { Org } from '../standins/salesforce/org';
import { startSalesforce, type SalesforceStandIn } from '../standins/salesforce/server';
import { testKeyPair } from '../standins/salesforce/keys';
import { startSlack, type SlackStandIn } from '../standins/slack/server';
import { APP_TOKEN, BOT_TOKEN, connectionEnv, SF_CLIENT_ID, SIGNING_SECRET } from '../standins/bot-connection';
import type { SlackDriver } from '../standins/slack/driver';
import { createWarden, type Warden, type WardenOptions } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';

export { APP_TOKEN, BOT_TOKEN, SF_CLIENT_ID, SIGNING_SECRET };

/** Slack people every end-to-end test can use. */
export const PEOPLE = {
  admin: { id: 'U0ADMIN01', name: 'ada', email: 'ada.admin@acme.com' },
  approver: { id: 'U0APPROV1', name: 'paul', email: 'paul.approver@acme.com' },
  approver2: { id: 'U0APPROV2', name: 'quinn', email: 'quinn.approver@acme.com' },
  guest: { id: 'U0GUEST01', name: 'gus', email: 'gus.guest@partner.com' },
  outsider: { id: 'U0NOBODY1', name: 'nora', email: 'nora@acme.com' },
  bob: { id: 'U0BOB0001', name: 'bob', email: 'bob@acme.com' },
  groupMember: { id: 'U0GROUP01', name: 'gina', email: 'gina@acme.com' },
  departed: { id: 'U0GONE001', name: 'dora', email: 'dora@acme.com' },
  robot: { id: 'U0ROBOT01', name: 'robo', email: 'robo@acme.com' },
} as const;
export const SECURITY_CHANNEL = 'C0SECURITY';
export const COMMAND_CHANNEL = 'C0GENERAL';

export interface HarnessOptions {
  org: Org;
  mode?: 'http' | 'socket';
  env?: Record<string, string>;
  warden?: WardenOptions;
  /** Runs once both stand-ins are up and before the bot starts, e.g. to refuse the bot's first login. */
  beforeStart?: (standIns: { sf: SalesforceStandIn; slack: SlackStandIn }) => void;
  /** The Slack workspace's shape, e.g. part of an Enterprise Grid org. */
  slack?: { enterpriseId?: string };
}

export interface Harness {
  sf: SalesforceStandIn;
  slack: SlackStandIn;
  warden: Warden;
  driver: SlackDriver;
  /** HTTP mode: the port the bot listens on. */
  port: number | null;
  /** Every log line the bot wrote (JSON), to prove secrets never reach the log. */
  logs: string[];
  /** Moves the bot's clock forward (request expiry, the delayed re-check). */
  advance(ms: number): void;
  /** Runs `/sessions <text>` as `user` and resolves with the first reply posted to its response_url. */
  command(text: string, user?: string): Promise<{ ack: unknown; reply: Reply }>;
  close(): Promise<void>;
}

export interface Reply {
  text: string;
  blocks: unknown[];
  response_type?: string;
  replace_original?: boolean;
}

/** The Slack people and channels every end-to-end test relies on. */
export function seedSlack(slack: SlackStandIn): void {
  for (const p of Object.values(PEOPLE)) {
    slack.addUser({
      id: p.id,
      name: p.name,
      profile: { email: p.email },
      ...(p === PEOPLE.guest ? { is_restricted: true } : {}),
      ...(p === PEOPLE.departed ? { deleted: true } : {}),
      ...(p === PEOPLE.robot ? { is_bot: true } : {}),
    });
  }
  slack.addUsergroup('S0SECTEAM', [PEOPLE.groupMember.id]);
  slack.addChannel({ id: SECURITY_CHANNEL, name: 'security', members: [PEOPLE.admin.id, PEOPLE.approver.id, 'UBOT0001'] });
  slack.addChannel({ id: COMMAND_CHANNEL, name: 'general', members: Object.values(PEOPLE).map((p) => p.id) });
}

/** The bot's environment against the two stand-ins, as an operator would set it. */
export function botEnv(slack: SlackStandIn, sf: SalesforceStandIn, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    ...connectionEnv(slack, sf),
    SECURITY_CHANNEL,
    // A guest, a deactivated account and a bot are listed on purpose: they are refused even when listed.
    ADMINS: `${PEOPLE.admin.id},${PEOPLE.guest.id},${PEOPLE.departed.id},${PEOPLE.robot.id},S0SECTEAM`,
    // bob is an approver and also the target of some tests: nobody approves actions against themselves.
    APPROVERS: `${PEOPLE.approver.id},${PEOPLE.approver2.id},${PEOPLE.bob.id}`,
    DATABASE_URL: 'sqlite::memory:',
    MONITOR_INTERVAL_SECONDS: '0',
    // One message per finding, as the monitor's tests read them; the storm tests set the production default (10).
    ALERT_DIGEST_THRESHOLD: '1000',
    // No automatic "was this you?" DMs unless a test asks for them (test/e2e/monitor-ask.test.ts): they edit alerts.
    ASK_USER_RULES: '',
    LOG_LEVEL: 'debug',
    // Pinned so the paths tests assert stay put; the bot's own choice (the newest the org offers up to
    // the newest tested) has its test in test/e2e/api-version.test.ts, which sets SF_API_VERSION to ''.
    SF_API_VERSION: '62.0',
    ...overrides,
  };
}

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const mode = options.mode ?? 'http';
  const keys = testKeyPair();
  const sf = await startSalesforce({ org: options.org, jwt: { clientId: SF_CLIENT_ID, publicKeyPem: keys.publicKeyPem } });
  const slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, appToken: APP_TOKEN, ...options.slack });
  seedSlack(slack);

  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      cb();
    },
  });
  const env = botEnv(slack, sf, { ...(mode === 'socket' ? { SLACK_APP_TOKEN: APP_TOKEN } : {}), ...options.env });
  const config = loadConfig(env);
  let offsetMs = 0;
  const warden = await createWarden(config, {
    logger: createLogger('debug', sink),
    slackRetries: 0,
    now: () => new Date(Date.now() + offsetMs),
    ...options.warden,
    // The stand-in enforces Slack's per-channel pace only when a test asks it to; so does the bot here.
    outbox: { channelPace: null, ...options.warden?.outbox },
  });
  options.beforeStart?.({ sf, slack });
  const { port } = await warden.start();
  let driver: SlackDriver;
  if (mode === 'socket') {
    await slack.socket.waitForConnection();
    driver = slack.socketDriver();
  } else {
    driver = slack.httpDriver(`http://127.0.0.1:${port}/slack/events`);
  }

  return {
    sf,
    slack,
    warden,
    driver,
    port,
    logs,
    advance(ms) {
      offsetMs += ms;
    },
    async command(text, user = PEOPLE.admin.id) {
      const res = await driver.command({ user_id: user, text, channel_id: COMMAND_CHANNEL });
      const posted = await slack.waitFor(() => slack.responses.find((r) => r.url === res.responseUrl), 10_000, `a reply to /sessions ${text}`);
      return { ack: res.body, reply: posted.body as Reply };
    },
    async close() {
      await warden.stop();
      await slack.close();
      await sf.close();
    },
  };
}

/** All the text of a reply's blocks, for content assertions. */
export function replyText(reply: { text?: string; blocks?: unknown[] }): string {
  return `${reply.text ?? ''}\n${JSON.stringify(reply.blocks ?? [])}`;
}

/** What `GET /healthz` answers: per part "ok", or `{ degraded: <reason>, since? }`. */
export interface HealthReport {
  ok: boolean;
  database: 'ok' | { degraded: string };
  salesforce: 'ok' | { degraded: string; since: string };
}

/** `GET /healthz` of a bot in HTTP mode, as a load balancer or an operator would ask it. */
export async function healthOf(port: number | null): Promise<{ status: number; report: HealthReport }> {
  if (port === null) throw new Error('healthOf needs a bot in HTTP mode');
  const res = await fetch(`http://127.0.0.1:${port}/healthz`);
  return { status: res.status, report: (await res.json()) as HealthReport };
}
