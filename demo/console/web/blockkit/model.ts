/**
 * Typed, already-validated forms of the Block Kit the renderer understands. The readers
 * (read-blocks.ts, read-elements.ts) turn the bot's `unknown` JSON into these; components render only
 * these, so a missing or odd field is settled once, in pure code, and never reaches JSX as a crash.
 */
import type { OptionObject } from '../../protocol';

export interface TextModel {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  /** plain_text only: turn :shortcodes: into characters (Slack's default). */
  emoji: boolean;
}

export type ButtonStyle = 'primary' | 'danger';

export interface ConfirmModel {
  title: string;
  text: TextModel;
  confirm: string;
  deny: string;
  style: ButtonStyle;
}

export interface OptionGroupModel {
  label: string;
  options: OptionObject[];
}

export interface Unsupported {
  type: 'unsupported';
  name: string;
}

export interface ButtonModel {
  type: 'button';
  actionId: string;
  text: TextModel;
  value?: string;
  url?: string;
  style?: ButtonStyle;
  accessibilityLabel?: string;
  confirm?: ConfirmModel;
}

export interface OverflowModel {
  type: 'overflow';
  actionId: string;
  options: OptionObject[];
  confirm?: ConfirmModel;
}

export interface SelectModel {
  type: 'static_select';
  actionId: string;
  /** Every option, whether listed flat or in groups; `groups` keeps the grouping for display. */
  options: OptionObject[];
  groups: OptionGroupModel[];
  placeholder?: string;
  initialOption?: OptionObject;
  confirm?: ConfirmModel;
}

export interface ImageModel {
  type: 'image';
  /** Absent when the bot sent no usable http(s) URL: the alt text is shown instead. */
  url?: string;
  alt: string;
}

/** What sits in an actions block or a section's accessory. */
export type ElementModel = ButtonModel | OverflowModel | SelectModel | ImageModel | Unsupported;

export interface TextInputModel {
  type: 'plain_text_input';
  actionId: string;
  multiline: boolean;
  placeholder?: string;
  initialValue?: string;
  minLength?: number;
  maxLength?: number;
}

export interface NumberInputModel {
  type: 'number_input';
  actionId: string;
  isDecimalAllowed: boolean;
  placeholder?: string;
  initialValue?: string;
  minValue?: number;
  maxValue?: number;
}

export interface CheckboxesModel {
  type: 'checkboxes';
  actionId: string;
  options: OptionObject[];
  initialOptions: OptionObject[];
}

export interface RadioButtonsModel {
  type: 'radio_buttons';
  actionId: string;
  options: OptionObject[];
  initialOption?: OptionObject;
}

export type InputElementModel = TextInputModel | NumberInputModel | CheckboxesModel | RadioButtonsModel | SelectModel | Unsupported;

export type ContextElementModel = { type: 'text'; text: TextModel } | ImageModel | Unsupported;

interface BlockBase {
  /** The bot's block_id, or a stable stand-in when it sent none (Slack would invent one). */
  blockId: string;
}

export type BlockModel = BlockBase &
  (
    | { type: 'header'; text: TextModel }
    | { type: 'section'; text?: TextModel; fields: TextModel[]; accessory?: ElementModel }
    | { type: 'context'; elements: ContextElementModel[] }
    | { type: 'divider' }
    | { type: 'actions'; elements: ElementModel[] }
    | { type: 'image'; image: ImageModel; title?: TextModel }
    | { type: 'input'; label: TextModel; hint?: TextModel; optional: boolean; element: InputElementModel }
    | Unsupported
  );
