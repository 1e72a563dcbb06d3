import type { OptionObject } from '../../../demo/console/protocol';
import { initialValues } from '../../../demo/console/web/blockkit';
import { readInputElement, readOptions } from '../../../demo/console/web/blockkit/read-elements';
import { currentValue, findOption, textValue, toggleOption } from '../../../demo/console/web/blockkit/state';

const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const option = (value: string, text = value.toUpperCase()): OptionObject => ({ value, text: plain(text) });
const input = (blockId: string, element: Record<string, unknown>) => ({ type: 'input', block_id: blockId, label: plain(blockId), element });

describe('initialValues', () => {
  it('gives every input block its Slack starting state, empty ones included', () => {
    const blocks = [
      { type: 'section', block_id: 'about', text: { type: 'mrkdwn', text: 'x' } },
      input('filled_text', { type: 'plain_text_input', action_id: 't', initial_value: 'hello' }),
      input('empty_text', { type: 'plain_text_input', action_id: 't' }),
      input('filled_boxes', { type: 'checkboxes', action_id: 'c', options: [option('a'), option('b')], initial_options: [option('b')] }),
      input('empty_boxes', { type: 'checkboxes', action_id: 'c', options: [option('a')] }),
      input('filled_radio', { type: 'radio_buttons', action_id: 'r', options: [option('a')], initial_option: option('a') }),
      input('empty_radio', { type: 'radio_buttons', action_id: 'r', options: [option('a')] }),
      input('filled_select', { type: 'static_select', action_id: 's', options: [option('a'), option('b')], initial_option: option('b') }),
      input('empty_select', { type: 'static_select', action_id: 's', options: [option('a')] }),
      input('days', { type: 'number_input', action_id: 'n', is_decimal_allowed: false, initial_value: '7' }),
      input('no_days', { type: 'number_input', action_id: 'n', is_decimal_allowed: false }),
      input('clock', { type: 'timepicker', action_id: 'tp' }),
    ];
    expect(initialValues(blocks)).toEqual({
      filled_text: { t: { type: 'plain_text_input', value: 'hello' } },
      empty_text: { t: { type: 'plain_text_input', value: null } },
      filled_boxes: { c: { type: 'checkboxes', selected_options: [option('b')] } },
      empty_boxes: { c: { type: 'checkboxes', selected_options: [] } },
      filled_radio: { r: { type: 'radio_buttons', selected_option: option('a') } },
      empty_radio: { r: { type: 'radio_buttons', selected_option: null } },
      filled_select: { s: { type: 'static_select', selected_option: option('b') } },
      empty_select: { s: { type: 'static_select', selected_option: null } },
      days: { n: { type: 'number_input', value: '7' } },
      no_days: { n: { type: 'number_input', value: null } },
    });
  });

  it('ignores initial options that are not among the options (Slack would reject the view)', () => {
    const blocks = [
      input('r', { type: 'radio_buttons', action_id: 'r', options: [option('a')], initial_option: option('zzz') }),
      input('c', { type: 'checkboxes', action_id: 'c', options: [option('a')], initial_options: [option('a'), option('zzz')] }),
    ];
    expect(initialValues(blocks)).toEqual({
      r: { r: { type: 'radio_buttons', selected_option: null } },
      c: { c: { type: 'checkboxes', selected_options: [option('a')] } },
    });
  });

  it('keys blocks and elements without ids by stable stand-ins, and reads garbage as no state', () => {
    const blocks = [{ type: 'input', label: plain('x'), element: { type: 'plain_text_input' } }];
    expect(initialValues(blocks)).toEqual({ 'bk-block-0': { 'bk-action-0': { type: 'plain_text_input', value: null } } });
    expect(initialValues(null)).toEqual({});
    expect(initialValues([null, 3, { type: 'input' }])).toEqual({});
  });
});

describe('currentValue', () => {
  const text = readInputElement({ type: 'plain_text_input', action_id: 't', initial_value: 'start' }, 'fallback');

  it("prefers the page's value for the input", () => {
    expect(currentValue({ b: { t: { type: 'plain_text_input', value: 'typed' } } }, 'b', text)).toEqual({ type: 'plain_text_input', value: 'typed' });
  });

  it('falls back to the initial value when the page has none, or holds a value of another element type', () => {
    expect(currentValue(undefined, 'b', text)).toEqual({ type: 'plain_text_input', value: 'start' });
    expect(currentValue({ b: { t: { type: 'checkboxes', selected_options: [] } } }, 'b', text)).toEqual({ type: 'plain_text_input', value: 'start' });
  });
});

describe('option handling', () => {
  const options = [option('a'), option('b'), option('c')];

  it('keeps checkbox selections in the order the options are listed, as Slack reports them', () => {
    expect(toggleOption(options, [option('c')], 'a', true)).toEqual([option('a'), option('c')]);
    expect(toggleOption(options, [option('a'), option('c')], 'a', false)).toEqual([option('c')]);
    expect(toggleOption(options, [option('b')], 'b', true)).toEqual([option('b')]);
  });

  it('finds an option by value', () => {
    expect(findOption(options, 'b')).toEqual(option('b'));
    expect(findOption(options, 'zzz')).toBeUndefined();
  });

  it('reads options as Slack echoes them, dropping malformed ones and defaulting emoji to true', () => {
    expect(
      readOptions([
        { value: 'x', text: { type: 'plain_text', text: 'X' }, description: { type: 'plain_text', text: 'more' } },
        { value: 'm', text: { type: 'mrkdwn', text: '*M*' } },
        { value: 'no text' },
        { text: { type: 'plain_text', text: 'no value' } },
        'junk',
      ]),
    ).toEqual([
      { value: 'x', text: { type: 'plain_text', text: 'X', emoji: true }, description: { type: 'plain_text', text: 'more' } },
      { value: 'm', text: { type: 'mrkdwn', text: '*M*' } },
    ]);
  });

  it('stores an emptied text field as null, as Slack does', () => {
    expect(textValue('')).toBeNull();
    expect(textValue(' ')).toBe(' ');
  });
});
