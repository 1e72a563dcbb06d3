import { renderToString } from 'preact-render-to-string';
import { Mrkdwn, PlainText } from '../../../demo/console/web/blockkit';
import { ConfirmDialog } from '../../../demo/console/web/blockkit/Confirm';
import { readConfirm } from '../../../demo/console/web/blockkit/read-elements';
import { FIXED_NOW, recorder, renderBlocks, visibleText } from './blockkit-render';

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const md = (text: string) => ({ type: 'mrkdwn', text });
const option = (value: string, text: string, description?: string) => ({
  value,
  text: plain(text),
  ...(description ? { description: plain(description) } : {}),
});

/** The opening tag of the first element carrying `marker` (an attribute or text inside it). */
function tagWith(html: string, marker: string): string {
  const at = html.indexOf(marker);
  if (at < 0) throw new Error(`${marker} not in ${html}`);
  const start = html.lastIndexOf('<', at);
  return html.slice(start, html.indexOf('>', at) + 1);
}

describe('Blocks: layout blocks', () => {
  it('renders a header as a heading with emoji shortcodes converted', () => {
    const html = renderBlocks([{ type: 'header', block_id: 'h', text: plain(':rotating_light: Distant places at once') }]);
    expect(html).toContain('data-block-type="header"');
    expect(html).toContain('data-block-id="h"');
    expect(html).toMatch(/<h3 class="bk-header">.*\u{1F6A8} Distant places at once.*<\/h3>/u);
  });

  it('renders a section with mrkdwn text, two-column fields and a button accessory', () => {
    const html = renderBlocks([
      {
        type: 'section',
        block_id: 'fam_1',
        text: md('*Ada Lovelace* · <@U0ADA> in <#C0SEC>'),
        fields: [md('*IP*\n203.0.113.7'), plain('Moscow, RU')],
        accessory: { type: 'button', action_id: 'remove', text: plain('Remove session'), value: 'x', style: 'danger' },
      },
    ]);
    expect(html).toContain('<b>Ada Lovelace</b>');
    expect(visibleText(html)).toContain('@ada in #security');
    expect(html.match(/class="bk-field"/g)).toHaveLength(2);
    expect(html).toContain('class="bk-fields"');
    expect(tagWith(html, 'data-action-id="remove"')).toContain('class="bk-button bk-button-danger"');
    expect(html).toMatch(/<button[^>]*>.*Remove session.*<\/button>/);
  });

  it('renders overflow, static_select and image accessories', () => {
    const html = renderBlocks([
      { type: 'section', block_id: 's1', text: md('a'), accessory: { type: 'overflow', action_id: 'more', options: [option('h', 'Login history')] } },
      {
        type: 'section',
        block_id: 's2',
        text: md('b'),
        accessory: { type: 'static_select', action_id: 'days', placeholder: plain('Days'), options: [option('7', '7 days'), option('30', '30 days')] },
      },
      { type: 'section', block_id: 's3', text: md('c'), accessory: { type: 'image', image_url: 'https://example.test/a.png', alt_text: 'a map' } },
    ]);
    expect(tagWith(html, 'aria-label="More actions"')).toMatch(/^<button/);
    // Closed until clicked: its options are not in the page yet.
    expect(html).not.toContain('Login history');
    expect(tagWith(html, 'data-action-id="days"')).toMatch(/^<select[^>]*aria-label="Days"/);
    expect(html).toContain('<option value="30">30 days</option>');
    expect(html).toContain('<img class="bk-accessory-image" src="https://example.test/a.png" alt="a map"');
  });

  it('renders context elements: mrkdwn, plain_text and images', () => {
    const html = renderBlocks([
      {
        type: 'context',
        elements: [md('Requested by <@UAPPROVER1>'), plain(':gear: via monitor'), { type: 'image', image_url: 'https://example.test/i.png', alt_text: 'icon' }],
      },
    ]);
    expect(html).toContain('class="bk-context"');
    expect(visibleText(html)).toContain('Requested by @grace');
    expect(visibleText(html)).toContain('\u2699\uFE0F via monitor');
    expect(html).toContain('class="bk-context-image" src="https://example.test/i.png" alt="icon"');
  });

  it('renders a divider and an image block with its title', () => {
    const html = renderBlocks([
      { type: 'divider' },
      { type: 'image', block_id: 'map', image_url: 'https://example.test/map.png', alt_text: 'Map of two places', title: plain('San Francisco → Moscow') },
    ]);
    expect(html).toContain('<hr class="bk-divider"');
    expect(html).toContain('data-block-id="map"');
    expect(html).toContain('<figcaption class="bk-image-title">');
    expect(visibleText(html)).toContain('San Francisco → Moscow');
    expect(html).toContain('alt="Map of two places"');
  });

  it('shows alt text instead of an image whose URL is not http(s)', () => {
    const html = renderBlocks([{ type: 'image', image_url: 'javascript:alert(1)', alt_text: 'the map' }]);
    expect(html).not.toContain('javascript:');
    expect(visibleText(html)).toBe('the map');
  });

  it('renders actions: primary and danger buttons, an overflow menu and a static select with its initial option', () => {
    const html = renderBlocks([
      {
        type: 'actions',
        block_id: 'req_1',
        elements: [
          { type: 'button', action_id: 'approve', text: plain('Approve'), style: 'primary', value: 'r1' },
          { type: 'button', action_id: 'deny', text: plain('Deny'), style: 'danger', value: 'r1' },
          { type: 'button', action_id: 'plain', text: plain('Details') },
          { type: 'overflow', action_id: 'more', options: [option('a', 'A')] },
          {
            type: 'static_select',
            action_id: 'pick',
            placeholder: plain('Pick one'),
            option_groups: [{ label: plain('Group'), options: [option('g1', 'G one')] }],
            options: [option('x', 'X')],
            initial_option: option('g1', 'G one'),
          },
        ],
      },
    ]);
    expect(tagWith(html, 'data-action-id="approve"')).toContain('bk-button-primary');
    expect(tagWith(html, 'data-action-id="deny"')).toContain('bk-button-danger');
    expect(tagWith(html, 'data-action-id="plain"')).toContain('class="bk-button"');
    expect(html).toContain('aria-label="More actions"');
    expect(html).toContain('<optgroup label="Group">');
    expect(html).toContain('<option selected value="g1">G one</option>');
    // The placeholder is a disabled empty choice, not selected once something is.
    expect(html).toContain('<option value disabled>Pick one</option>');
  });

  it('renders a button with a confirm closed: the button is there, the dialog is not', () => {
    const html = renderBlocks([
      {
        type: 'actions',
        block_id: 'a',
        elements: [
          {
            type: 'button',
            action_id: 'remove_all',
            text: plain('Remove all'),
            confirm: {
              title: plain('Remove every session?'),
              text: md('Ends *12* sessions'),
              confirm: plain('Remove'),
              deny: plain('Cancel'),
              style: 'danger',
            },
          },
        ],
      },
    ]);
    expect(html).toMatch(/<button[^>]*>.*Remove all.*<\/button>/);
    expect(html).not.toContain('role="dialog"');
    expect(html).not.toContain('Remove every session?');
  });

  it('link buttons are still real buttons and only http(s) links are kept', () => {
    const html = renderBlocks([
      {
        type: 'actions',
        elements: [
          { type: 'button', action_id: 'open', text: plain('Open request'), url: 'https://example.test/r/1' },
          { type: 'button', action_id: 'evil', text: plain('Evil'), url: 'javascript:alert(1)' },
        ],
      },
    ]);
    expect(tagWith(html, 'data-action-id="open"')).toMatch(/^<button/);
    expect(html).not.toContain('javascript:');
  });
});

