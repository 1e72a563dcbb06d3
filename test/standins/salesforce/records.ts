import type { Org, SfRecord } from './org';
import { SCHEMA, type ObjectDef } from './schema';
import { ID_PATTERN, idKey } from './soql/values';

/** Object definition by name as written in a URL (Salesforce matches sObject names case-insensitively). */
export function objectByName(name: string): ObjectDef | undefined {
  const lower = name.toLowerCase();
  return Object.values(SCHEMA).find((o) => o.name.toLowerCase() === lower);
}

export function objectById(id: string): ObjectDef | undefined {
  const prefix = id.slice(0, 3);
  return Object.values(SCHEMA).find((o) => o.keyPrefix === prefix);
}

export const isWellFormedId = (id: string): boolean => ID_PATTERN.test(id);

/** The record an id names (15- or 18-character form), if it exists and is of the given type. */
export function findRecord(org: Org, id: string, object?: ObjectDef): SfRecord | undefined {
  const type = object ?? objectById(id);
  if (!type || !isWellFormedId(id) || !id.startsWith(type.keyPrefix ?? '\0')) return undefined;
  if (id.length === 18) return org.get(id);
  const key = idKey(id);
  for (const r of org.all(type.name)) if (typeof r.Id === 'string' && idKey(r.Id) === key) return r;
  return undefined;
}
