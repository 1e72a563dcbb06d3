/**
 * Modal input state in Slack's `view.state.values` shape: what a view starts with, the value an input
 * shows now, and option bookkeeping. Pure.
 */
import type { InputValue, OptionObject, StateValues } from '../../protocol';
import type { InputElementModel } from './model';
import { readBlocks } from './read-blocks';

/** Every value an input can hold, in Slack's `view.state.values` shape. */
export type BlockInputValue = InputValue;

/** The value an element starts with; undefined for element types that hold no state. */
export function initialValueOf(element: InputElementModel): BlockInputValue | undefined {
  switch (element.type) {
    case 'plain_text_input':
      return { type: 'plain_text_input', value: element.initialValue ?? null };
    case 'number_input':
      return { type: 'number_input', value: element.initialValue ?? null };
    case 'checkboxes':
      return { type: 'checkboxes', selected_options: element.initialOptions };
    case 'radio_buttons':
      return { type: 'radio_buttons', selected_option: element.initialOption ?? null };
    case 'static_select':
      return { type: 'static_select', selected_option: element.initialOption ?? null };
    case 'unsupported':
      return undefined;
  }
}

/**
 * The state Slack would report for a freshly opened view: every input block, empty ones included
 * (value null, no selected options, no selected option), keyed by block_id then action_id.
 */
export function initialValues(blocks: unknown): StateValues {
  const values: StateValues = {};
  for (const block of readBlocks(blocks)) {
    if (block.type !== 'input' || block.element.type === 'unsupported') continue;
    const value = initialValueOf(block.element);
    if (value !== undefined) values[block.blockId] = { [block.element.actionId]: value };
  }
  return values;
}

/** What an input shows now: the page's state when it has this input, else the element's initial value. */
export function currentValue(values: StateValues | undefined, blockId: string, element: InputElementModel): BlockInputValue | undefined {
  if (element.type === 'unsupported') return undefined;
  const held: BlockInputValue | undefined = values?.[blockId]?.[element.actionId];
  // A value of another type (the bot replaced the view with a different element) is stale.
  return held !== undefined && held.type === element.type ? held : initialValueOf(element);
}

export function findOption(options: readonly OptionObject[], value: string): OptionObject | undefined {
  return options.find((o) => o.value === value);
}

/** The checkbox selection after one box changes, in the order the options are listed (as Slack reports it). */
export function toggleOption(options: readonly OptionObject[], selected: readonly OptionObject[], value: string, checked: boolean): OptionObject[] {
  const chosen = new Set(selected.map((o) => o.value));
  if (checked) chosen.add(value);
  else chosen.delete(value);
  return options.filter((o) => chosen.has(o.value));
}

/** An input's text as Slack stores it: an emptied field is null, not "". */
export function textValue(text: string): string | null {
  return text === '' ? null : text;
}
