/** Toasts in the bottom-right corner; errors are announced at once, information politely. */
import type { Toast } from './use-toasts';

export function Toasts(props: { toasts: Toast[]; onDismiss: (id: number) => void }) {
  return (
    <div class="app-toasts">
      {props.toasts.map((toast) => (
        <div key={toast.id} class={`app-toast app-toast-${toast.level}`} role={toast.level === 'error' ? 'alert' : 'status'}>
          <span class="app-toast-text">{toast.text}</span>
          <button type="button" class="app-icon-button" aria-label="Dismiss" onClick={() => props.onDismiss(toast.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
