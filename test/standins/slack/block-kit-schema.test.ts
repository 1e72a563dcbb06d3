/**
 * The second opinion on Block Kit: Slack's own @slack/types, as a JSON Schema the team did not write, checks what the
 * stand-in's checker accepts — messages, modals and Home tabs alike — and the stand-in refuses what it rejects.
 */
import { WebClient, type WebAPIPlatformError } from '@slack/web-api';
import { schemaErrors } from './block-kit-schema';
import { checkMessageBlocks, checkViewPayload, judgeMessageBlocks } from './blockkit';
import { quietLogger } from './quiet-logger';
import { startSlack, type SlackStandIn } from './server';

const md = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text });
/** Rich text whose leaf carries a property Slack's types do not have: the team's checker does not look at leaf keys. */
const oddRichText = [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hi', colour: 'red' }] }] }];

describe('the @slack/types schema', () => {
  it('accepts a message with a section, fields, a button with a confirm, context and actions', () => {
    const blocks = [
      { type: 'section', text: md('*Hi*'), fields: [md('a'), plain('b')], accessory: { type: 'button', text: plain('Go'), action_id: 'go', value: 'v' } },
      { type: 'context', elements: [md('small'), { type: 'image', image_url: 'https://example.test/i.png', alt_text: 'icon' }] },
      {
        type: 'actions',
        elements: [
          {
            type: 'button',
            text: plain('Remove'),
            action_id: 'rm',
            style: 'danger',
            confirm: { title: plain('Sure?'), text: md('Really'), confirm: plain('Yes'), deny: plain('No') },
          },
        ],
      },
    ];
    expect(schemaErrors('message', blocks, '/blocks')).toEqual([]);
  });

  it('names only the complaint of the block type the payload names, at its pointer', () => {
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true }, bogus: 1 }];
    expect(schemaErrors('message', blocks, '/blocks')).toEqual([
      '[ERROR] @slack/types schema: invalid additional property: bogus [json-pointer:/blocks/0]',
      '[ERROR] @slack/types schema: invalid additional property: emoji [json-pointer:/blocks/0/text]',
    ]);
    expect(schemaErrors('message', oddRichText, '/blocks')).toEqual([
      '[ERROR] @slack/types schema: invalid additional property: colour [json-pointer:/blocks/0/elements/0/elements/0]',
    ]);
  });

  it('checks view envelopes and their blocks', () => {
    const modal = { type: 'modal', title: plain('Request'), submit: plain('Send'), blocks: [{ type: 'divider', extra: 1 }] };
    expect(schemaErrors('modal', modal, '/view')).toEqual(['[ERROR] @slack/types schema: invalid additional property: extra [json-pointer:/view/blocks/0]']);
    expect(schemaErrors('home', { type: 'home', blocks: [{ type: 'section', text: md('Hi') }] }, '/view')).toEqual([]);
  });
});

describe("the stand-in's checker asks the schema about what it accepts", () => {
  it('reports what only the schema rejects, for messages and views', () => {
    expect(checkMessageBlocks(oddRichText)).toEqual([
      '[ERROR] @slack/types schema: invalid additional property: colour [json-pointer:/blocks/0/elements/0/elements/0]',
    ]);
    expect(judgeMessageBlocks(oddRichText).error).toBe('invalid_blocks');
    expect(checkViewPayload({ type: 'home', blocks: oddRichText })).toEqual([
      '[ERROR] @slack/types schema: invalid additional property: colour [json-pointer:/view/blocks/0/elements/0/elements/0]',
    ]);
  });

  it('keeps its own wording when it refuses first (the schema is not asked)', () => {
    expect(checkMessageBlocks([{ type: 'sections' }])).toEqual(['[ERROR] unsupported type: sections [json-pointer:/blocks/0/type]']);
  });

  describe('over the Web API', () => {
    const BOT = 'xoxb-schema-test';
    let slack: SlackStandIn;
    let client: WebClient;
    beforeAll(async () => {
      slack = await startSlack({ signingSecret: 's', botToken: BOT });
      slack.addChannel({ id: 'C0SECOPS1', name: 'secops', members: ['UBOT0001'] });
      slack.addUser({ id: 'UALICE01' });
      client = new WebClient(BOT, { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 }, logger: quietLogger });
    });
    afterAll(() => slack.close());

    it('refuses a post, and a Home tab, that only the schema finds wrong, as invalid_blocks / invalid_arguments', async () => {
      const post = await client.chat.postMessage({ channel: 'C0SECOPS1', text: 'x', blocks: oddRichText }).catch((e: WebAPIPlatformError) => e.data);
      expect(post).toMatchObject({ ok: false, error: 'invalid_blocks' });
      expect(slack.messages).toHaveLength(0);
      const home = await client.views
        .publish({ user_id: 'UALICE01', view: { type: 'home', blocks: oddRichText } as never })
        .catch((e: WebAPIPlatformError) => e.data);
      expect(home).toMatchObject({ ok: false, error: 'invalid_arguments' });
    });
  });
});
