/**
 * The viewer's open modal. Input values live here, starting from the blocks' initial values; the
 * parent remounts this component (by key) when the bot replaces the view, which resets them.
 */
import { useEffect, useState } from 'preact/hooks';
import type { OpenView, StateValues } from '../../protocol';
import { Blocks, initialValues } from '../blockkit';
import type { PageContext } from './page-context';
import { renderContextFor } from './page-context';
import { viewBlocks, viewCloseText, viewSubmitText, viewTitle } from './view-text';

/** Changes exactly when the bot sent another view: a new id, or new blocks through views.update. */
export function modalKey(modal: OpenView): string {
  return `${modal.id}:${JSON.stringify(viewBlocks(modal.view))}`;
}

export function Modal(props: {
  modal: OpenView;
  errors: Record<string, string>;
  page: PageContext;
  onSubmit: (values: StateValues) => Promise<void>;
  onClose: () => Promise<void>;
}) {
  const { modal, page } = props;
  const blocks = viewBlocks(modal.view);
  const title = viewTitle(modal.view);
  const submitText = viewSubmitText(modal.view);
  const [values, setValues] = useState<StateValues>(() => initialValues(blocks));
  const [busy, setBusy] = useState(false);

  const run = async (request: () => Promise<void>) => {
    setBusy(true);
    await request();
    setBusy(false);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && !busy) void run(props.onClose);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const ctx = renderContextFor(
    page,
    { kind: 'view', viewId: modal.id },
    {
      values,
      errors: props.errors,
      onChange: (blockId, actionId, value) => setValues((current) => ({ ...current, [blockId]: { ...current[blockId], [actionId]: value } })),
    },
  );

  return (
    <div class="app-overlay">
      <div class="app-modal" role="dialog" aria-modal="true" aria-label={title}>
        <header class="app-modal-head">
          <h2 class="app-modal-title">{title}</h2>
          <button type="button" class="app-icon-button" aria-label="Close" disabled={busy} onClick={() => void run(props.onClose)}>
            ×
          </button>
        </header>
        <form
          class="app-modal-body"
          onSubmit={(event) => {
            // Enter in a text input submits, as in Slack; the browser must not navigate.
            event.preventDefault();
            if (submitText !== null && !busy) void run(() => props.onSubmit(values));
          }}
        >
          <Blocks blocks={blocks} ctx={ctx} />
          <button type="submit" hidden tabIndex={-1} aria-hidden="true" />
        </form>
        <footer class="app-modal-foot">
          <button type="button" class="app-button" disabled={busy} onClick={() => void run(props.onClose)}>
            {viewCloseText(modal.view)}
          </button>
          {submitText !== null && (
            <button type="button" class="app-button app-button-primary" disabled={busy} onClick={() => void run(() => props.onSubmit(values))}>
              {submitText}
            </button>
          )}
        </footer>
      </div>
    </div>
  );
}
