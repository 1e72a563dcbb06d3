import type { Server } from 'node:http';
import { App, HTTPReceiver, type Receiver } from '@slack/bolt';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { boltLogger } from '../slack/bolt-logger';

export interface SlackKnobs {
  /** Web API retries; tests use 0 so a fake 500 cannot stall them. */
  slackRetries?: number;
  slackTimeoutMs?: number;
}

export interface HealthReport {
  ok: boolean;
  /** HTTP status for load balancers: 503 only when this replica cannot serve at all. */
  status: 200 | 503;
  [part: string]: unknown;
}

export interface SlackApp {
  app: App;
  socketMode: boolean;
  /** Starts the receiver; in HTTP mode resolves the port actually bound. */
  listen(): Promise<number | null>;
}

/** The Bolt app: Socket Mode when an app token is set, else HTTP with `/slack/events` and `/healthz`. */
export function buildSlackApp(config: Config, knobs: SlackKnobs, logger: Logger, health: () => Promise<HealthReport>): SlackApp {
  const socketMode = config.slack.appToken !== null;
  const receiver: Receiver | undefined = socketMode
    ? undefined
    : new HTTPReceiver({
        signingSecret: config.slack.signingSecret ?? '',
        endpoints: '/slack/events',
        logger: boltLogger(logger),
        customRoutes: [
          {
            path: '/healthz',
            method: ['GET'],
            handler: (_req, res) => {
              health().then(
                ({ status, ...report }) => {
                  res.writeHead(status, { 'content-type': 'application/json' });
                  res.end(JSON.stringify(report));
                },
                (err: unknown) => {
                  logger.error({ err }, 'health check failed');
                  res.writeHead(503, { 'content-type': 'application/json' });
                  res.end(JSON.stringify({ ok: false, bot: 'the health check itself failed; see the log' }));
                },
              );
            },
          },
        ],
      });
  const app = new App({
    token: config.slack.botToken,
    ...(socketMode ? { socketMode: true, appToken: config.slack.appToken ?? '' } : { receiver }),
    logger: boltLogger(logger),
    clientOptions: {
      slackApiUrl: config.slack.apiUrl,
      // Bounded: a rate-limited or failing Slack cannot hold a handler for minutes.
      retryConfig: { retries: knobs.slackRetries ?? 2, factor: 2, minTimeout: 300, maxTimeout: 2000 },
      timeout: knobs.slackTimeoutMs ?? 10_000,
    },
    deferInitialization: true,
  });
  app.error((err) => {
    logger.error({ err }, 'unhandled error in a Slack listener');
    return Promise.resolve();
  });
  return {
    app,
    socketMode,
    async listen() {
      const started = (socketMode ? await app.start() : await app.start(config.slack.port)) as unknown;
      return socketMode ? null : (((started as Server).address() as { port: number } | null)?.port ?? null);
    },
  };
}
