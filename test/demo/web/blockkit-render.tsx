/** Shared by the Block Kit renderer tests: a recording context and string rendering. Not a test file. */
import { renderToString } from 'preact-render-to-string';
import type { InputValue, StateValues } from '../../../demo/console/protocol';
import { Blocks } from '../../../demo/console/web/blockkit';
import type { BlockAction } from '../../../demo/console/web/blockkit/context';
import type { BlockKitContext } from '../../../demo/console/web/blockkit/render-options';

export const FIXED_NOW = new Date('2026-11-26T12:00:00Z');

const USERS: Record<string, string> = { U0ADA: 'ada', UAPPROVER1: 'grace' };
const CHANNELS: Record<string, string> = { C0SEC: 'security' };

export interface Recorder {
  ctx: BlockKitContext;
  actions: BlockAction[];
  changes: { blockId: string; actionId: string; value: InputValue }[];
}

export function recorder(inputs?: { values?: StateValues; errors?: Record<string, string> }): Recorder {
  const actions: BlockAction[] = [];
  const changes: Recorder['changes'] = [];
  const ctx: BlockKitContext = {
    timeZone: 'Europe/London',
    now: () => FIXED_NOW,
    userName: (id) => USERS[id],
    channelName: (id) => CHANNELS[id],
    onAction: (action) => actions.push(action),
    ...(inputs
      ? {
          inputs: {
            values: inputs.values ?? {},
            errors: inputs.errors ?? {},
            onChange: (blockId, actionId, value) => changes.push({ blockId, actionId, value }),
          },
        }
      : {}),
  };
  return { ctx, actions, changes };
}

export function renderBlocks(blocks: unknown, ctx: BlockKitContext = recorder().ctx): string {
  return renderToString(<Blocks blocks={blocks} ctx={ctx} />);
}

/** What a reader sees: tags dropped, entities decoded, whitespace collapsed. */
export function visibleText(html: string): string {
  return html
    .replace(/<br\s*\/?>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}
