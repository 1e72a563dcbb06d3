/**
 * Block Kit checker: the stand-in's oracle for what Slack accepts in `blocks` and `view`.
 *
 * It is deliberately strict. Slack validates blocks against a JSON schema and rejects the whole
 * message on the first unknown property or over-long string, so a lenient stand-in would let the
 * bot ship messages that real Slack refuses. Messages copy Slack's wording as seen in recorded
 * responses ("[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
 * "unsupported type: x", "no more than 50 items allowed", "must provide at least 1 items",
 * "missing required field: x", "invalid additional property: x",
 * "must define either `text` or `fields`", "must define `submit` to use an `input` block in modals").
 *
 * Lengths count Unicode code points, never UTF-16 units, so a builder that truncates with
 * `String.length` can never be more permissive than the checker.
 */

import { schemaErrors } from './block-kit-schema';

export const MAX_MESSAGE_BLOCKS = 50;
export const MAX_VIEW_BLOCKS = 100;
/**
 * Slack does not document a cumulative cap, but rejects messages with `msg_blocks_too_long` once
 * their block text passes roughly 12,000–13,300 characters (bolt-js#2509 measured 13,297,
 * metabase#79908 13,202; a maintainer cited "12,000 text characters with a buffer", bolt-js#2867).
 * We take the lowest documented figure so anything we accept is safe on real Slack.
 */
export const MAX_TOTAL_BLOCK_TEXT = 12_000;
/** chat.update refuses a fallback `text` longer than this with `msg_too_long`. */
export const MAX_UPDATE_TEXT = 4_000;
/** views.open/update/publish refuse a serialized view above 250 kB with `view_too_large`. */
export const MAX_VIEW_BYTES = 250_000;

type Obj = Record<string, unknown>;

export type BlocksError = 'invalid_blocks_format' | 'invalid_blocks' | 'msg_blocks_too_long';

export interface BlocksVerdict {
  /** null when Slack would accept the blocks. */
  error: BlocksError | null;
  /** Slack's `response_metadata.messages` lines, each starting with "[ERROR] ". */
  messages: string[];
}

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Slack names the offending value in messages like "unsupported type: sections". */
function show(v: unknown): string {
  return typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined');
}

function chars(s: string): number {
  return Array.from(s).length;
}

class Report {
  readonly messages: string[] = [];
  error(message: string, pointer: string): void {
    this.messages.push(`[ERROR] ${message} [json-pointer:${pointer}]`);
  }
}

interface StringRule {
  required?: boolean;
  min?: number;
  max?: number;
}

/** Shared context for one message or view: block ids must be unique across all of it. */
interface Scope {
  report: Report;
  blockIds: Set<string>;
}

function checkAllowed(r: Report, obj: Obj, allowed: readonly string[], ptr: string): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) r.error(`invalid additional property: ${key}`, ptr);
  }
}

function checkString(r: Report, obj: Obj, key: string, ptr: string, rule: StringRule): string | undefined {
  const v = obj[key];
  const at = `${ptr}/${key}`;
  if (v === undefined || v === null) {
    if (rule.required) r.error(`missing required field: ${key}`, ptr);
    return undefined;
  }
  if (typeof v !== 'string') {
    r.error('must provide a string', at);
    return undefined;
  }
  const n = chars(v);
  const min = rule.min ?? 0;
  if (n < min) r.error(`must be more than ${min - 1} characters`, at);
  if (rule.max !== undefined && n > rule.max) r.error(`must be less than ${rule.max + 1} characters`, at);
  return v;
}

function checkBoolean(r: Report, obj: Obj, key: string, ptr: string): void {
  const v = obj[key];
  if (v !== undefined && typeof v !== 'boolean') r.error('must provide a boolean', `${ptr}/${key}`);
}

function checkEnum(r: Report, obj: Obj, key: string, ptr: string, values: readonly string[], required = false): void {
  const v = obj[key];
  if (v === undefined) {
    if (required) r.error(`missing required field: ${key}`, ptr);
    return;
  }
  if (typeof v !== 'string' || !values.includes(v)) r.error('must be a valid enum value', `${ptr}/${key}`);
}

