/**
 * Readers for JSON of unknown shape. The bot's blocks arrive as `unknown`: every access goes through
 * these so a malformed field becomes "absent" instead of an exception that would blank the page.
 */

export type JsonRecord = Record<string, unknown>;

export function asRecord(value: unknown): JsonRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonRecord) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Slack sends some numbers as strings (number_input's min_value); both forms are accepted. */
export function asNumeric(value: unknown): number | undefined {
  if (typeof value === 'string' && value.trim() !== '') return asNumber(Number(value));
  return asNumber(value);
}

/** Only these schemes become clickable: anything else (javascript:, data:) is shown as text. */
export function isSafeUrl(url: string): boolean {
  return /^(https?:\/\/|mailto:)/i.test(url);
}