describe('ConfirmDialog', () => {
  it('has role dialog named by its title, mrkdwn text and the confirm / deny labels with the confirm style', () => {
    const confirm = readConfirm({
      title: plain('Deactivate ada?'),
      text: md('She *cannot* log in afterwards'),
      confirm: plain('Deactivate'),
      deny: plain('Keep'),
      style: 'danger',
    });
    if (!confirm) throw new Error('confirm object not read');
    const html = renderToString(<ConfirmDialog confirm={confirm} ctx={recorder().ctx} onConfirm={() => undefined} onDeny={() => undefined} />);
    expect(tagWith(html, 'role="dialog"')).toContain('aria-label="Deactivate ada?"');
    expect(html).toContain('<b>cannot</b>');
    expect(html).toMatch(/<button type="button" class="bk-button">Keep<\/button>/);
    expect(html).toMatch(/<button type="button" class="bk-button bk-button-danger"[^>]*>Deactivate<\/button>/);
  });

  it('defaults a confirm without style or labels to a primary "Yes" / "Cancel"', () => {
    expect(readConfirm({ title: plain('Sure?'), text: plain('Really') })).toEqual({
      title: 'Sure?',
      text: { type: 'plain_text', text: 'Really', emoji: true },
      confirm: 'Yes',
      deny: 'Cancel',
      style: 'primary',
    });
  });
});

