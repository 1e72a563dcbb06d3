import type { FieldType } from '../schema';
import type { SfValue } from '../org';

/** JSON as the REST API returns it. */
export type JsonValue = string | number | boolean | null | JsonObject | JsonValue[];
export interface JsonObject {
  [key: string]: JsonValue;
}

const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Milliseconds of a stored datetime (ISO-8601 with Z); NaN when unparsable. */
export function datetimeMs(stored: string): number {
  return Date.parse(stored);
}

/** Salesforce's REST rendering of a datetime: `2026-11-26T10:00:00.000+0000`. */
export function renderDatetime(stored: string): string {
  if (CANONICAL.test(stored)) return `${stored.slice(0, 23)}+0000`;
  const ms = Date.parse(stored);
  return Number.isNaN(ms) ? stored : `${new Date(ms).toISOString().slice(0, 23)}+0000`;
}

export function renderValue(type: FieldType, value: SfValue): JsonValue {
  if (value === null) return null;
  if (type === 'datetime' && typeof value === 'string') return renderDatetime(value);
  return value;
}

/** A Salesforce record id: 15 case-sensitive characters, optionally plus a 3-character checksum. */
export const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

/**
 * Salesforce treats a 15-character id and its 18-character form as the same record; the first
 * 15 characters carry the identity (case-sensitively).
 */
export function idKey(id: string): string {
  return id.slice(0, 15);
}