function checkArray(r: Report, obj: Obj, key: string, ptr: string, rule: { required?: boolean; min?: number; max?: number }): unknown[] | undefined {
  const v = obj[key];
  const at = `${ptr}/${key}`;
  if (v === undefined) {
    if (rule.required) r.error(`missing required field: ${key}`, ptr);
    return undefined;
  }
  if (!Array.isArray(v)) {
    r.error('must provide an array', at);
    return undefined;
  }
  if (rule.min !== undefined && v.length < rule.min) r.error(`must provide at least ${rule.min} items`, at);
  if (rule.max !== undefined && v.length > rule.max) r.error(`no more than ${rule.max} items allowed`, at);
  return v as unknown[];
}

type TextKind = 'plain_text' | 'mrkdwn' | 'any';

/** A composition text object `{type, text}`; `kind` restricts the type where Slack does. */
function checkText(r: Report, parent: Obj, key: string, ptr: string, kind: TextKind, max: number, required: boolean): void {
  const v = parent[key];
  const at = `${ptr}/${key}`;
  if (v === undefined) {
    if (required) r.error(`missing required field: ${key}`, ptr);
    return;
  }
  checkTextObject(r, v, at, kind, max);
}

function checkTextObject(r: Report, v: unknown, at: string, kind: TextKind, max: number): void {
  if (!isObj(v)) {
    r.error('must provide an object', at);
    return;
  }
  const type = v.type;
  if (type === undefined) {
    r.error('missing required field: type', at);
    return;
  }
  const allowedTypes = kind === 'any' ? ['plain_text', 'mrkdwn'] : [kind];
  if (typeof type !== 'string' || !allowedTypes.includes(type)) {
    r.error('must be a valid enum value', `${at}/type`);
    return;
  }
  checkAllowed(r, v, type === 'plain_text' ? ['type', 'text', 'emoji'] : ['type', 'text', 'verbatim'], at);
  checkString(r, v, 'text', at, { required: true, min: 1, max });
  checkBoolean(r, v, type === 'plain_text' ? 'emoji' : 'verbatim', at);
}

function checkConfirm(r: Report, parent: Obj, ptr: string): void {
  const v = parent.confirm;
  if (v === undefined) return;
  const at = `${ptr}/confirm`;
  if (!isObj(v)) {
    r.error('must provide an object', at);
    return;
  }
  checkAllowed(r, v, ['title', 'text', 'confirm', 'deny', 'style'], at);
  // Slack's docs list every field as required; @slack/types marks title optional, Slack does not.
  checkText(r, v, 'title', at, 'plain_text', 100, true);
  checkText(r, v, 'text', at, 'any', 300, true);
  checkText(r, v, 'confirm', at, 'plain_text', 30, true);
  checkText(r, v, 'deny', at, 'plain_text', 30, true);
  checkEnum(r, v, 'style', at, ['primary', 'danger']);
}

/** `action_id` is optional on most elements (Slack generates one), but ≤255 and unique per block. */
function checkActionId(r: Report, el: Obj, ptr: string, seen: Set<string>, required: boolean): void {
  const id = checkString(r, el, 'action_id', ptr, { required, min: 1, max: 255 });
  if (id === undefined) return;
  if (seen.has(id)) r.error(`duplicate action_id: ${id}`, `${ptr}/action_id`);
  seen.add(id);
}

interface OptionRule {
  textKind: TextKind;
}

function checkOption(r: Report, v: unknown, at: string, rule: OptionRule): void {
  if (!isObj(v)) {
    r.error('must provide an object', at);
    return;
  }
  checkAllowed(r, v, ['text', 'value', 'description', 'url'], at);
  checkText(r, v, 'text', at, rule.textKind, 75, true);
  checkString(r, v, 'value', at, { required: true, min: 1, max: 150 });
  checkText(r, v, 'description', at, rule.textKind, 75, false);
  checkString(r, v, 'url', at, { min: 1, max: 3000 });
}

