/**
 * Reads a modal or Home view as the bot sent it. The view is untyped JSON (protocol.OpenView.view),
 * so every field is checked before use rather than trusted.
 */

function textOf(field: unknown): string | undefined {
  if (typeof field === 'string') return field;
  if (field !== null && typeof field === 'object' && 'text' in field && typeof field.text === 'string') return field.text;
  return undefined;
}

/** The modal's title text, used as the dialog's accessible name. */
export function viewTitle(view: Record<string, unknown>): string {
  return textOf(view.title) ?? 'Session Warden';
}

/** Slack shows "Cancel" when a modal names no close button. */
export function viewCloseText(view: Record<string, unknown>): string {
  return textOf(view.close) ?? 'Cancel';
}

/** A modal without `submit` has no submit button (Slack refuses one only when it has inputs). */
export function viewSubmitText(view: Record<string, unknown>): string | null {
  return textOf(view.submit) ?? null;
}

export function viewBlocks(view: Record<string, unknown>): unknown[] {
  return Array.isArray(view.blocks) ? (view.blocks as unknown[]) : [];
}
