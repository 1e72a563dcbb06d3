import { bareErrors, checkMessageBlocks, checkViewPayload, judgeMessageBlocks, MAX_TOTAL_BLOCK_TEXT, totalBlockText } from './blockkit';

const plain = (text: string) => ({ type: 'plain_text', text });
const md = (text: string) => ({ type: 'mrkdwn', text });
const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: md(text), ...extra });
const button = (action_id: string, extra: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id,
  text: plain('Go'),
  value: 'v',
  ...extra,
});
const confirm = (extra: Record<string, unknown> = {}) => ({
  title: plain('Sure?'),
  text: md('Really'),
  confirm: plain('Yes'),
  deny: plain('No'),
  ...extra,
});
const err = (message: string, pointer: string) => `[ERROR] ${message} [json-pointer:${pointer}]`;

describe('checkMessageBlocks: accepts what Slack accepts', () => {
  it('accepts the reference example from slack.md', () => {
    const blocks = [
      { type: 'header', text: plain('Salesforce sessions for a@x.example') },
      {
        type: 'section',
        block_id: 'sess_0Ak5g00000XyZ',
        fields: [md('*Type*\nUI'), md('*Source IP*\n203.0.113.7')],
        accessory: button('session_remove', {
          style: 'danger',
          accessibility_label: 'Request removal of session 0Ak5g00000XyZ',
          confirm: confirm({ style: 'danger' }),
        }),
      },
      { type: 'context', elements: [md('Requested by <@UADMIN>'), { type: 'image', image_url: 'https://x/y.png', alt_text: 'x' }] },
      { type: 'divider' },
      {
        type: 'actions',
        block_id: 'approval_req123',
        elements: [button('approval_approve', { style: 'primary' }), button('approval_deny', { style: 'danger' })],
      },
      {
        type: 'rich_text',
        elements: [
          { type: 'rich_text_preformatted', elements: [{ type: 'text', text: '0Ak5g00000XyZ' }] },
          { type: 'rich_text_list', style: 'bullet', elements: [{ type: 'rich_text_section', elements: [{ type: 'user', user_id: 'U1' }] }] },
        ],
      },
      { type: 'image', image_url: 'https://x/y.png', alt_text: 'chart', title: plain('t') },
      { type: 'markdown', text: '**bold**' },
    ];
    expect(checkMessageBlocks(blocks)).toEqual([]);
    expect(judgeMessageBlocks(blocks)).toEqual({ error: null, messages: [] });
  });

  it('accepts text at exactly the limits', () => {
    expect(
      checkMessageBlocks([
        section('x'.repeat(3000)),
        { type: 'section', fields: Array.from({ length: 10 }, () => md('y'.repeat(2000))) },
        { type: 'header', text: plain('h'.repeat(150)) },
        { type: 'actions', block_id: 'b'.repeat(255), elements: [button('a'.repeat(255), { text: plain('t'.repeat(75)), value: 'v'.repeat(2000) })] },
      ]),
    ).toEqual([]);
  });

  it('accepts an empty array (Slack then needs text, which is the method’s concern)', () => {
    expect(checkMessageBlocks([])).toEqual([]);
  });
});

