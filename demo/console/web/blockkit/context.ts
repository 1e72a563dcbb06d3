/**
 * What the Block Kit renderer needs from the page around it. The renderer is pure presentation:
 * it never fetches; clicks and input changes go out through these callbacks.
 */
import type { InputValue, StateValues } from '../../protocol';

/** An interactive element the viewer used (after its confirm dialog, if it has one). */
export interface BlockAction {
  actionId: string;
  blockId: string;
  /** 'button', 'overflow', 'static_select', … as in the element's `type`. */
  type: string;
  /** For selects and overflows: the chosen option's value. Buttons carry their own value in the element. */
  selectedValue?: string;
}

export interface RenderContext {
  /** The viewer's IANA time zone, for `<!date^…>` tokens. */
  timeZone: string;
  /** Display name of a Slack user id (`<@U…>` mentions); undefined renders the raw id. */
  userName(id: string): string | undefined;
  /** Name of a channel id (`<#C…>` links); undefined renders the raw id. */
  channelName(id: string): string | undefined;
  onAction(action: BlockAction): void;
  /** Modal inputs only: the current values, their changes and the errors the bot answered. */
  inputs?: {
    values: StateValues;
    onChange(blockId: string, actionId: string, value: InputValue): void;
    errors: Record<string, string>;
  };
}
