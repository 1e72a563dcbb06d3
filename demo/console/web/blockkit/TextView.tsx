/** A Block Kit text object (mrkdwn or plain_text), or an option's text, rendered as Slack shows it. */
import type { OptionObject } from '../../protocol';
import type { TextModel } from './model';
import { Mrkdwn, PlainText } from './MrkdwnView';
import type { TextContext } from './render-options';

export function TextView({ text, ctx }: { text: TextModel; ctx: TextContext }) {
  return text.type === 'mrkdwn' ? <Mrkdwn text={text.text} ctx={ctx} /> : <PlainText text={text.text} emoji={text.emoji} />;
}

export function optionTextModel(text: OptionObject['text']): TextModel {
  return { type: text.type, text: text.text, emoji: text.type === 'plain_text' && text.emoji !== false };
}

/** An option's label and, under it, its description in grey. */
export function OptionLabel({ option, ctx }: { option: OptionObject; ctx: TextContext }) {
  return (
    <span class="bk-option-text">
      <TextView text={optionTextModel(option.text)} ctx={ctx} />
      {option.description ? (
        <span class="bk-option-description">
          <TextView text={optionTextModel(option.description)} ctx={ctx} />
        </span>
      ) : null}
    </span>
  );
}