describe('checkMessageBlocks: rejects with Slack-style messages', () => {
  it('rejects a non-array', () => {
    expect(checkMessageBlocks({ type: 'divider' })).toEqual([err('must provide an array', '/blocks')]);
    expect(judgeMessageBlocks('not json').error).toBe('invalid_blocks_format');
  });

  it('rejects section text of 3001 characters', () => {
    expect(checkMessageBlocks([section('x'.repeat(3001))])).toEqual([err('must be less than 3001 characters', '/blocks/0/text/text')]);
  });

  it('counts code points, not UTF-16 units', () => {
    expect(checkMessageBlocks([{ type: 'header', text: plain('😀'.repeat(150)) }])).toEqual([]);
    expect(checkMessageBlocks([{ type: 'header', text: plain('😀'.repeat(151)) }])).toEqual([err('must be less than 151 characters', '/blocks/0/text/text')]);
  });

  it('rejects empty text', () => {
    expect(checkMessageBlocks([section('')])).toEqual([err('must be more than 0 characters', '/blocks/0/text/text')]);
  });

  it('rejects more than 50 blocks', () => {
    const blocks = Array.from({ length: 51 }, () => ({ type: 'divider' }));
    expect(checkMessageBlocks(blocks)).toEqual([err('no more than 50 items allowed', '/blocks')]);
    expect(checkMessageBlocks(blocks.slice(1))).toEqual([]);
  });

  it('rejects unknown block types and non-objects', () => {
    expect(checkMessageBlocks([{ type: 'sections' }, 'x', {}])).toEqual([
      err('unsupported type: sections', '/blocks/0/type'),
      err('must provide an object', '/blocks/1'),
      err('missing required field: type', '/blocks/2'),
    ]);
  });

  it('requires section text or fields and caps fields', () => {
    expect(checkMessageBlocks([{ type: 'section' }])).toEqual([err('must define either `text` or `fields`', '/blocks/0/type')]);
    expect(checkMessageBlocks([{ type: 'section', fields: Array.from({ length: 11 }, () => md('a')) }])).toEqual([
      err('no more than 10 items allowed', '/blocks/0/fields'),
    ]);
    expect(checkMessageBlocks([{ type: 'section', fields: [md('z'.repeat(2001))] }])).toEqual([
      err('must be less than 2001 characters', '/blocks/0/fields/0/text'),
    ]);
  });

  it('requires plain_text where Slack does', () => {
    expect(checkMessageBlocks([{ type: 'header', text: md('h') }])).toEqual([err('must be a valid enum value', '/blocks/0/text/type')]);
    expect(checkMessageBlocks([{ type: 'actions', elements: [button('a', { text: md('Go') })] }])).toEqual([
      err('must be a valid enum value', '/blocks/0/elements/0/text/type'),
    ]);
    expect(checkMessageBlocks([{ type: 'section', text: { type: 'html', text: 'x' } }])).toEqual([err('must be a valid enum value', '/blocks/0/text/type')]);
  });

  it('rejects unknown properties, like Slack’s schema', () => {
    expect(checkMessageBlocks([{ type: 'divider', text: md('x') }])).toEqual([err('invalid additional property: text', '/blocks/0')]);
    expect(checkMessageBlocks([{ type: 'actions', elements: [button('a', { block_id: 'b' })] }])).toEqual([
      err('invalid additional property: block_id', '/blocks/0/elements/0'),
    ]);
    expect(checkMessageBlocks([{ type: 'section', text: { type: 'mrkdwn', text: 'x', emoji: true } }])).toEqual([
      err('invalid additional property: emoji', '/blocks/0/text'),
    ]);
  });

  it('enforces context and actions element counts', () => {
    expect(checkMessageBlocks([{ type: 'context', elements: [] }])).toEqual([err('must provide at least 1 items', '/blocks/0/elements')]);
    expect(checkMessageBlocks([{ type: 'context', elements: Array.from({ length: 11 }, () => md('a')) }])).toEqual([
      err('no more than 10 items allowed', '/blocks/0/elements'),
    ]);
    expect(checkMessageBlocks([{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }])).toEqual([
      err('no more than 25 items allowed', '/blocks/0/elements'),
    ]);
    expect(checkMessageBlocks([{ type: 'actions' }])).toEqual([err('missing required field: elements', '/blocks/0')]);
    expect(checkMessageBlocks([{ type: 'context', elements: [button('a')] }])).toEqual([err('unsupported type: button', '/blocks/0/elements/0/type')]);
  });

  it('enforces button limits', () => {
    const b = button('a'.repeat(256), {
      text: plain('t'.repeat(76)),
      value: 'v'.repeat(2001),
      url: 'u'.repeat(3001),
      accessibility_label: 'l'.repeat(76),
      style: 'green',
    });
    expect(checkMessageBlocks([{ type: 'actions', elements: [b] }])).toEqual([
      err('must be less than 76 characters', '/blocks/0/elements/0/text/text'),
      err('must be less than 256 characters', '/blocks/0/elements/0/action_id'),
      err('must be less than 3001 characters', '/blocks/0/elements/0/url'),
      err('must be less than 2001 characters', '/blocks/0/elements/0/value'),
      err('must be a valid enum value', '/blocks/0/elements/0/style'),
      err('must be less than 76 characters', '/blocks/0/elements/0/accessibility_label'),
    ]);
    expect(checkMessageBlocks([{ type: 'actions', elements: [{ type: 'button', action_id: 'a' }] }])).toEqual([
      err('missing required field: text', '/blocks/0/elements/0'),
    ]);
  });

  it('enforces confirm dialog limits and required fields', () => {
    const c = confirm({ title: plain('t'.repeat(101)), text: md('x'.repeat(301)), confirm: plain('c'.repeat(31)), deny: plain('d'.repeat(31)) });
    expect(checkMessageBlocks([section('s', { accessory: button('a', { confirm: c }) })])).toEqual([
      err('must be less than 101 characters', '/blocks/0/accessory/confirm/title/text'),
      err('must be less than 301 characters', '/blocks/0/accessory/confirm/text/text'),
      err('must be less than 31 characters', '/blocks/0/accessory/confirm/confirm/text'),
      err('must be less than 31 characters', '/blocks/0/accessory/confirm/deny/text'),
    ]);
    expect(checkMessageBlocks([section('s', { accessory: button('a', { confirm: { text: md('x') } }) })])).toEqual([
      err('missing required field: title', '/blocks/0/accessory/confirm'),
      err('missing required field: confirm', '/blocks/0/accessory/confirm'),
      err('missing required field: deny', '/blocks/0/accessory/confirm'),
    ]);
  });

  it('requires unique block_ids per message and unique action_ids per block', () => {
    expect(
      checkMessageBlocks([
        { type: 'divider', block_id: 'x' },
        { type: 'divider', block_id: 'x' },
      ]),
    ).toEqual([err('duplicate block_id: x', '/blocks/1/block_id')]);
    expect(checkMessageBlocks([{ type: 'actions', elements: [button('a'), button('a')] }])).toEqual([
      err('duplicate action_id: a', '/blocks/0/elements/1/action_id'),
    ]);
    // The same action_id in two different blocks is fine: Slack tells them apart by block_id.
    expect(
      checkMessageBlocks([
        { type: 'actions', elements: [button('a')] },
        { type: 'actions', elements: [button('a')] },
      ]),
    ).toEqual([]);
    expect(checkMessageBlocks([{ type: 'divider', block_id: 'b'.repeat(256) }])).toEqual([err('must be less than 256 characters', '/blocks/0/block_id')]);
  });

  it('validates rich_text structure', () => {
    expect(checkMessageBlocks([{ type: 'rich_text', elements: [{ type: 'text', text: 'x' }] }])).toEqual([
      err('unsupported type: text', '/blocks/0/elements/0/type'),
    ]);
    expect(checkMessageBlocks([{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text' }] }] }])).toEqual([
      err('missing required field: text', '/blocks/0/elements/0/elements/0'),
    ]);
  });

  it('requires image alt_text and a source', () => {
    expect(checkMessageBlocks([{ type: 'image' }])).toEqual([
      err('must define either `image_url` or `slack_file`', '/blocks/0'),
      err('missing required field: alt_text', '/blocks/0'),
    ]);
  });

  it('collects every problem, not just the first', () => {
    expect(checkMessageBlocks([section(''), { type: 'header', text: plain('') }])).toHaveLength(2);
  });
});

describe('totalBlockText and msg_blocks_too_long', () => {
  it('counts text under every text key, but not ids or values', () => {
    const blocks = [
      { type: 'header', text: plain('abc') },
      { type: 'section', fields: [md('de'), md('f')], accessory: button('long_action_id', { text: plain('Go'), value: 'x'.repeat(100) }) },
      { type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'gh' }] }] },
      { type: 'markdown', text: 'ij' },
    ];
    expect(totalBlockText(blocks)).toBe(3 + 2 + 1 + 2 + 2 + 2);
  });

  it(`refuses more than ${MAX_TOTAL_BLOCK_TEXT} characters in total even when each block is valid`, () => {
    const ok = Array.from({ length: 4 }, () => section('x'.repeat(3000)));
    expect(judgeMessageBlocks(ok)).toEqual({ error: null, messages: [] });
    const tooLong = [...ok, section('y')];
    expect(checkMessageBlocks(tooLong)).toEqual([]);
    expect(judgeMessageBlocks(tooLong)).toEqual({ error: 'msg_blocks_too_long', messages: [] });
  });

  it('reports invalid_blocks before the cumulative cap', () => {
    const verdict = judgeMessageBlocks([section('x'.repeat(3001)), ...Array.from({ length: 4 }, () => section('x'.repeat(3000)))]);
    expect(verdict.error).toBe('invalid_blocks');
    expect(bareErrors(verdict.messages)).toEqual(['must be less than 3001 characters [json-pointer:/blocks/0/text/text]']);
  });
});

