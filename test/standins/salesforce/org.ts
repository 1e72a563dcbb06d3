import { SCHEMA } from './schema';

/**
 * The stand-in's in-memory org: plain records per sObject, indexed by Id and by every reference
 * field so that `WHERE UsersId = '…'` stays fast at a million LoginHistory rows.
 *
 * Values are stored as the evaluator compares them: datetimes as ISO-8601 strings in UTC with a
 * `Z` (`2026-11-26T10:00:00.000Z`); the HTTP layer renders them in Salesforce's `+0000` form.
 */
export type SfValue = string | number | boolean | null;
export type SfRecord = Record<string, SfValue>;

export class Org {
  private readonly tables = new Map<string, Set<SfRecord>>();
  private readonly byId = new Map<string, SfRecord>();
  private readonly refIndex = new Map<string, Map<string, Set<SfRecord>>>();
  private readonly counters = new Map<string, number>();

  constructor(public readonly orgId = '00D000000000001EAA') {}

  /** Salesforce-shaped 18-character id with the object's key prefix. */
  newId(objectName: string): string {
    const def = SCHEMA[objectName];
    if (!def?.keyPrefix) throw new Error(`${objectName} has no key prefix`);
    const n = (this.counters.get(objectName) ?? 0) + 1;
    this.counters.set(objectName, n);
    return `${def.keyPrefix}${n.toString(36).toUpperCase().padStart(12, '0')}AAA`;
  }

  insert(objectName: string, fields: SfRecord): SfRecord {
    const def = SCHEMA[objectName];
    if (!def) throw new Error(`unknown sObject ${objectName}`);
    for (const k of Object.keys(fields)) {
      if (!def.fields[k]) throw new Error(`${objectName}.${k} is not in the stand-in schema`);
    }
    const record: SfRecord = {};
    for (const name of Object.keys(def.fields)) record[name] = fields[name] ?? null;
    if (def.keyPrefix && record.Id === null) record.Id = this.newId(objectName);
    this.table(objectName).add(record);
    if (typeof record.Id === 'string') this.byId.set(record.Id, record);
    for (const [name, f] of Object.entries(def.fields)) {
      if (f.type === 'reference' && typeof record[name] === 'string') this.index(objectName, name, record[name], record);
    }
    return record;
  }

  /** Every record of the object, in insertion order (a live view: do not mutate while iterating). */
  all(objectName: string): Iterable<SfRecord> {
    return this.table(objectName);
  }

  get(id: string): SfRecord | undefined {
    return this.byId.get(id);
  }

  /** Records of `objectName` whose reference field equals `value` (an indexed lookup). */
  byReference(objectName: string, field: string, value: string): SfRecord[] {
    return [...(this.refIndex.get(`${objectName}.${field}`)?.get(value) ?? [])];
  }

  update(id: string, changes: SfRecord): SfRecord {
    const record = this.byId.get(id);
    if (!record) throw new Error(`no record ${id}`);
    Object.assign(record, changes);
    return record;
  }

  /** Removes a record; returns false when it was already gone. */
  delete(objectName: string, id: string): boolean {
    const record = this.byId.get(id);
    if (!record) return false;
    if (!this.table(objectName).delete(record)) return false;
    this.byId.delete(id);
    this.removeFromIndexes(objectName, record);
    return true;
  }

  /** Removes records matching a predicate (OauthToken rows have no Id). Returns how many went. */
  deleteWhere(objectName: string, predicate: (r: SfRecord) => boolean): number {
    const table = this.table(objectName);
    const gone = [...table].filter(predicate);
    for (const r of gone) {
      table.delete(r);
      if (typeof r.Id === 'string') this.byId.delete(r.Id);
      this.removeFromIndexes(objectName, r);
    }
    return gone.length;
  }

  count(objectName: string): number {
    return this.table(objectName).size;
  }

  private table(objectName: string): Set<SfRecord> {
    let t = this.tables.get(objectName);
    if (!t) {
      t = new Set();
      this.tables.set(objectName, t);
    }
    return t;
  }

  private index(objectName: string, field: string, value: string, record: SfRecord): void {
    const key = `${objectName}.${field}`;
    let m = this.refIndex.get(key);
    if (!m) {
      m = new Map();
      this.refIndex.set(key, m);
    }
    let set = m.get(value);
    if (!set) {
      set = new Set();
      m.set(value, set);
    }
    set.add(record);
  }

  private removeFromIndexes(objectName: string, record: SfRecord): void {
    const def = SCHEMA[objectName];
    if (!def) return;
    for (const [name, f] of Object.entries(def.fields)) {
      const v = record[name];
      if (f.type === 'reference' && typeof v === 'string') this.refIndex.get(`${objectName}.${name}`)?.get(v)?.delete(record);
    }
  }
}
