/**
 * JSON with object keys sorted at every level, so equal values always give byte-equal text
 * (needed for hashing: JSON.stringify keeps insertion order). Follows JSON.stringify's rules
 * for everything else: toJSON() is honoured (Dates become ISO strings), undefined/functions are
 * dropped from objects and become null in arrays, non-finite numbers become null.
 */
export function canonicalJson(value: unknown): string {
  const out = encode(value, false);
  return out ?? 'null';
}

function encode(value: unknown, inArray: boolean): string | undefined {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: () => unknown }).toJSON();
  }
  if (v === undefined || typeof v === 'function' || typeof v === 'symbol') return inArray ? 'null' : undefined;
  if (typeof v === 'bigint') throw new TypeError('canonicalJson cannot encode a bigint');
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((item) => encode(item, true)).join(',')}]`;
  const obj = v as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(obj).sort()) {
    const enc = encode(obj[key], false);
    if (enc !== undefined) parts.push(`${JSON.stringify(key)}:${enc}`);
  }
  return `{${parts.join(',')}}`;
}
