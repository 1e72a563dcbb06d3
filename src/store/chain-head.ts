import type { ChainHead } from './audit-store';

/**
 * The one text form of a chain head, `<seq>:<hash>`, shared by what a request's final Slack
 * message states and what `npm run audit:verify -- --expect-head` reads back.
 */
export function formatChainHead(head: ChainHead): string {
  return `${head.seq}:${head.hash}`;
}

const CHAIN_HEAD = /^(0|[1-9]\d{0,14}):([0-9a-f]{64})$/;

/** Null unless `text` is exactly `<seq>:<64 lowercase hex digits>`. */
export function parseChainHead(text: string): ChainHead | null {
  const m = CHAIN_HEAD.exec(text.trim().toLowerCase());
  if (!m?.[1] || !m[2]) return null;
  return { seq: Number(m[1]), hash: m[2] };
}