describe('Blocks: modal inputs', () => {
  const reasonBlock = {
    type: 'input',
    block_id: 'reason',
    label: plain('Why?'),
    hint: plain('Shown to the approver'),
    element: { type: 'plain_text_input', action_id: 'reason_input', multiline: true, min_length: 5, max_length: 1000, placeholder: plain('Because…') },
  };

  it('renders a multiline text input with label for, placeholder, hint and length limits', () => {
    const { ctx } = recorder({});
    const html = renderBlocks([reasonBlock], ctx);
    const textarea = tagWith(html, 'data-action-id="reason_input"');
    expect(textarea).toMatch(/^<textarea/);
    const id = /id="([^"]+)"/.exec(textarea)?.[1];
    expect(html).toContain(`<label class="bk-label" for="${id}">`);
    expect(textarea).toContain('placeholder="Because…"');
    expect(textarea).toContain('minlength="5"');
    expect(textarea).toContain('maxlength="1000"');
    expect(visibleText(html)).toContain('Shown to the approver');
    expect(visibleText(html)).toContain('5–1,000 characters · 0 typed');
  });

  it('shows the current value from ctx.inputs.values and the error the bot answered for the block', () => {
    const { ctx } = recorder({
      values: { reason: { reason_input: { type: 'plain_text_input', value: 'typo' } } },
      errors: { reason: 'Give a reason of at least 5 characters' },
    });
    const html = renderBlocks([reasonBlock], ctx);
    expect(html).toMatch(/<textarea[^>]*>typo<\/textarea>|<textarea[^>]*value="typo"/);
    expect(html).toContain('role="alert"');
    expect(visibleText(html)).toContain('Give a reason of at least 5 characters');
    expect(tagWith(html, 'data-action-id="reason_input"')).toContain('aria-invalid="true"');
  });

  it('renders a single-line input with its initial value, marked optional', () => {
    const { ctx } = recorder({});
    const html = renderBlocks(
      [
        {
          type: 'input',
          block_id: 'net',
          optional: true,
          label: plain('Address or network'),
          element: { type: 'plain_text_input', action_id: 'net_input', initial_value: '203.0.113.7', max_length: 60 },
        },
      ],
      ctx,
    );
    const input = tagWith(html, 'data-action-id="net_input"');
    expect(input).toMatch(/^<input/);
    expect(input).toContain('type="text"');
    expect(input).toContain('value="203.0.113.7"');
    expect(visibleText(html)).toContain('Address or network (optional)');
    expect(visibleText(html)).toContain('up to 60 characters');
  });

  it('renders checkboxes, radio buttons, a static select and a number input with their initial choices', () => {
    const { ctx } = recorder({});
    const html = renderBlocks(
      [
        {
          type: 'input',
          block_id: 'grants',
          label: plain('Connected apps to revoke'),
          element: {
            type: 'checkboxes',
            action_id: 'g',
            options: [option('A', 'App A', 'last used today'), option('B', 'App B')],
            initial_options: [option('B', 'App B')],
          },
        },
        {
          type: 'input',
          block_id: 'scope',
          label: plain('Suppress'),
          element: {
            type: 'radio_buttons',
            action_id: 's',
            options: [option('user', 'Any alert'), option('network', 'Only from')],
            initial_option: option('user', 'Any alert'),
          },
        },
        {
          type: 'input',
          block_id: 'sel',
          label: plain('Kind'),
          element: { type: 'static_select', action_id: 'k', options: [option('a', 'Alpha'), option('b', 'Beta')] },
        },
        {
          type: 'input',
          block_id: 'days',
          label: plain('Days'),
          element: { type: 'number_input', action_id: 'd', is_decimal_allowed: false, min_value: '1', max_value: '90', initial_value: '7' },
        },
      ],
      ctx,
    );
    expect(html).toMatch(/<legend class="bk-label">.*Connected apps to revoke.*<\/legend>/);
    expect(tagWith(html, 'value="A"')).not.toContain('checked');
    expect(tagWith(html, 'value="B"')).toContain('checked');
    expect(visibleText(html)).toContain('last used today');
    expect(tagWith(html, 'value="user"')).toMatch(/type="radio".*checked/);
    expect(tagWith(html, 'value="network"')).not.toContain('checked');
    expect(tagWith(html, 'data-action-id="k"')).toMatch(/^<select/);
    expect(html).toContain('<option selected value disabled>Select an item</option>');
    const days = tagWith(html, 'data-action-id="d"');
    expect(days).toContain('type="number"');
    expect(days).toContain('value="7"');
    expect(days).toContain('min="1"');
    expect(days).toContain('max="90"');
    expect(visibleText(html)).toContain('a whole number, 1–90');
  });

  it('disables inputs outside a modal (no ctx.inputs): there is no state to change', () => {
    const html = renderBlocks([reasonBlock]);
    expect(tagWith(html, 'data-action-id="reason_input"')).toContain('disabled');
  });
});