function checkOptions(r: Report, el: Obj, ptr: string, max: number, rule: OptionRule, required: boolean): void {
  const options = checkArray(r, el, 'options', ptr, { required, min: 1, max });
  options?.forEach((o, i) => checkOption(r, o, `${ptr}/options/${i}`, rule));
}

function checkInitialOption(r: Report, el: Obj, ptr: string, rule: OptionRule): void {
  if (el.initial_option !== undefined) checkOption(r, el.initial_option, `${ptr}/initial_option`, rule);
}

function checkInitialOptions(r: Report, el: Obj, ptr: string, rule: OptionRule): void {
  const list = checkArray(r, el, 'initial_options', ptr, {});
  list?.forEach((o, i) => checkOption(r, o, `${ptr}/initial_options/${i}`, rule));
}

const PLAIN: OptionRule = { textKind: 'plain_text' };
const ANY: OptionRule = { textKind: 'any' };

type ElementPlace = 'actions' | 'accessory' | 'input' | 'context';

const ELEMENT_PLACES: Record<string, readonly ElementPlace[]> = {
  button: ['actions', 'accessory'],
  image: ['accessory', 'context'],
  overflow: ['actions', 'accessory'],
  static_select: ['actions', 'accessory', 'input'],
  multi_static_select: ['actions', 'accessory', 'input'],
  users_select: ['actions', 'accessory', 'input'],
  conversations_select: ['actions', 'accessory', 'input'],
  checkboxes: ['actions', 'accessory', 'input'],
  radio_buttons: ['actions', 'accessory', 'input'],
  datepicker: ['actions', 'accessory', 'input'],
  timepicker: ['actions', 'accessory', 'input'],
  plain_text_input: ['actions', 'input'],
  email_text_input: ['actions', 'input'],
  number_input: ['actions', 'input'],
};

