/**
 * Proves the stand-in against the real Bolt 5.1.0 app, over signed HTTP and over Socket Mode:
 * whatever passes here is what the production bot will see from Slack.
 */
import type { AddressInfo } from 'node:net';
import { App, RespondError } from '@slack/bolt';
import { quietLogger } from './quiet-logger';
import { startSlack, type SlackStandIn } from './server';
import type { SlackDriver } from './driver';

const SIGNING_SECRET = 'test-signing-secret';
const BOT_TOKEN = 'xoxb-test-bot-token';
const APP_TOKEN = 'xapp-test-app-token';
const SECOPS = 'C0SECOPS1';

interface Outcome {
  respondErrors: number[];
  apiErrors: { code: string; error?: string; messages?: string[] }[];
}

/** A small app using every path the bot uses: ack, respond, chat.postMessage, views.open, view validation. */
function registerListeners(app: App, outcome: Outcome): void {
  app.command('/sessions', async ({ ack, command, respond, client }) => {
    if (command.text === 'modal') {
      await ack();
      await client.views.open({
        trigger_id: command.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'reason_modal',
          title: { type: 'plain_text', text: 'Reason' },
          submit: { type: 'plain_text', text: 'Send' },
          private_metadata: 'req-1',
          blocks: [
            {
              type: 'input',
              block_id: 'reason',
              label: { type: 'plain_text', text: 'Why?' },
              element: { type: 'plain_text_input', action_id: 'reason_input' },
            },
          ],
        },
      });
      return;
    }
    if (command.text === 'bad-blocks') {
      await ack();
      try {
        await client.chat.postMessage({
          channel: SECOPS,
          text: 'x',
          blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }],
        });
      } catch (e) {
        const err = e as { code: string; data?: { error?: string; response_metadata?: { messages?: string[] } } };
        outcome.apiErrors.push({ code: err.code, error: err.data?.error, messages: err.data?.response_metadata?.messages });
      }
      return;
    }
    if (command.text === 'many') {
      await ack();
      for (let i = 0; i < 6; i += 1) {
        try {
          await respond({ text: `reply ${i}` });
        } catch (e) {
          if (e instanceof RespondError) outcome.respondErrors.push(e.statusCode);
          else throw e;
        }
      }
      return;
    }
    await ack({ response_type: 'ephemeral', text: `Looking up ${command.text}` });
    await respond({ text: `Sessions for ${command.text}` });
    await client.chat.postMessage({
      channel: SECOPS,
      text: `Lookup of ${command.text} by <@${command.user_id}>`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `Lookup of ${command.text}` } },
        {
          type: 'actions',
          block_id: 'approval_req1',
          elements: [{ type: 'button', action_id: 'approval_approve', value: 'req1', style: 'primary', text: { type: 'plain_text', text: 'Approve' } }],
        },
      ],
    });
  });
  app.action('approval_approve', async ({ ack, respond, body }) => {
    await ack();
    const value = body.type === 'block_actions' && body.actions[0]?.type === 'button' ? body.actions[0].value : '';
    await respond({ replace_original: true, text: `Approved ${value ?? ''} by <@${body.user.id}>` });
  });
  app.view('reason_modal', async ({ ack, view }) => {
    const reason = view.state.values.reason?.reason_input?.value ?? '';
    if (reason.length < 5) {
      await ack({ response_action: 'errors', errors: { reason: 'Say a bit more' } });
      return;
    }
    await ack();
  });
}

function seed(slack: SlackStandIn): void {
  slack.addUser({ id: 'UADMIN01', profile: { email: 'admin@warden.example' } });
  slack.addUser({ id: 'UAPPROV1', profile: { email: 'approver@warden.example' } });
  slack.addChannel({ id: SECOPS, name: 'secops', is_private: true, members: ['UBOT0001', 'UADMIN01', 'UAPPROV1'] });
}