describe('checkViewPayload', () => {
  const input = (action_id = 'reason', element: Record<string, unknown> = {}) => ({
    type: 'input',
    block_id: 'reason_block',
    label: plain('Reason'),
    element: { type: 'plain_text_input', action_id, multiline: true, max_length: 3000, ...element },
  });
  const modal = (extra: Record<string, unknown> = {}) => ({
    type: 'modal',
    callback_id: 'cb',
    title: plain('Approve removal'),
    submit: plain('Approve'),
    close: plain('Cancel'),
    private_metadata: '{"r":"1"}',
    blocks: [section('Why?'), input()],
    ...extra,
  });

  it('accepts a well-formed modal and home tab', () => {
    expect(checkViewPayload(modal())).toEqual([]);
    expect(checkViewPayload({ type: 'home', blocks: [section('hi')] })).toEqual([]);
  });

  it('enforces modal title/submit/close, callback_id and private_metadata limits', () => {
    expect(
      checkViewPayload(
        modal({
          title: plain('t'.repeat(25)),
          submit: plain('s'.repeat(25)),
          close: plain('c'.repeat(25)),
          callback_id: 'c'.repeat(256),
          private_metadata: 'p'.repeat(3001),
        }),
      ),
    ).toEqual([
      err('must be less than 25 characters', '/view/title/text'),
      err('must be less than 25 characters', '/view/submit/text'),
      err('must be less than 25 characters', '/view/close/text'),
      err('must be less than 256 characters', '/view/callback_id'),
      err('must be less than 3001 characters', '/view/private_metadata'),
    ]);
    expect(checkViewPayload(modal({ title: undefined }))).toEqual([err('missing required field: title', '/view')]);
  });

  it('requires submit when there is an input block', () => {
    expect(checkViewPayload(modal({ submit: undefined }))).toEqual([err('must define `submit` to use an `input` block in modals', '/view/blocks/1/input')]);
  });

  it('allows 100 blocks in a view, not 101', () => {
    const blocks = Array.from({ length: 100 }, () => ({ type: 'divider' }));
    expect(checkViewPayload(modal({ blocks }))).toEqual([]);
    expect(checkViewPayload(modal({ blocks: [...blocks, { type: 'divider' }] }))).toEqual([err('no more than 100 items allowed', '/view/blocks')]);
  });

  it('checks input blocks: label, element, action_id, max_length', () => {
    expect(checkViewPayload(modal({ blocks: [{ type: 'input', label: plain('l'.repeat(2001)) }] }))).toEqual([
      err('must be less than 2001 characters', '/view/blocks/0/label/text'),
      err('missing required field: element', '/view/blocks/0'),
    ]);
    expect(checkViewPayload(modal({ blocks: [{ type: 'input', label: plain('x'), element: { type: 'plain_text_input', max_length: 3001 } }] }))).toEqual([
      err('missing required field: action_id', '/view/blocks/0/element'),
      err('must be less than or equal to 3000', '/view/blocks/0/element/max_length'),
    ]);
    expect(checkViewPayload(modal({ blocks: [{ type: 'input', element: { type: 'button', text: plain('x') }, label: plain('x') }] }))).toEqual([
      err('unsupported type: button', '/view/blocks/0/element/type'),
    ]);
  });

  it('checks select, checkbox and radio options', () => {
    const opt = (t: string, v: string) => ({ text: plain(t), value: v });
    const select = { type: 'static_select', action_id: 's', options: Array.from({ length: 101 }, (_, i) => opt(`o${i}`, `v${i}`)) };
    expect(checkViewPayload(modal({ blocks: [{ type: 'input', label: plain('x'), element: select }] }))).toEqual([
      err('no more than 100 items allowed', '/view/blocks/0/element/options'),
    ]);
    const bad = { type: 'radio_buttons', action_id: 'r', options: [opt('t'.repeat(76), 'v'.repeat(151))] };
    expect(checkViewPayload(modal({ blocks: [{ type: 'input', label: plain('x'), element: bad }] }))).toEqual([
      err('must be less than 76 characters', '/view/blocks/0/element/options/0/text/text'),
      err('must be less than 151 characters', '/view/blocks/0/element/options/0/value'),
    ]);
    const boxes = { type: 'checkboxes', action_id: 'c', options: Array.from({ length: 11 }, (_, i) => opt(`o${i}`, `v${i}`)) };
    expect(checkViewPayload(modal({ blocks: [{ type: 'input', label: plain('x'), element: boxes }] }))).toEqual([
      err('no more than 10 items allowed', '/view/blocks/0/element/options'),
    ]);
  });

  it('rejects non-objects, unknown view types and unknown properties', () => {
    expect(checkViewPayload('x')).toEqual([err('must provide an object', '/view')]);
    expect(checkViewPayload({ type: 'workflow_step', blocks: [] })).toEqual([err('must be a valid enum value', '/view/type')]);
    expect(checkViewPayload({ type: 'home', blocks: [], title: plain('x') })).toEqual([err('invalid additional property: title', '/view')]);
    expect(checkViewPayload({ type: 'home' })).toEqual([err('missing required field: blocks', '/view')]);
  });

  it('checks block_id uniqueness across the view', () => {
    expect(checkViewPayload(modal({ blocks: [input('a'), input('b')] }))).toEqual([err('duplicate block_id: reason_block', '/view/blocks/1/block_id')]);
  });
});
