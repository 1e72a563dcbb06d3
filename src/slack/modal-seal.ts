import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * A modal's private_metadata comes back in the view_submission, and whoever submits can set it
 * (Slack signs the request, not what the bot once put in the view). The bot seals what it puts
 * there — who the modal was opened for, when, and the content — with an HMAC under a key derived
 * from a Slack secret only the bot holds, so a submission names only what the bot offered that
 * person. A modal open longer than MAX_AGE_MS is out of date.
 */
export const MODAL_MAX_AGE_MS = 24 * 3_600_000;

export type Unsealed = { text: string } | { problem: 'not_ours' | 'other_user' | 'expired' };

interface Envelope {
  /** The content, as the text that was sealed. */
  p: string;
  /** The Slack user the modal was opened for. */
  o: string;
  /** When it was opened (ms since epoch). */
  t: number;
  m: string;
}

export class ModalSeal {
  private readonly key: Buffer;

  /** `secret`: the Slack signing secret (or, in Socket Mode without one, the bot token); only a derived key is kept. */
  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('session-warden modal private_metadata v1').digest();
  }

  seal(content: string, openedFor: string, now: number): string {
    const envelope: Envelope = { p: content, o: openedFor, t: now, m: this.mac(content, openedFor, now) };
    return JSON.stringify(envelope);
  }

  /** The sealed content when `text` is a seal of ours for `submitter`, still fresh; else why not. */
  open(text: string, submitter: string, now: number): Unsealed {
    let e: Partial<Envelope>;
    try {
      e = JSON.parse(text) as Partial<Envelope>;
    } catch {
      return { problem: 'not_ours' };
    }
    if (typeof e.p !== 'string' || typeof e.o !== 'string' || typeof e.t !== 'number' || typeof e.m !== 'string') return { problem: 'not_ours' };
    const expected = Buffer.from(this.mac(e.p, e.o, e.t), 'utf8');
    const given = Buffer.from(e.m, 'utf8');
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { problem: 'not_ours' };
    if (e.o !== submitter) return { problem: 'other_user' };
    if (now - e.t > MODAL_MAX_AGE_MS || e.t - now > 60_000) return { problem: 'expired' };
    return { text: e.p };
  }

  private mac(content: string, openedFor: string, at: number): string {
    return createHmac('sha256', this.key).update(`${openedFor}\n${at}\n${content}`).digest('hex');
  }
}
