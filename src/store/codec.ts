// Conversions between domain values and stored text, shared by the stores.

export function toIso(d: Date): string {
  if (Number.isNaN(d.getTime())) throw new Error('invalid Date cannot be stored');
  return d.toISOString();
}

export function toIsoOrNull(d: Date | null | undefined): string | null {
  return d ? toIso(d) : null;
}

export function fromIso(s: string): Date {
  const d = new Date(s);
  if (Number.isNaN(d.getTime())) throw new Error(`stored timestamp is not ISO-8601: ${s}`);
  return d;
}

export function fromIsoOrNull(s: string | null): Date | null {
  return s === null ? null : fromIso(s);
}

/** `undefined` has no JSON form; storing it as null keeps the column NOT NULL and the read side simple. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value ?? null);
}

export function fromJsonText(text: string): unknown {
  return JSON.parse(text) as unknown;
}