/** The same scenario for both transports. */
function behavesLikeSlack(name: string, setup: () => { slack: () => SlackStandIn; driver: () => SlackDriver; outcome: Outcome }): void {
  describe(name, () => {
    const ctx = setup();

    it('delivers a slash command, takes the ack body, the respond() post and the chat.postMessage', async () => {
      const slack = ctx.slack();
      const result = await ctx.driver().command({ user_id: 'UADMIN01', text: 'bob@example.com', channel_id: SECOPS });
      expect(result.status).toBe(200);
      expect(result.body).toEqual({ response_type: 'ephemeral', text: 'Looking up bob@example.com' });
      const reply = await slack.waitFor(
        () => slack.responses.find((r) => result.responseUrl.endsWith(`/${r.urlId}/${result.responseUrl.split('/').pop()}`)),
        5000,
        'respond',
      );
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({ text: 'Sessions for bob@example.com' });
      const posted = await slack.waitFor(() => slack.messages.find((m) => m.text.startsWith('Lookup of bob@example.com')), 5000, 'postMessage');
      expect(posted.channel).toBe(SECOPS);
      expect(slack.callsTo('chat.postMessage').at(-1)?.args.team_id).toBe('T0WARDEN');
    });

    it('delivers a button click on a stored message and applies replace_original', async () => {
      const slack = ctx.slack();
      await ctx.driver().command({ user_id: 'UADMIN01', text: 'carol@example.com', channel_id: SECOPS });
      const posted = await slack.waitFor(() => slack.messages.find((m) => m.text.startsWith('Lookup of carol')));
      const click = await ctx.driver().blockAction({
        user_id: 'UAPPROV1',
        actions: [{ action_id: 'approval_approve' }],
        message: { channel: SECOPS, ts: posted.ts },
      });
      expect(click.status).toBe(200);
      await slack.waitFor(() => posted.history.length === 1);
      expect(posted.text).toBe('Approved req1 by <@UAPPROV1>');
      expect(posted.blocks).toBeUndefined();
      expect(posted.history[0]?.via).toBe('response_url');
    });

    it('refuses to click a button that is not on the message', async () => {
      const slack = ctx.slack();
      await ctx.driver().command({ user_id: 'UADMIN01', text: 'dan@example.com', channel_id: SECOPS });
      const posted = await slack.waitFor(() => slack.messages.find((m) => m.text.startsWith('Lookup of dan')));
      await expect(
        ctx.driver().blockAction({ user_id: 'UAPPROV1', actions: [{ action_id: 'nope' }], message: { channel: SECOPS, ts: posted.ts } }),
      ).rejects.toThrow('no element with action_id "nope"');
    });

    it('lets the app open a modal with the trigger_id and returns view_submission validation errors', async () => {
      const slack = ctx.slack();
      await ctx.driver().command({ user_id: 'UADMIN01', text: 'modal', channel_id: SECOPS });
      const opened = await slack.waitFor(() => slack.callsTo('views.open').at(-1));
      expect(opened.response).toMatchObject({ ok: true, view: { callback_id: 'reason_modal', private_metadata: 'req-1' } });
      const viewId = (opened.response.view as { id: string }).id;
      const short = await ctx.driver().viewSubmission({
        user_id: 'UADMIN01',
        view: { id: viewId, callback_id: 'reason_modal', state: { values: { reason: { reason_input: { type: 'plain_text_input', value: 'no' } } } } },
      });
      expect(short.body).toEqual({ response_action: 'errors', errors: { reason: 'Say a bit more' } });
      const fine = await ctx.driver().viewSubmission({
        user_id: 'UADMIN01',
        view: {
          id: viewId,
          callback_id: 'reason_modal',
          state: { values: { reason: { reason_input: { type: 'plain_text_input', value: 'suspicious IP' } } } },
        },
      });
      expect(fine).toMatchObject({ status: 200, body: null });
    });

    it('rejects invalid blocks with Slack’s invalid_blocks error and messages', async () => {
      await ctx.driver().command({ user_id: 'UADMIN01', text: 'bad-blocks', channel_id: SECOPS });
      const slack = ctx.slack();
      const err = await slack.waitFor(() => ctx.outcome.apiErrors.at(-1));
      expect(err).toEqual({
        code: 'slack_webapi_platform_error',
        error: 'invalid_blocks',
        messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      });
    });

    it('allows five response_url posts and answers 404 used_url to the sixth', async () => {
      const slack = ctx.slack();
      const result = await ctx.driver().command({ user_id: 'UADMIN01', text: 'many', channel_id: SECOPS });
      await slack.waitFor(() => ctx.outcome.respondErrors.length === 1);
      expect(ctx.outcome.respondErrors).toEqual([404]);
      const posts = slack.responses.filter((r) => result.responseUrl.includes(`/${r.urlId}/`));
      expect(posts.map((p) => p.status)).toEqual([200, 200, 200, 200, 200, 404]);
      expect(posts[5]?.reply).toBe('used_url');
      ctx.outcome.respondErrors.length = 0;
    });
  });
}

