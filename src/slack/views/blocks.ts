/**
 * Small constructors for the Block Kit pieces the builders use. They enforce the per-element
 * limits (header 150, section 3000, button text 75) at the point of creation so no builder
 * can forget one.
 */
import type { ActionsBlock, Button, ContextBlock, DividerBlock, HeaderBlock, MrkdwnElement, SectionBlock } from '@slack/types';
import { encodeValue, type ActionId, type ButtonValue } from './action-ids';
import { truncate } from './text';

export const LIMITS = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  buttonText: 75,
  accessibilityLabel: 75,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  contextElements: 10,
  actionsElements: 25,
  /** Slack rejects ~12,000+ characters of block text; the builders aim below this. */
  messageBlockText: 11_000,
} as const;

export function header(text: string): HeaderBlock {
  // plain_text is shown literally, so it is truncated but not mrkdwn-escaped.
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, LIMITS.headerText), emoji: true } };
}

export function mrkdwn(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text };
}

export function section(text: string, blockId?: string, accessory?: Button): SectionBlock {
  const block: SectionBlock = { type: 'section', text: mrkdwn(truncate(text, LIMITS.sectionText)) };
  if (blockId !== undefined) block.block_id = blockId;
  if (accessory !== undefined) block.accessory = accessory;
  return block;
}

export function context(texts: readonly string[], blockId?: string): ContextBlock {
  const elements = texts.slice(0, LIMITS.contextElements).map((t) => mrkdwn(truncate(t, LIMITS.sectionText)));
  const block: ContextBlock = { type: 'context', elements };
  if (blockId !== undefined) block.block_id = blockId;
  return block;
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function actions(elements: readonly Button[], blockId: string): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements: elements.slice(0, LIMITS.actionsElements) };
}

export interface ConfirmSpec {
  title: string;
  text: string;
  confirm: string;
  /** Defaults to danger: most confirmations guard something destructive. */
  style?: 'primary' | 'danger';
}

export interface ButtonSpec {
  text: string;
  actionId: ActionId;
  /** A structured value (encoded as small JSON), or an opaque id sent as it is (request ids). */
  value: ButtonValue | string;
  style?: 'primary' | 'danger';
  accessibilityLabel?: string;
  /** A "are you sure?" dialog; used on every button that starts something destructive. */
  confirm?: ConfirmSpec;
}

export function button(spec: ButtonSpec): Button {
  const b: Button = {
    type: 'button',
    action_id: spec.actionId,
    text: { type: 'plain_text', text: truncate(spec.text, LIMITS.buttonText), emoji: true },
    value: typeof spec.value === 'string' ? spec.value : encodeValue(spec.value),
  };
  if (spec.style !== undefined) b.style = spec.style;
  if (spec.accessibilityLabel !== undefined) {
    b.accessibility_label = truncate(spec.accessibilityLabel, LIMITS.accessibilityLabel);
  }
  if (spec.confirm !== undefined) {
    b.confirm = {
      title: { type: 'plain_text', text: truncate(spec.confirm.title, LIMITS.confirmTitle) },
      text: { type: 'mrkdwn', text: truncate(spec.confirm.text, LIMITS.confirmText) },
      confirm: { type: 'plain_text', text: truncate(spec.confirm.confirm, LIMITS.confirmButton) },
      deny: { type: 'plain_text', text: 'Cancel' },
      style: spec.confirm.style ?? 'danger',
    };
  }
  return b;
}
