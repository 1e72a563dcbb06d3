/**
 * Modal input blocks, controlled by `ctx.inputs.values` (Slack's view.state.values) and reporting
 * each change through `ctx.inputs.onChange`. Without `ctx.inputs` (an input block in a message) the
 * controls show their initial values, disabled: there is no state to change.
 */
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';
import { findOption, currentValue, textValue, toggleOption, type BlockInputValue } from './state';
import type { BlockModel, CheckboxesModel, InputElementModel, NumberInputModel, RadioButtonsModel, SelectModel, TextInputModel } from './model';
import type { BlockKitContext } from './render-options';
import { SelectOptions, Unsupported } from './elements';
import { OptionLabel, TextView } from './TextView';

type InputBlockModel = Extract<BlockModel, { type: 'input' }>;

const formatCount = (n: number): string => n.toLocaleString('en-US');

/** "5–1,000 characters", "at least 5 characters", "up to 60 characters" — or nothing. */
export function lengthNote(min: number | undefined, max: number | undefined, unit = 'characters'): string | undefined {
  if (min !== undefined && max !== undefined) return `${formatCount(min)}–${formatCount(max)} ${unit}`;
  if (min !== undefined) return `at least ${formatCount(min)} ${unit}`;
  if (max !== undefined) return `up to ${formatCount(max)} ${unit}`;
  return undefined;
}

interface ControlProps<M extends InputElementModel> {
  element: M;
  id: string;
  value: BlockInputValue | undefined;
  change: (value: BlockInputValue) => void;
  disabled: boolean;
  invalid: boolean;
  describedBy: string | undefined;
  ctx: BlockKitContext;
}

function TextInput({ element, id, value, change, disabled, invalid, describedBy }: ControlProps<TextInputModel>) {
  const text = value?.type === 'plain_text_input' ? (value.value ?? '') : '';
  const common = {
    id,
    class: 'bk-text-input',
    placeholder: element.placeholder,
    minLength: element.minLength,
    maxLength: element.maxLength,
    value: text,
    disabled,
    'aria-invalid': invalid,
    'aria-describedby': describedBy,
    'data-action-id': element.actionId,
  };
  const note = lengthNote(element.minLength, element.maxLength);
  return (
    <>
      {element.multiline ? (
        <textarea {...common} rows={4} onInput={(e) => change({ type: 'plain_text_input', value: textValue(e.currentTarget.value) })} />
      ) : (
        <input {...common} type="text" onInput={(e) => change({ type: 'plain_text_input', value: textValue(e.currentTarget.value) })} />
      )}
      {note ? <div class="bk-length">{`${note} · ${formatCount(text.length)} typed`}</div> : null}
    </>
  );
}

function NumberInput({ element, id, value, change, disabled, invalid, describedBy }: ControlProps<NumberInputModel>) {
  const text = value?.type === 'number_input' ? (value.value ?? '') : '';
  const range =
    element.minValue !== undefined && element.maxValue !== undefined
      ? `${element.minValue}–${element.maxValue}`
      : element.minValue !== undefined
        ? `at least ${element.minValue}`
        : element.maxValue !== undefined
          ? `at most ${element.maxValue}`
          : undefined;
  return (
    <>
      <input
        id={id}
        class="bk-text-input bk-number-input"
        type="number"
        step={element.isDecimalAllowed ? 'any' : 1}
        min={element.minValue}
        max={element.maxValue}
        placeholder={element.placeholder}
        value={text}
        disabled={disabled}
        aria-invalid={invalid}
        aria-describedby={describedBy}
        data-action-id={element.actionId}
        onInput={(e) => change({ type: 'number_input', value: textValue(e.currentTarget.value) })}
      />
      {range ? <div class="bk-length">{`${element.isDecimalAllowed ? 'a number' : 'a whole number'}, ${range}`}</div> : null}
    </>
  );
}

