import { canonicalJson } from './canonical-json';
import { toIso } from './codec';

/**
 * JSON text that gives domain objects back exactly: plain JSON would turn a Date into a string
 * and Infinity (a finding's speed when two logins happen at the same instant) into null. Dates
 * are written as {"$date": iso} and non-finite numbers as {"$number": "Infinity"}; keys are
 * sorted so equal values always give equal text, which lets the mirror spot changed rows by
 * comparing text. Domain objects have no `$date` / `$number` keys of their own.
 */
export function toTaggedJson(value: unknown): string {
  return canonicalJson(tag(value));
}

export function fromTaggedJson(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => untag(value)) as unknown;
}

function tag(value: unknown): unknown {
  if (value instanceof Date) return { $date: toIso(value) };
  if (typeof value === 'number' && !Number.isFinite(value)) return { $number: String(value) };
  if (Array.isArray(value)) return value.map(tag);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = tag(v);
    return out;
  }
  return value;
}

function untag(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const keys = Object.keys(value);
  if (keys.length !== 1) return value;
  const record = value as Record<string, unknown>;
  if (typeof record.$date === 'string') {
    const d = new Date(record.$date);
    if (Number.isNaN(d.getTime())) throw new Error(`stored tagged date is not ISO-8601: ${record.$date}`);
    return d;
  }
  if (typeof record.$number === 'string') return Number(record.$number);
  return value;
}