/** An interactive (or image) element; `seen` holds action_ids already used in the same block. */
function checkElement(r: Report, v: unknown, at: string, place: ElementPlace, seen: Set<string>): void {
  if (!isObj(v)) {
    r.error('must provide an object', at);
    return;
  }
  const type = v.type;
  if (type === undefined) {
    r.error('missing required field: type', at);
    return;
  }
  if (typeof type !== 'string' || !(ELEMENT_PLACES[type] ?? []).includes(place)) {
    r.error(`unsupported type: ${show(type)}`, `${at}/type`);
    return;
  }
  switch (type) {
    case 'button':
      checkAllowed(r, v, ['type', 'text', 'action_id', 'url', 'value', 'style', 'confirm', 'accessibility_label'], at);
      checkText(r, v, 'text', at, 'plain_text', 75, true);
      checkActionId(r, v, at, seen, false);
      checkString(r, v, 'url', at, { min: 1, max: 3000 });
      checkString(r, v, 'value', at, { min: 1, max: 2000 });
      checkEnum(r, v, 'style', at, ['primary', 'danger']);
      checkConfirm(r, v, at);
      checkString(r, v, 'accessibility_label', at, { min: 1, max: 75 });
      return;
    case 'image':
      checkImageSource(r, v, at, ['type', 'image_url', 'slack_file', 'alt_text']);
      return;
    case 'overflow':
      checkAllowed(r, v, ['type', 'action_id', 'options', 'confirm'], at);
      checkActionId(r, v, at, seen, false);
      checkOptions(r, v, at, 5, PLAIN, true);
      checkConfirm(r, v, at);
      return;
    case 'static_select':
    case 'multi_static_select': {
      const multi = type === 'multi_static_select';
      const common = ['type', 'action_id', 'placeholder', 'options', 'option_groups', 'confirm', 'focus_on_load'];
      checkAllowed(r, v, multi ? [...common, 'initial_options', 'max_selected_items'] : [...common, 'initial_option'], at);
      checkActionId(r, v, at, seen, false);
      checkText(r, v, 'placeholder', at, 'plain_text', 150, false);
      if (v.options === undefined && v.option_groups === undefined) {
        r.error('must define either `options` or `option_groups`', at);
      }
      if (v.options !== undefined && v.option_groups !== undefined) {
        r.error('must define either `options` or `option_groups`, not both', at);
      }
      checkOptions(r, v, at, 100, PLAIN, false);
      const groups = checkArray(r, v, 'option_groups', at, { min: 1, max: 100 });
      groups?.forEach((g, i) => {
        const gp = `${at}/option_groups/${i}`;
        if (!isObj(g)) {
          r.error('must provide an object', gp);
          return;
        }
        checkAllowed(r, g, ['label', 'options'], gp);
        checkText(r, g, 'label', gp, 'plain_text', 75, true);
        checkOptions(r, g, gp, 100, PLAIN, true);
      });
      if (multi) checkInitialOptions(r, v, at, PLAIN);
      else checkInitialOption(r, v, at, PLAIN);
      checkConfirm(r, v, at);
      checkBoolean(r, v, 'focus_on_load', at);
      return;
    }
    case 'users_select':
    case 'conversations_select':
      checkAllowed(
        r,
        v,
        [
          'type',
          'action_id',
          'placeholder',
          'confirm',
          'focus_on_load',
          type === 'users_select' ? 'initial_user' : 'initial_conversation',
          ...(type === 'conversations_select' ? ['default_to_current_conversation', 'filter', 'response_url_enabled'] : []),
        ],
        at,
      );
      checkActionId(r, v, at, seen, false);
      checkText(r, v, 'placeholder', at, 'plain_text', 150, false);
      checkConfirm(r, v, at);
      return;
    case 'checkboxes':
    case 'radio_buttons':
      checkAllowed(r, v, ['type', 'action_id', 'options', 'confirm', 'focus_on_load', type === 'checkboxes' ? 'initial_options' : 'initial_option'], at);
      checkActionId(r, v, at, seen, false);
      // Slack caps checkbox and radio groups at 10 options (recorded: "no more than 10 items
      // allowed [json-pointer:/view/blocks/7/elements/0/options]"), unlike selects (100).
      checkOptions(r, v, at, 10, ANY, true);
      if (type === 'checkboxes') checkInitialOptions(r, v, at, ANY);
      else checkInitialOption(r, v, at, ANY);
      checkConfirm(r, v, at);
      return;
    case 'datepicker':
    case 'timepicker': {
      const initial = type === 'datepicker' ? 'initial_date' : 'initial_time';
      checkAllowed(r, v, ['type', 'action_id', initial, 'placeholder', 'confirm', 'focus_on_load', 'timezone'], at);
      checkActionId(r, v, at, seen, false);
      checkText(r, v, 'placeholder', at, 'plain_text', 150, false);
      const pattern = type === 'datepicker' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{2}:\d{2}$/;
      const value = checkString(r, v, initial, at, {});
      if (value !== undefined && !pattern.test(value)) r.error('failed to match schema', `${at}/${initial}`);
      checkConfirm(r, v, at);
      return;
    }
    case 'plain_text_input':
      checkAllowed(
        r,
        v,
        ['type', 'action_id', 'initial_value', 'multiline', 'min_length', 'max_length', 'placeholder', 'dispatch_action_config', 'focus_on_load'],
        at,
      );
      // Slack would generate an action_id, but the bot reads input values by action_id, so a
      // missing one is always a bot bug: required here on purpose.
      checkActionId(r, v, at, seen, true);
      checkText(r, v, 'placeholder', at, 'plain_text', 150, false);
      checkString(r, v, 'initial_value', at, {});
      checkBoolean(r, v, 'multiline', at);
      checkLengthBound(r, v, 'min_length', at);
      checkLengthBound(r, v, 'max_length', at);
      return;
    default:
      checkAllowed(
        r,
        v,
        ['type', 'action_id', 'initial_value', 'placeholder', 'dispatch_action_config', 'focus_on_load', 'is_decimal_allowed', 'min_value', 'max_value'],
        at,
      );
      checkActionId(r, v, at, seen, false);
      checkText(r, v, 'placeholder', at, 'plain_text', 150, false);
  }
}

