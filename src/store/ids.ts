import { randomBytes } from 'node:crypto';

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * 'R' + 10 base32 chars (50 bits from the CSPRNG). Ids appear in Slack button values, so they
 * must not be guessable or sequential: knowing one must not let anyone name another.
 */
export function newRequestId(): string {
  const bytes = randomBytes(7); // 56 bits; the top 50 are used
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = 'R';
  for (let i = 0; i < 10; i++) {
    const shift = BigInt(56 - 5 * (i + 1));
    out += BASE32[Number((bits >> shift) & 31n)];
  }
  return out;
}
