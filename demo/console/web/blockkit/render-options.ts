/**
 * What the renderer accepts beyond the agreed `RenderContext` (context.ts is the shared contract, so
 * additions live here and are all optional: a plain RenderContext still fits).
 */
import type { RenderContext } from './context';

export interface RenderExtras {
  /** The clock for Today/Yesterday and {ago}; defaults to the real one. Tests pin it. */
  now?(): Date;
}

export type BlockKitContext = RenderContext & RenderExtras;

/** What text rendering needs: names for mentions, the viewer's zone and the clock. */
export type TextContext = Pick<RenderContext, 'timeZone' | 'userName' | 'channelName'> & RenderExtras;

export function currentTime(ctx: RenderExtras): Date {
  return ctx.now ? ctx.now() : new Date();
}