function checkLengthBound(r: Report, el: Obj, key: string, ptr: string): void {
  const v = el[key];
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isInteger(v)) r.error('must provide an integer', `${ptr}/${key}`);
  else if (v > 3000) r.error('must be less than or equal to 3000', `${ptr}/${key}`);
  else if (v < (key === 'max_length' ? 1 : 0)) r.error(`must be greater than or equal to ${key === 'max_length' ? 1 : 0}`, `${ptr}/${key}`);
}

function checkImageSource(r: Report, v: Obj, at: string, allowed: readonly string[]): void {
  checkAllowed(r, v, allowed, at);
  if (v.image_url === undefined && v.slack_file === undefined) r.error('must define either `image_url` or `slack_file`', at);
  checkString(r, v, 'image_url', at, { min: 1, max: 3000 });
  if (v.slack_file !== undefined && !isObj(v.slack_file)) r.error('must provide an object', `${at}/slack_file`);
  checkString(r, v, 'alt_text', at, { required: true, min: 1, max: 2000 });
}

const RICH_CONTAINERS = ['rich_text_section', 'rich_text_list', 'rich_text_preformatted', 'rich_text_quote'];
const RICH_LEAVES = ['text', 'link', 'user', 'channel', 'usergroup', 'emoji', 'date', 'broadcast', 'color'];

function checkRichElements(r: Report, container: Obj, at: string, depth: number): void {
  const elements = checkArray(r, container, 'elements', at, { required: true });
  elements?.forEach((el, i) => {
    const ep = `${at}/elements/${i}`;
    if (!isObj(el)) {
      r.error('must provide an object', ep);
      return;
    }
    const type = el.type;
    if (typeof type !== 'string') {
      r.error('missing required field: type', ep);
      return;
    }
    if (depth === 0) {
      if (!RICH_CONTAINERS.includes(type)) r.error(`unsupported type: ${type}`, `${ep}/type`);
      else if (type === 'rich_text_list') {
        checkEnum(r, el, 'style', ep, ['bullet', 'ordered'], true);
        // A list holds sections only.
        const items = checkArray(r, el, 'elements', ep, { required: true });
        items?.forEach((item, j) => {
          const ip = `${ep}/elements/${j}`;
          if (!isObj(item) || item.type !== 'rich_text_section') r.error(`unsupported type: ${show(isObj(item) ? item.type : item)}`, `${ip}/type`);
          else checkRichElements(r, item, ip, 1);
        });
      } else checkRichElements(r, el, ep, 1);
      return;
    }
    if (!RICH_LEAVES.includes(type)) {
      r.error(`unsupported type: ${type}`, `${ep}/type`);
      return;
    }
    if (type === 'text') checkString(r, el, 'text', ep, { required: true, min: 1 });
    if (type === 'link') checkString(r, el, 'url', ep, { required: true, min: 1, max: 3000 });
    if (type === 'user') checkString(r, el, 'user_id', ep, { required: true, min: 1 });
    if (type === 'channel') checkString(r, el, 'channel_id', ep, { required: true, min: 1 });
    if (type === 'usergroup') checkString(r, el, 'usergroup_id', ep, { required: true, min: 1 });
    if (type === 'emoji') checkString(r, el, 'name', ep, { required: true, min: 1 });
  });
}

type Surface = 'message' | 'modal' | 'home';