describe('real Bolt app against the stand-in', () => {
  describe('over HTTP', () => {
    let slack: SlackStandIn;
    let app: App;
    let driver: SlackDriver;
    let botUrl: string;
    const outcome: Outcome = { respondErrors: [], apiErrors: [] };

    beforeAll(async () => {
      slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN });
      seed(slack);
      app = new App({
        token: BOT_TOKEN,
        signingSecret: SIGNING_SECRET,
        logger: quietLogger,
        clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger },
      });
      registerListeners(app, outcome);
      const server = (await app.start(0)) as { address(): AddressInfo | string | null };
      botUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
      driver = slack.httpDriver(botUrl);
    });
    afterAll(async () => {
      await app.stop();
      await slack.close();
    });

    behavesLikeSlack('shared behaviour', () => ({ slack: () => slack, driver: () => driver, outcome }));

    it('called auth.test once at start-up with the bot token', () => {
      expect(slack.callsTo('auth.test')[0]?.response).toMatchObject({ ok: true, user_id: 'UBOT0001', bot_id: 'BBOT0001', team_id: 'T0WARDEN' });
    });

    it.each(['bad-signature', 'stale-timestamp', 'no-signature'] as const)('Bolt answers 401 to a %s request and calls nothing', async (forge) => {
      const before = slack.calls.length;
      const result = await driver.command({ user_id: 'UADMIN01', text: 'x@example.com', channel_id: SECOPS }, { forge });
      expect(result.status).toBe(401);
      expect(slack.calls.length).toBe(before);
    });
  });

  describe('over Socket Mode', () => {
    let slack: SlackStandIn;
    let app: App;
    let driver: SlackDriver;
    const outcome: Outcome = { respondErrors: [], apiErrors: [] };

    beforeAll(async () => {
      slack = await startSlack({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, appToken: APP_TOKEN });
      seed(slack);
      app = new App({
        token: BOT_TOKEN,
        appToken: APP_TOKEN,
        socketMode: true,
        logger: quietLogger,
        clientOptions: { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger },
      });
      registerListeners(app, outcome);
      await app.start();
      await slack.socket.waitForConnection();
      driver = slack.socketDriver();
    });
    afterAll(async () => {
      await app.stop();
      await slack.close();
    });

    behavesLikeSlack('shared behaviour', () => ({ slack: () => slack, driver: () => driver, outcome }));

    it('opened the connection with the app-level token', () => {
      const open = slack.callsTo('apps.connections.open');
      expect(open[0]?.response).toMatchObject({ ok: true, url: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=[0-9a-f]+$/) as unknown });
    });

    it('reconnects after a disconnect frame and keeps serving commands', async () => {
      expect(slack.socket.connectionsOpened).toBe(1);
      await slack.socket.disconnect('refresh_requested');
      await slack.waitFor(() => slack.socket.connectionsOpened === 2 && slack.socket.connectionCount === 1, 10_000, 'reconnect');
      expect(slack.callsTo('apps.connections.open')).toHaveLength(2);
      const result = await driver.command({ user_id: 'UADMIN01', text: 'eve@example.com', channel_id: SECOPS });
      expect(result.body).toEqual({ response_type: 'ephemeral', text: 'Looking up eve@example.com' });
      // Let the listener finish its Web API calls before the suite tears the stand-in down.
      await slack.waitFor(() => slack.messages.find((m) => m.text.startsWith('Lookup of eve@example.com')));
    });

    it('rejects forged options, which only make sense over HTTP', async () => {
      await expect(driver.command({ user_id: 'UADMIN01', text: 'x' }, { forge: 'bad-signature' })).rejects.toThrow('signed HTTP only');
    });
  });
});
