/** The message box: Enter sends a slash command to the bot; other text gets a hint instead. */
import { useState } from 'preact/hooks';
import { composerIntent } from './composer-line';

export const NOT_A_COMMAND_HINT = 'This console only sends slash commands to the bot — try /sessions followed by an e-mail, @name or Salesforce username.';

export function Composer(props: { label: string; onCommand(line: string): Promise<boolean> }) {
  const [text, setText] = useState('');
  const [hint, setHint] = useState<string | null>(null);
  const [sending, setSending] = useState(false);

  const submit = async () => {
    const intent = composerIntent(text);
    if (intent.kind === 'nothing') return;
    if (intent.kind === 'not-a-command') {
      setHint(NOT_A_COMMAND_HINT);
      return;
    }
    setHint(null);
    setSending(true);
    const sent = await props.onCommand(intent.line);
    setSending(false);
    // A failed command stays in the box so it can be sent again.
    if (sent) setText('');
  };

  return (
    <div class="app-composer">
      <input
        class="app-composer-input"
        type="text"
        aria-label={props.label}
        placeholder={props.label}
        value={text}
        disabled={sending}
        autoComplete="off"
        spellcheck={false}
        onInput={(event) => {
          setText(event.currentTarget.value);
          setHint(null);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && !event.isComposing) {
            event.preventDefault();
            void submit();
          }
        }}
      />
      {hint && (
        <p class="app-composer-hint" role="status">
          {hint}
        </p>
      )}
    </div>
  );
}