describe('Blocks: odd input never throws', () => {
  it.each([
    ['null', null],
    ['a string', 'not blocks'],
    ['an object', { type: 'section' }],
  ])('renders nothing for blocks that are %s', (_name, blocks) => {
    expect(visibleText(renderBlocks(blocks))).toBe('');
  });

  it('shows a visible line for unknown blocks and elements, and reads half-broken blocks', () => {
    const html = renderBlocks([
      { type: 'video', block_id: 'v' },
      42,
      null,
      { type: 'rich_text', elements: [] },
      { type: 'actions', elements: [{ type: 'datepicker', action_id: 'd' }, 'junk', { type: 'button' }] },
      { type: 'section', text: 'not an object', fields: 'nope', accessory: { type: 'users_select' } },
      { type: 'context', elements: [{ type: 'video' }] },
      { type: 'input', label: plain('When'), element: { type: 'timepicker' } },
      { type: 'header' },
    ]);
    const text = visibleText(html);
    expect(text).toContain('[unsupported block: video]');
    expect(text).toContain('[unsupported block: block without a type]');
    expect(text).toContain('[unsupported block: rich_text]');
    expect(text).toContain('[unsupported element: datepicker]');
    expect(text).toContain('[unsupported element: element without a type]');
    expect(text).toContain('[unsupported element: users_select]');
    expect(text).toContain('[unsupported element: video]');
    expect(text).toContain('[unsupported element: timepicker]');
    expect(html).toContain('data-block-type="video"');
    expect(html).toContain('data-block-id="v"');
    // A button without text still renders as a clickable button.
    expect(html).toMatch(/<button[^>]*>.*Button.*<\/button>/);
  });
});

describe('Mrkdwn and PlainText', () => {
  const { ctx } = recorder();

  it('escapes everything: script text stays text', () => {
    const html = renderToString(<Mrkdwn text={'&lt;script&gt;alert(1)&lt;/script&gt; <script>x</script> <img src=x onerror=alert(1)>'} ctx={ctx} />);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script>alert(1)&lt;/script>');
  });

  it('renders links in a new tab with rel=noopener, and mentions highlighted by name', () => {
    const html = renderToString(<Mrkdwn text="<https://example.test/a?b=1&amp;c=2|docs> <@U0ADA> <@UNKNOWN> <#C0SEC> <!here>" ctx={ctx} />);
    expect(html).toContain('<a class="bk-link" href="https://example.test/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer">docs</a>');
    expect(html).toMatch(/<span class="bk-mention" data-user-id="U0ADA">@(<!-- -->)?ada<\/span>/);
    expect(visibleText(html)).toContain('@UNKNOWN');
    expect(visibleText(html)).toContain('#security');
    expect(html).toContain('<span class="bk-mention bk-group">@here</span>');
  });

  it('formats dates in the viewer zone with the pinned clock, and shows the fallback for an unknown format', () => {
    const epoch = FIXED_NOW.getTime() / 1000 - 3600;
    const html = renderToString(<Mrkdwn text={`<!date^${epoch}^{date_short_pretty} {time}|UTC fallback> / <!date^${epoch}^{nope}|UTC fallback>`} ctx={ctx} />);
    expect(visibleText(html)).toBe('Today 11:00 AM / UTC fallback');
    expect(visibleText(renderToString(<Mrkdwn text={`<!date^${epoch}^{time}|x>`} ctx={{ ...ctx, timeZone: 'America/Los_Angeles' }} />))).toBe('3:00 AM');
  });

  it('renders preformatted blocks and quotes as block elements', () => {
    const html = renderToString(<Mrkdwn text={'> quoted\n```\ncode *here*\n```'} ctx={ctx} />);
    expect(html).toContain('<blockquote class="bk-quote">quoted</blockquote>');
    expect(html).toContain('<pre class="bk-pre">code *here*</pre>');
  });

  it('PlainText converts shortcodes unless emoji is false, and never parses mrkdwn', () => {
    expect(renderToString(<PlainText text=":warning: *not bold*" />)).toBe('<span class="bk-plain">\u26A0\uFE0F *not bold*</span>');
    expect(renderToString(<PlainText text=":warning:" emoji={false} />)).toBe('<span class="bk-plain">:warning:</span>');
  });
});