function checkBlock(scope: Scope, v: unknown, at: string, surface: Surface): void {
  const r = scope.report;
  if (!isObj(v)) {
    r.error('must provide an object', at);
    return;
  }
  const type = v.type;
  if (type === undefined) {
    r.error('missing required field: type', at);
    return;
  }
  const blockId = checkString(r, v, 'block_id', at, { min: 1, max: 255 });
  if (blockId !== undefined) {
    if (scope.blockIds.has(blockId)) r.error(`duplicate block_id: ${blockId}`, `${at}/block_id`);
    scope.blockIds.add(blockId);
  }
  const actionIds = new Set<string>();
  switch (type) {
    case 'section': {
      checkAllowed(r, v, ['type', 'block_id', 'text', 'fields', 'accessory', 'expand'], at);
      if (v.text === undefined && v.fields === undefined) r.error('must define either `text` or `fields`', `${at}/type`);
      checkText(r, v, 'text', at, 'any', 3000, false);
      const fields = checkArray(r, v, 'fields', at, { min: 1, max: 10 });
      fields?.forEach((f, i) => checkTextObject(r, f, `${at}/fields/${i}`, 'any', 2000));
      if (v.accessory !== undefined) checkElement(r, v.accessory, `${at}/accessory`, 'accessory', actionIds);
      checkBoolean(r, v, 'expand', at);
      return;
    }
    case 'header':
      checkAllowed(r, v, ['type', 'block_id', 'text'], at);
      checkText(r, v, 'text', at, 'plain_text', 150, true);
      return;
    case 'divider':
      checkAllowed(r, v, ['type', 'block_id'], at);
      return;
    case 'context': {
      checkAllowed(r, v, ['type', 'block_id', 'elements'], at);
      const elements = checkArray(r, v, 'elements', at, { required: true, min: 1, max: 10 });
      elements?.forEach((el, i) => {
        const ep = `${at}/elements/${i}`;
        if (isObj(el) && el.type === 'image') checkElement(r, el, ep, 'context', actionIds);
        else if (isObj(el) && (el.type === 'plain_text' || el.type === 'mrkdwn')) checkTextObject(r, el, ep, 'any', 3000);
        else if (isObj(el) && el.type !== undefined) r.error(`unsupported type: ${show(el.type)}`, `${ep}/type`);
        else checkTextObject(r, el, ep, 'any', 3000);
      });
      return;
    }
    case 'actions': {
      checkAllowed(r, v, ['type', 'block_id', 'elements'], at);
      const elements = checkArray(r, v, 'elements', at, { required: true, min: 1, max: 25 });
      elements?.forEach((el, i) => checkElement(r, el, `${at}/elements/${i}`, 'actions', actionIds));
      return;
    }
    case 'rich_text':
      checkAllowed(r, v, ['type', 'block_id', 'elements'], at);
      checkRichElements(r, v, at, 0);
      return;
    case 'image':
      checkImageSource(r, v, at, ['type', 'block_id', 'image_url', 'slack_file', 'alt_text', 'title']);
      checkText(r, v, 'title', at, 'plain_text', 2000, false);
      return;
    case 'input':
      checkAllowed(r, v, ['type', 'block_id', 'label', 'element', 'dispatch_action', 'hint', 'optional'], at);
      checkText(r, v, 'label', at, 'plain_text', 2000, true);
      if (v.element === undefined) r.error('missing required field: element', at);
      else checkElement(r, v.element, `${at}/element`, 'input', actionIds);
      checkText(r, v, 'hint', at, 'plain_text', 2000, false);
      checkBoolean(r, v, 'optional', at);
      checkBoolean(r, v, 'dispatch_action', at);
      return;
    case 'markdown':
      // Slack only renders markdown blocks in messages.
      if (surface !== 'message') {
        r.error('unsupported type: markdown', `${at}/type`);
        return;
      }
      checkAllowed(r, v, ['type', 'block_id', 'text'], at);
      checkString(r, v, 'text', at, { required: true, min: 1, max: 12_000 });
      return;
    default:
      r.error(`unsupported type: ${show(type)}`, `${at}/type`);
  }
}

function checkBlockList(scope: Scope, blocks: unknown[], ptr: string, max: number, surface: Surface): void {
  if (blocks.length > max) scope.report.error(`no more than ${max} items allowed`, ptr);
  blocks.forEach((b, i) => checkBlock(scope, b, `${ptr}/${i}`, surface));
}

