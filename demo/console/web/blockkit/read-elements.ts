/** Reads text objects, options, confirm dialogs and elements out of unknown JSON. Pure; never throws. */
import type { OptionObject } from '../../protocol';
import { asArray, asBoolean, asNumeric, asRecord, asString, isSafeUrl } from './guards';
import type {
  ButtonModel,
  ButtonStyle,
  ConfirmModel,
  ContextElementModel,
  ElementModel,
  ImageModel,
  InputElementModel,
  OptionGroupModel,
  SelectModel,
  TextModel,
  Unsupported,
} from './model';

export function readText(raw: unknown): TextModel | undefined {
  const obj = asRecord(raw);
  const text = asString(obj?.text);
  if (!obj || text === undefined) return undefined;
  const type = obj.type === 'mrkdwn' ? 'mrkdwn' : 'plain_text';
  return { type, text, emoji: type === 'plain_text' && asBoolean(obj.emoji) !== false };
}

/** A plain_text object's words, for places that show text only (option labels, titles). */
export function readPlain(raw: unknown): string | undefined {
  return readText(raw)?.text;
}

function unsupported(raw: unknown): Unsupported {
  const name = asString(asRecord(raw)?.type);
  return { type: 'unsupported', name: name ?? 'element without a type' };
}

/** An option as Slack echoes it in view.state: the same text/value/description the bot sent. */
export function readOption(raw: unknown): OptionObject | undefined {
  const obj = asRecord(raw);
  const text = readText(obj?.text);
  const value = asString(obj?.value);
  if (!obj || !text || value === undefined) return undefined;
  const option: OptionObject = {
    text: text.type === 'plain_text' ? { type: 'plain_text', text: text.text, emoji: text.emoji } : { type: 'mrkdwn', text: text.text },
    value,
  };
  const description = readText(obj.description);
  if (description) option.description = { type: description.type, text: description.text };
  return option;
}

export function readOptions(raw: unknown): OptionObject[] {
  return asArray(raw)
    .map(readOption)
    .filter((o): o is OptionObject => o !== undefined);
}

const readStyle = (raw: unknown): ButtonStyle | undefined => (raw === 'primary' || raw === 'danger' ? raw : undefined);

export function readConfirm(raw: unknown): ConfirmModel | undefined {
  const obj = asRecord(raw);
  if (!obj) return undefined;
  return {
    title: readPlain(obj.title) ?? 'Are you sure?',
    text: readText(obj.text) ?? { type: 'plain_text', text: '', emoji: true },
    confirm: readPlain(obj.confirm) ?? 'Yes',
    deny: readPlain(obj.deny) ?? 'Cancel',
    // Slack's default for a confirm button without a style is primary.
    style: readStyle(obj.style) ?? 'primary',
  };
}

/** Inserts an optional field only when it has a value (exactOptionalPropertyTypes-friendly, and tidy in tests). */
function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Partial<Record<K, V>>);
}

function readButton(obj: Record<string, unknown>, actionId: string): ButtonModel {
  const url = asString(obj.url);
  return {
    type: 'button',
    actionId,
    text: readText(obj.text) ?? { type: 'plain_text', text: 'Button', emoji: true },
    ...optional('value', asString(obj.value)),
    ...optional('url', url !== undefined && isSafeUrl(url) ? url : undefined),
    ...optional('style', readStyle(obj.style)),
    ...optional('accessibilityLabel', asString(obj.accessibility_label)),
    ...optional('confirm', readConfirm(obj.confirm)),
  };
}

export function readSelect(obj: Record<string, unknown>, actionId: string): SelectModel {
  const groups: OptionGroupModel[] = asArray(obj.option_groups).map((g) => {
    const group = asRecord(g);
    return { label: readPlain(group?.label) ?? '', options: readOptions(group?.options) };
  });
  const options = [...readOptions(obj.options), ...groups.flatMap((g) => g.options)];
  const initial = readOption(obj.initial_option);
  return {
    type: 'static_select',
    actionId,
    options,
    groups,
    ...optional('placeholder', readPlain(obj.placeholder)),
    // Slack rejects an initial option that is not among the options; the renderer ignores it instead.
    ...optional('initialOption', initial && options.some((o) => o.value === initial.value) ? initial : undefined),
    ...optional('confirm', readConfirm(obj.confirm)),
  };
}

export function readImage(obj: Record<string, unknown> | undefined): ImageModel {
  const url = asString(obj?.image_url);
  return { type: 'image', alt: asString(obj?.alt_text) ?? '', ...optional('url', url !== undefined && /^https?:\/\//i.test(url) ? url : undefined) };
}

/** `fallbackId` stands in for a missing action_id, as Slack would invent one. */
export function readElement(raw: unknown, fallbackId: string): ElementModel {
  const obj = asRecord(raw);
  if (!obj) return unsupported(raw);
  const actionId = asString(obj.action_id) ?? fallbackId;
  switch (obj.type) {
    case 'button':
      return readButton(obj, actionId);
    case 'overflow':
      return { type: 'overflow', actionId, options: readOptions(obj.options), ...optional('confirm', readConfirm(obj.confirm)) };
    case 'static_select':
      return readSelect(obj, actionId);
    case 'image':
      return readImage(obj);
    default:
      return unsupported(raw);
  }
}

export function readContextElement(raw: unknown): ContextElementModel {
  const obj = asRecord(raw);
  if (obj?.type === 'image') return readImage(obj);
  if (obj?.type === 'mrkdwn' || obj?.type === 'plain_text') {
    const text = readText(obj);
    if (text) return { type: 'text', text };
  }
  return unsupported(raw);
}

const nonNegative = (n: number | undefined): number | undefined => (n !== undefined && n >= 0 ? Math.floor(n) : undefined);

export function readInputElement(raw: unknown, fallbackId: string): InputElementModel {
  const obj = asRecord(raw);
  if (!obj) return unsupported(raw);
  const actionId = asString(obj.action_id) ?? fallbackId;
  switch (obj.type) {
    case 'plain_text_input':
      return {
        type: 'plain_text_input',
        actionId,
        multiline: asBoolean(obj.multiline) === true,
        ...optional('placeholder', readPlain(obj.placeholder)),
        ...optional('initialValue', asString(obj.initial_value)),
        ...optional('minLength', nonNegative(asNumeric(obj.min_length))),
        ...optional('maxLength', nonNegative(asNumeric(obj.max_length))),
      };
    case 'number_input':
      return {
        type: 'number_input',
        actionId,
        isDecimalAllowed: asBoolean(obj.is_decimal_allowed) === true,
        ...optional('placeholder', readPlain(obj.placeholder)),
        ...optional('initialValue', asString(obj.initial_value)),
        ...optional('minValue', asNumeric(obj.min_value)),
        ...optional('maxValue', asNumeric(obj.max_value)),
      };
    case 'checkboxes': {
      const options = readOptions(obj.options);
      const initial = readOptions(obj.initial_options).filter((i) => options.some((o) => o.value === i.value));
      return { type: 'checkboxes', actionId, options, initialOptions: initial };
    }
    case 'radio_buttons': {
      const options = readOptions(obj.options);
      const initial = readOption(obj.initial_option);
      return {
        type: 'radio_buttons',
        actionId,
        options,
        ...optional('initialOption', initial && options.some((o) => o.value === initial.value) ? initial : undefined),
      };
    }
    case 'static_select':
      return readSelect(obj, actionId);
    default:
      return unsupported(raw);
  }
}