function Checkboxes({ element, id, value, change, disabled, ctx }: ControlProps<CheckboxesModel>) {
  const selected = value?.type === 'checkboxes' ? value.selected_options : [];
  return (
    <div class="bk-choices" data-action-id={element.actionId}>
      {element.options.map((option, i) => (
        <label key={option.value} class="bk-choice">
          <input
            type="checkbox"
            id={`${id}-${i}`}
            value={option.value}
            checked={selected.some((s) => s.value === option.value)}
            disabled={disabled}
            onChange={(e) => change({ type: 'checkboxes', selected_options: toggleOption(element.options, selected, option.value, e.currentTarget.checked) })}
          />
          <OptionLabel option={option} ctx={ctx} />
        </label>
      ))}
    </div>
  );
}

function RadioButtons({ element, id, value, change, disabled, ctx }: ControlProps<RadioButtonsModel>) {
  const selected = value?.type === 'radio_buttons' ? value.selected_option?.value : undefined;
  return (
    <div class="bk-choices" role="radiogroup" data-action-id={element.actionId}>
      {element.options.map((option, i) => (
        <label key={option.value} class="bk-choice">
          <input
            type="radio"
            id={`${id}-${i}`}
            name={id}
            value={option.value}
            checked={selected === option.value}
            disabled={disabled}
            onChange={() => change({ type: 'radio_buttons', selected_option: option })}
          />
          <OptionLabel option={option} ctx={ctx} />
        </label>
      ))}
    </div>
  );
}

function SelectInput({ element, id, value, change, disabled, invalid, describedBy }: ControlProps<SelectModel>) {
  const selected = value?.type === 'static_select' ? (value.selected_option?.value ?? '') : '';
  return (
    <select
      id={id}
      class="bk-select"
      value={selected}
      disabled={disabled}
      aria-invalid={invalid}
      aria-describedby={describedBy}
      data-action-id={element.actionId}
      onChange={(e) => change({ type: 'static_select', selected_option: findOption(element.options, e.currentTarget.value) ?? null })}
    >
      <SelectOptions element={element} />
    </select>
  );
}

function Control(props: ControlProps<InputElementModel>): ComponentChildren {
  const { element } = props;
  switch (element.type) {
    case 'plain_text_input':
      return <TextInput {...props} element={element} />;
    case 'number_input':
      return <NumberInput {...props} element={element} />;
    case 'checkboxes':
      return <Checkboxes {...props} element={element} />;
    case 'radio_buttons':
      return <RadioButtons {...props} element={element} />;
    case 'static_select':
      return <SelectInput {...props} element={element} />;
    case 'unsupported':
      return <Unsupported what="element" name={element.name} />;
  }
}

/** Groups of boxes or radios are labelled by a legend; single controls by a <label for>. */
const isGroup = (element: InputElementModel): boolean => element.type === 'checkboxes' || element.type === 'radio_buttons';

export function InputBlockView({ block, ctx }: { block: InputBlockModel; ctx: BlockKitContext }) {
  const id = `bk-input-${useId()}`;
  const { element, blockId } = block;
  const error = ctx.inputs?.errors[blockId];
  const hintId = block.hint ? `${id}-hint` : undefined;
  const errorId = error !== undefined ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter((x) => x !== undefined).join(' ') || undefined;
  const props: ControlProps<InputElementModel> = {
    element,
    id,
    value: currentValue(ctx.inputs?.values, blockId, element),
    change: (value) => {
      if (element.type !== 'unsupported') ctx.inputs?.onChange(blockId, element.actionId, value);
    },
    disabled: ctx.inputs === undefined,
    invalid: error !== undefined,
    describedBy,
    ctx,
  };
  const labelText = (
    <>
      <TextView text={block.label} ctx={ctx} />
      {block.optional ? <span class="bk-optional"> (optional)</span> : null}
    </>
  );
  const extras = (
    <>
      {block.hint ? (
        <div class="bk-hint" id={hintId}>
          <TextView text={block.hint} ctx={ctx} />
        </div>
      ) : null}
      {error !== undefined ? (
        <div class="bk-error" id={errorId} role="alert">
          {error}
        </div>
      ) : null}
    </>
  );
  return isGroup(element) ? (
    <fieldset class="bk-fieldset" aria-describedby={describedBy} aria-invalid={error !== undefined}>
      <legend class="bk-label">{labelText}</legend>
      <Control {...props} />
      {extras}
    </fieldset>
  ) : (
    <>
      <label class="bk-label" for={id}>
        {labelText}
      </label>
      <Control {...props} />
      {extras}
    </>
  );
}