/** Slack's `response_metadata.messages` for a message's `blocks`; empty when valid. */
export function checkMessageBlocks(blocks: unknown): string[] {
  const scope: Scope = { report: new Report(), blockIds: new Set() };
  if (!Array.isArray(blocks)) {
    scope.report.error('must provide an array', '/blocks');
    return scope.report.messages;
  }
  checkBlockList(scope, blocks, '/blocks', MAX_MESSAGE_BLOCKS, 'message');
  // What this checker accepts must also satisfy Slack's own types (block-kit-schema.ts).
  if (scope.report.messages.length === 0) return schemaErrors('message', blocks, '/blocks');
  return scope.report.messages;
}

/**
 * Characters of visible text across blocks: every string under a `text` key (text objects,
 * rich_text leaves, markdown blocks), at any depth. Ids, values, urls and alt text are not
 * rendered as message text, so they do not count.
 */
export function totalBlockText(blocks: unknown): number {
  let total = 0;
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (isObj(v)) {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'text' && typeof child === 'string') total += chars(child);
        else walk(child);
      }
    }
  };
  walk(blocks);
  return total;
}

/**
 * What chat.postMessage / chat.update / response_url would answer for these blocks.
 * `blocks` must already be decoded from its form field; pass a string to model a field that
 * was not valid JSON.
 */
export function judgeMessageBlocks(blocks: unknown): BlocksVerdict {
  if (!Array.isArray(blocks)) {
    return { error: 'invalid_blocks_format', messages: checkMessageBlocks(blocks) };
  }
  const messages = checkMessageBlocks(blocks);
  if (messages.length > 0) return { error: 'invalid_blocks', messages };
  if (totalBlockText(blocks) > MAX_TOTAL_BLOCK_TEXT) return { error: 'msg_blocks_too_long', messages: [] };
  return { error: null, messages: [] };
}

/** Slack's `response_metadata.messages` for a modal or Home tab `view`; empty when valid. */
export function checkViewPayload(view: unknown): string[] {
  const scope: Scope = { report: new Report(), blockIds: new Set() };
  const r = scope.report;
  const at = '/view';
  if (!isObj(view)) {
    r.error('must provide an object', at);
    return r.messages;
  }
  const type = view.type;
  if (type !== 'modal' && type !== 'home') {
    if (type === undefined) r.error('missing required field: type', at);
    else r.error('must be a valid enum value', `${at}/type`);
    return r.messages;
  }
  const common = ['type', 'blocks', 'private_metadata', 'callback_id', 'external_id'];
  if (type === 'modal') {
    checkAllowed(r, view, [...common, 'title', 'submit', 'close', 'clear_on_close', 'notify_on_close', 'submit_disabled'], at);
    checkText(r, view, 'title', at, 'plain_text', 24, true);
    checkText(r, view, 'submit', at, 'plain_text', 24, false);
    checkText(r, view, 'close', at, 'plain_text', 24, false);
    checkBoolean(r, view, 'clear_on_close', at);
    checkBoolean(r, view, 'notify_on_close', at);
    checkBoolean(r, view, 'submit_disabled', at);
  } else {
    checkAllowed(r, view, common, at);
  }
  checkString(r, view, 'callback_id', at, { max: 255 });
  checkString(r, view, 'private_metadata', at, { max: 3000 });
  checkString(r, view, 'external_id', at, { min: 1, max: 255 });
  const blocks = checkArray(r, view, 'blocks', at, { required: true });
  if (blocks === undefined) return r.messages;
  checkBlockList(scope, blocks, `${at}/blocks`, MAX_VIEW_BLOCKS, type);
  if (type === 'modal' && view.submit === undefined) {
    blocks.forEach((b, i) => {
      if (isObj(b) && b.type === 'input') r.error('must define `submit` to use an `input` block in modals', `${at}/blocks/${i}/input`);
    });
  }
  if (r.messages.length === 0) return schemaErrors(type, view, at);
  return r.messages;
}

/** Strips the "[ERROR] " prefix: Slack's top-level `errors` array carries the bare text. */
export function bareErrors(messages: readonly string[]): string[] {
  return messages.map((m) => m.replace(/^\[ERROR\] /, ''));
}
