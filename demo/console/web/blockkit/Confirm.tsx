/**
 * Slack's "are you sure?" dialog for elements with a `confirm` object. Only its confirm button lets
 * the action through; deny, Escape and a click on the backdrop drop it, as in Slack.
 */
import type { VNode } from 'preact';
import { useState } from 'preact/hooks';
import type { ConfirmModel } from './model';
import type { TextContext } from './render-options';
import { TextView } from './TextView';

export function ConfirmDialog(props: { confirm: ConfirmModel; ctx: TextContext; onConfirm: () => void; onDeny: () => void }) {
  const { confirm, ctx, onConfirm, onDeny } = props;
  return (
    <div class="bk-confirm-backdrop" onClick={(e) => e.target === e.currentTarget && onDeny()}>
      <div class="bk-confirm" role="dialog" aria-modal="true" aria-label={confirm.title} onKeyDown={(e) => e.key === 'Escape' && onDeny()}>
        <h2 class="bk-confirm-title">{confirm.title}</h2>
        <div class="bk-confirm-text">
          <TextView text={confirm.text} ctx={ctx} />
        </div>
        <div class="bk-confirm-buttons">
          <button type="button" class="bk-button" onClick={onDeny}>
            {confirm.deny}
          </button>
          <button type="button" class={`bk-button bk-button-${confirm.style}`} onClick={onConfirm} autoFocus>
            {confirm.confirm}
          </button>
        </div>
      </div>
    </div>
  );
}

export interface Confirmation {
  /** Runs `action` at once, or after the viewer confirms when there is a confirm object. */
  ask: (confirm: ConfirmModel | undefined, action: () => void, onDeny?: () => void) => void;
  /** The open dialog, to be placed in the element's markup; null when none is open. */
  dialog: VNode | null;
}

interface Pending {
  confirm: ConfirmModel;
  action(): void;
  onDeny?(): void;
}

export function useConfirmation(ctx: TextContext): Confirmation {
  const [pending, setPending] = useState<Pending | null>(null);
  const ask: Confirmation['ask'] = (confirm, action, onDeny) => {
    if (confirm === undefined) action();
    else setPending({ confirm, action, ...(onDeny ? { onDeny } : {}) });
  };
  const dialog = pending ? (
    <ConfirmDialog
      confirm={pending.confirm}
      ctx={ctx}
      onConfirm={() => {
        setPending(null);
        pending.action();
      }}
      onDeny={() => {
        setPending(null);
        pending.onDeny?.();
      }}
    />
  ) : null;
  return { ask, dialog };
}
