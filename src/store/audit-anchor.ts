import { createHmac, timingSafeEqual } from 'node:crypto';

/** Shorter keys are guessable offline from the stored MACs. */
export const AUDIT_HMAC_KEY_MIN_LENGTH = 32;

/** Null when the key is usable; otherwise the sentence an operator needs (never the key itself). */
export function auditKeyProblem(key: string): string | null {
  return key.length < AUDIT_HMAC_KEY_MIN_LENGTH
    ? `AUDIT_HMAC_KEY must be at least ${AUDIT_HMAC_KEY_MIN_LENGTH} characters (a random secret, e.g. \`openssl rand -hex 32\`)`
    : null;
}

/**
 * HMAC-SHA256 under AUDIT_HMAC_KEY. The SHA-256 chain stays as it is (anyone can recompute it
 * from an evidence pack); the MACs prove that the key holder, i.e. the bot, wrote it. Entry and
 * head MACs cover differently prefixed text, so an entry's MAC can never be replayed as the MAC
 * of a head rewound to that entry (which would hide deleted newest entries).
 */
export class AuditAnchor {
  private readonly key: Buffer;

  constructor(key: string) {
    const problem = auditKeyProblem(key);
    if (problem) throw new Error(problem);
    this.key = Buffer.from(key, 'utf8');
  }

  entryMac(hash: string): string {
    return this.mac(`audit-entry\n${hash}`);
  }

  headMac(seq: number, hash: string): string {
    return this.mac(`audit-head\n${seq}\n${hash}`);
  }

  entryMacMatches(hash: string, mac: string): boolean {
    return sameHex(this.entryMac(hash), mac);
  }

  headMacMatches(seq: number, hash: string, mac: string): boolean {
    return sameHex(this.headMac(seq, hash), mac);
  }

  private mac(text: string): string {
    return createHmac('sha256', this.key).update(text).digest('hex');
  }
}

/** Constant-time, so timing does not leak how much of a forged MAC was right. */
function sameHex(expected: string, actual: string): boolean {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(actual, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}
