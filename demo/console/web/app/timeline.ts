/**
 * Slack shows the viewer's ephemeral answers among the channel's messages, at the moment they
 * arrived. Messages carry Slack timestamps ("seconds.micros" strings), ephemerals carry epoch
 * milliseconds, so both are brought to milliseconds before merging.
 */
import type { Ephemeral, Message } from '../../protocol';

export type TimelineItem =
  { kind: 'message'; key: string; at: number; message: Message } | { kind: 'ephemeral'; key: string; at: number; ephemeral: Ephemeral };

/** Milliseconds since the epoch of a Slack ts; NaN for a malformed ts, so callers can tell. */
export function slackTsToMillis(ts: string): number {
  if (!/^\d+(\.\d+)?$/.test(ts)) return Number.NaN;
  return Math.round(Number(ts) * 1000);
}

/**
 * Merges messages (already oldest first) with the ephemerals that belong in the same place:
 * `threadTs` undefined means the channel itself, otherwise that thread. On equal times the
 * message comes first, because the bot's ephemeral answer is a reaction to what was posted.
 */
export function mergeTimeline(messages: readonly Message[], ephemerals: readonly Ephemeral[], channel: string, threadTs?: string): TimelineItem[] {
  const messageItems: TimelineItem[] = messages.map((message): TimelineItem => ({
    kind: 'message',
    key: `m:${message.ts}`,
    at: slackTsToMillis(message.ts),
    message,
  }));
  const ephemeralItems: TimelineItem[] = ephemerals
    .filter((ephemeral) => ephemeral.channel === channel && ephemeral.threadTs === threadTs)
    .map((ephemeral): TimelineItem => ({ kind: 'ephemeral', key: `e:${ephemeral.id}`, at: ephemeral.at, ephemeral }))
    .sort((a, b) => a.at - b.at);

  const merged: TimelineItem[] = [];
  let e = 0;
  for (const item of messageItems) {
    while (e < ephemeralItems.length && ephemeralItems[e]!.at < item.at) merged.push(ephemeralItems[e++]!);
    merged.push(item);
  }
  while (e < ephemeralItems.length) merged.push(ephemeralItems[e++]!);
  return merged;
}
