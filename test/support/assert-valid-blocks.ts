/** Every builder test runs its output through the Block Kit checker. */
import type { KnownBlock } from '@slack/types';
import { checkMessageBlocks, judgeMessageBlocks } from '../standins/slack/blockkit';

export function expectValidMessage(message: { text: string; blocks: KnownBlock[] }): void {
  expect(checkMessageBlocks(message.blocks)).toEqual([]);
  expect(judgeMessageBlocks(message.blocks)).toEqual({ error: null, messages: [] });
  expect(message.text.trim().length).toBeGreaterThan(0);
  expect(message.text.length).toBeLessThanOrEqual(4000);
}

/** All mrkdwn/plain text of the blocks joined, for "is it anywhere in the message" checks. */
export function allText(blocks: readonly unknown[]): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k === 'text' && typeof child === 'string') out.push(child);
        else walk(child);
      }
    }
  };
  walk(blocks);
  return out.join('\n');
}
