import { toIso } from './codec';

/**
 * JSON text that gives domain objects back exactly: plain JSON would turn a Date into a string
 * and Infinity (a finding's speed when two logins happen at the same instant) into null. Dates
 * are written as {"$date": iso} and non-finite numbers as {"$number": "Infinity"}; keys are
 * sorted so equal values always give equal text, which lets the mirror spot changed rows by
 * comparing text. Domain objects have no `$date` / `$number` keys of their own. Otherwise as
 * JSON.stringify: undefined properties are left out, undefined in an array becomes null.
 *
 * Written out by hand in one pass because the mirror encodes every session of a full scan
 * (100k in a large org): building a tagged copy first and serialising it was ~50 times slower.
 */
export function toTaggedJson(value: unknown): string {
  return encode(value) ?? 'null';
}

export function fromTaggedJson(text: string): unknown {
  // Parsed plainly, then untagged in one walk: a JSON.parse reviver is called for every value and
  // made reading the mirror (a million LoginHistory rows on a large org's first start) 2.5 times slower.
  return untagTree(JSON.parse(text) as unknown);
}

function encode(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : `{"$number":"${String(value)}"}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('tagged JSON cannot encode a bigint');
    default:
      break;
  }
  if (value === null) return 'null';
  if (value instanceof Date) return `{"$date":"${toIso(value)}"}`;
  if (Array.isArray(value)) return `[${value.map((item: unknown) => encode(item) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  let out = '';
  for (const [key, prefix] of sortedKeys(record)) {
    const encoded = encode(record[key]);
    if (encoded === undefined) continue;
    out += out === '' ? prefix + encoded : `,${prefix}${encoded}`;
  }
  return `{${out}}`;
}

/**
 * Each object's keys, sorted, with their encoded `"key":` prefix. Domain objects come in a handful
 * of shapes, so the sort and the key encoding are done once per shape (bounded, in case of
 * arbitrary payloads) rather than once per row.
 */
const SHAPES = new Map<string, ReadonlyArray<readonly [string, string]>>();
const MAX_SHAPES = 1_000;

function sortedKeys(record: Record<string, unknown>): ReadonlyArray<readonly [string, string]> {
  const keys = Object.keys(record);
  const shape = keys.join('\u0000');
  let sorted = SHAPES.get(shape);
  if (!sorted) {
    sorted = [...keys].sort().map((key) => [key, `${JSON.stringify(key)}:`] as const);
    if (SHAPES.size < MAX_SHAPES) SHAPES.set(shape, sorted);
  }
  return sorted;
}

/** Replaces every tagged value in a freshly parsed tree, in place (the tree is nobody else's). */
function untagTree(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) value[i] = untagTree(value[i]);
    return value;
  }
  const tagged = untag(value);
  if (tagged !== value) return tagged;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const item = record[key];
    const untagged = untagTree(item);
    // Assigned only when it changed: a parsed "__proto__" key must stay an own property, not become the prototype.
    if (untagged !== item) record[key] = untagged;
  }
  return record;
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
