import type { ModalView } from '@slack/types';
import { section } from './blocks';
import { safe, truncate } from './text';

/** Slack caps a modal title at 24 characters. */
const TITLE_MAX = 24;

/**
 * Replaces a modal that was waiting on something (a Salesforce read) when that failed or found
 * nothing to act on: every waiting surface ends in an answer, never an endless "Reading…".
 */
export function modalNotice(title: string, sentence: string, reference?: string): ModalView {
  const ref = reference ? `\nReference: ${safe(reference, 100)}` : '';
  return {
    type: 'modal',
    title: { type: 'plain_text', text: truncate(title, TITLE_MAX) },
    close: { type: 'plain_text', text: 'Close' },
    blocks: [section(`:warning: ${safe(sentence, 1_500)}${ref}`, 'notice')],
  };
}
