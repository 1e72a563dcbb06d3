import type { Org, SfRecord, SfValue } from '../org';
import type { FieldType, ObjectDef } from '../schema';
import type { CompareOp, Condition, Literal, Query } from './ast';
import { malformed, soqlError } from './errors';
import { parseSoql } from './parser';
import { checkOperand, resolveField, resolveObject, type Operand, type ResolveContext, type ResolvedField } from './resolve';
import { datetimeMs, idKey, renderValue, type JsonObject } from './values';

export interface ExecuteOptions {
  /** The clock date literals (TODAY, LAST_N_DAYS:n) are evaluated against, in UTC. */
  now: Date | number;
  /** AuthSession Id behind the caller's token: drives the per-caller `IsCurrent` field. */
  callerSessionId?: string;
  /** Object name → errorCode, for a caller without access (e.g. no Manage Users). */
  deniedObjects?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** Version used in `attributes.url`; defaults to 62.0. */
  apiVersion?: string;
  /** Rows the caller may see (sharing and permission rules that hide rows without an error); all by default. */
  visible?: (objectName: string, record: SfRecord) => boolean;
}

export interface QueryResult {
  totalSize: number;
  records: JsonObject[];
  /** The FROM object, as the schema names it. */
  objectName: string;
}

/** Salesforce's cap on OFFSET. */
export const MAX_OFFSET = 2000;

export function executeSoql(org: Org, soql: string, options: ExecuteOptions): QueryResult {
  const query = parseSoql(soql);
  const denied = new Map<string, string>();
  const source = options.deniedObjects ?? {};
  const entries: Iterable<[string, string]> = source instanceof Map ? source.entries() : Object.entries(source as Record<string, string>);
  for (const [k, v] of entries) denied.set(k.toLowerCase(), v);
  const ctx: Ctx = {
    soql,
    denied,
    now: typeof options.now === 'number' ? options.now : options.now.getTime(),
    org,
    callerSessionId: options.callerSessionId,
    apiVersion: options.apiVersion ?? '62.0',
    visible: options.visible,
  };
  const plan = planQuery(ctx, query, false);
  const rows = plan.run();
  const objectName = plan.object.name;
  if (plan.count) return { totalSize: rows.length, records: [], objectName };
  return { totalSize: rows.length, records: rows.map((r) => plan.render(r)), objectName };
}

interface Ctx extends ResolveContext {
  org: Org;
  callerSessionId: string | undefined;
  apiVersion: string;
  visible: ((objectName: string, record: SfRecord) => boolean) | undefined;
}

interface Plan {
  object: ObjectDef;
  count: boolean;
  fields: ResolvedField[];
  run(): SfRecord[];
  render(record: SfRecord): JsonObject;
}

type Getter = (record: SfRecord) => SfValue;
type Predicate = (record: SfRecord) => boolean;

function planQuery(ctx: Ctx, query: Query, isSubquery: boolean): Plan {
  const object = resolveObject(ctx, query.from.name, query.from.pos);
  const fields: ResolvedField[] = [];
  if (query.select.kind === 'fields') {
    const seen = new Set<string>();
    for (const path of query.select.fields) {
      const f = resolveField(ctx, object, path);
      if (seen.has(f.key.toLowerCase())) throw malformed(ctx.soql, path.pos, `duplicate field selected: ${f.key}`);
      seen.add(f.key.toLowerCase());
      fields.push(f);
    }
  }
  const where = query.where ? compileCondition(ctx, object, query.where, { underOr: false, isSubquery }) : undefined;
  const order = query.orderBy.map((item) => {
    const f = resolveField(ctx, object, item.field);
    if (f.def.sortable === false) {
      throw soqlError('INVALID_FIELD', ctx.soql, item.field.pos, `field '${f.name}' can not be sorted in a query call`);
    }
    return { get: getter(ctx, f), type: f.def.type, descending: item.descending, nullsFirst: item.nullsFirst ?? !item.descending };
  });
  if (query.offset && query.offset.value > MAX_OFFSET) {
    throw soqlError('NUMBER_OUTSIDE_VALID_RANGE', ctx.soql, query.offset.pos, `Maximum SOQL offset allowed is ${MAX_OFFSET}`);
  }

  const run = (): SfRecord[] => {
    const candidates = where?.candidates() ?? ctx.org.all(object.name);
    let rows: SfRecord[] = [];
    const visible = ctx.visible;
    for (const r of candidates) if ((!visible || visible(object.name, r)) && (!where || where.test(r))) rows.push(r);
    if (order.length > 0) {
      rows.sort((a, b) => {
        for (const o of order) {
          const c = compareForSort(o.type, o.get(a), o.get(b), o.descending, o.nullsFirst);
          if (c !== 0) return c;
        }
        return 0;
      });
    }
    const offset = query.offset?.value ?? 0;
    const end = query.limit ? offset + query.limit.value : undefined;
    if (offset > 0 || end !== undefined) rows = rows.slice(offset, end);
    return rows;
  };

  return {
    object,
    count: query.select.kind === 'count',
    fields,
    run,
    render: (record) => renderRecord(ctx, object, fields, record),
  };
}

function fieldValue(ctx: Ctx, objectName: string, record: SfRecord, field: string): SfValue {
  // IsCurrent is about the caller's own session family, so it cannot be a stored value.
  if (objectName === 'AuthSession' && field === 'IsCurrent') {
    const mine = ctx.callerSessionId;
    return mine !== undefined && (record.Id === mine || record.ParentId === mine);
  }
  return record[field] ?? null;
}

function follow(ctx: Ctx, record: SfRecord, hop: { field: string }): SfRecord | undefined {
  const id = record[hop.field];
  return typeof id === 'string' ? ctx.org.get(id) : undefined;
}

function getter(ctx: Ctx, f: ResolvedField): Getter {
  if (f.hops.length === 0) return (r) => fieldValue(ctx, f.object, r, f.name);
  return (r) => {
    let cur: SfRecord | undefined = r;
    for (const hop of f.hops) {
      cur = follow(ctx, cur, hop);
      if (!cur) return null;
    }
    return fieldValue(ctx, f.object, cur, f.name);
  };
}

function attributes(ctx: Ctx, type: string, record: SfRecord): JsonObject {
  return typeof record.Id === 'string' ? { type, url: `/services/data/v${ctx.apiVersion}/sobjects/${type}/${record.Id}` } : { type };
}

function renderRecord(ctx: Ctx, object: ObjectDef, fields: ResolvedField[], record: SfRecord): JsonObject {
  const out: JsonObject = { attributes: attributes(ctx, object.name, record) };
  for (const f of fields) {
    let target: JsonObject = out;
    let cur: SfRecord = record;
    let reachable = true;
    for (const hop of f.hops) {
      const related = follow(ctx, cur, hop);
      if (!related) {
        // A null lookup is rendered as `null`, not as an object of nulls.
        if (target[hop.relationship] === undefined) target[hop.relationship] = null;
        reachable = false;
        break;
      }
      let nested = target[hop.relationship];
      if (nested === undefined || nested === null || typeof nested !== 'object' || Array.isArray(nested)) {
        nested = { attributes: attributes(ctx, hop.target, related) };
        target[hop.relationship] = nested;
      }
      target = nested;
      cur = related;
    }
    if (reachable) target[f.name] = renderValue(f.def.type, fieldValue(ctx, f.object, cur, f.name));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// WHERE

interface Compiled {
  test: Predicate;
  /** Records worth testing when an indexed condition narrows the search; undefined → full scan. */
  candidates(): Iterable<SfRecord> | undefined;
}

interface CompileState {
  underOr: boolean;
  isSubquery: boolean;
}

function compileCondition(ctx: Ctx, object: ObjectDef, cond: Condition, state: CompileState): Compiled & { candidates(): Iterable<SfRecord> } {
  const top = compile(ctx, object, cond, state);
  return {
    test: top.test,
    candidates: () => top.candidates() ?? ctx.org.all(object.name),
  };
}

function compile(ctx: Ctx, object: ObjectDef, cond: Condition, state: CompileState): Compiled {
  const none = (): undefined => undefined;
  switch (cond.kind) {
    case 'and': {
      const parts = cond.items.map((c) => compile(ctx, object, c, state));
      const tests = parts.map((p) => p.test);
      return {
        test: (r) => tests.every((t) => t(r)),
        candidates: () => {
          // Any indexed conjunct bounds the result; take the smallest.
          let best: SfRecord[] | undefined;
          for (const p of parts) {
            const c = p.candidates();
            if (c === undefined) continue;
            const arr = Array.isArray(c) ? (c as SfRecord[]) : [...c];
            if (!best || arr.length < best.length) best = arr;
          }
          return best;
        },
      };
    }
    case 'or': {
      const tests = cond.items.map((c) => compile(ctx, object, c, { ...state, underOr: true }).test);
      return { test: (r) => tests.some((t) => t(r)), candidates: none };
    }
    case 'not': {
      const inner = compile(ctx, object, cond.item, { ...state, underOr: true }).test;
      return { test: (r) => !inner(r), candidates: none };
    }
    case 'compare':
      return compileCompare(ctx, object, cond.field, cond.op, [cond.value]);
    case 'in': {
      const compiled = compileCompare(ctx, object, cond.field, '=', cond.values);
      return cond.negated ? { test: (r) => !compiled.test(r), candidates: none } : compiled;
    }
    case 'like':
      return compileLike(ctx, object, cond);
    case 'semiJoin':
      return compileSemiJoin(ctx, object, cond, state);
  }
}

function filterableField(ctx: Ctx, object: ObjectDef, path: Parameters<typeof resolveField>[2]): ResolvedField {
  const f = resolveField(ctx, object, path);
  if (f.def.filterable === false) {
    throw soqlError('INVALID_FIELD', ctx.soql, path.pos, `field '${f.name}' can not be filtered in a query call`);
  }
  return f;
}

/** `op` against several operands means "matches any" (IN); a single one is a plain comparison. */
function compileCompare(ctx: Ctx, object: ObjectDef, path: Parameters<typeof resolveField>[2], op: CompareOp, literals: Literal[]): Compiled {
  const f = filterableField(ctx, object, path);
  const get = getter(ctx, f);
  const operands = literals.map((l) => checkOperand(ctx, f, l));
  const matchers = operands.map((o) => matcher(f.def.type, op, o));
  const single = matchers.length === 1 ? matchers[0] : undefined;
  const test: Predicate = single
    ? (r) => single(get(r))
    : (r) => {
        const v = get(r);
        return matchers.some((m) => m(v));
      };
  return { test, candidates: () => indexedCandidates(ctx, object, f, op, operands) };
}

/** Uses Org's indexes for `RefField = '<18-char id>'` / `Id = …` (and IN lists of them). */
function indexedCandidates(ctx: Ctx, object: ObjectDef, f: ResolvedField, op: CompareOp, operands: Operand[]): SfRecord[] | undefined {
  if (op !== '=' || f.hops.length > 0 || (f.def.type !== 'reference' && f.def.type !== 'id')) return undefined;
  if (!operands.every((o) => o.kind === 'id' && o.full.length === 18)) return undefined;
  return lookupIds(
    ctx,
    object,
    f,
    operands.map((o) => (o as { full: string }).full),
  );
}

function lookupIds(ctx: Ctx, object: ObjectDef, f: ResolvedField, ids: Iterable<string>): SfRecord[] {
  const out: SfRecord[] = [];
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    if (f.def.type === 'reference') out.push(...ctx.org.byReference(object.name, f.name, id));
    else {
      const r = ctx.org.get(id);
      if (r && object.keyPrefix && id.startsWith(object.keyPrefix)) out.push(r);
    }
  }
  return out;
}

function comparable(type: FieldType, v: SfValue): number | string | boolean | null {
  if (v === null) return null;
  switch (type) {
    case 'id':
    case 'reference':
      return idKey(String(v));
    case 'string':
    case 'picklist':
      return String(v).toLowerCase();
    case 'datetime':
      return datetimeMs(String(v));
    case 'date':
      return Date.parse(`${String(v)}T00:00:00Z`);
    default:
      return v;
  }
}

function operandValue(o: Operand): number | string | boolean | null {
  switch (o.kind) {
    case 'null':
      return null;
    case 'id':
      return o.key;
    case 'string':
      return o.lower;
    case 'number':
    case 'boolean':
      return o.value;
    case 'instant':
      return o.ms;
    case 'range':
      return null;
  }
}

function matcher(type: FieldType, op: CompareOp, o: Operand): (v: SfValue) => boolean {
  if (o.kind === 'null') {
    if (op === '=') return (v) => v === null;
    if (op === '!=') return (v) => v !== null;
    return () => false;
  }
  if (o.kind === 'range') {
    const { start, end } = o.range;
    const inRange = (ms: number): boolean => ms >= start && ms < end;
    const ops: Record<CompareOp, (ms: number) => boolean> = {
      '=': inRange,
      '!=': (ms) => !inRange(ms),
      '<': (ms) => ms < start,
      '<=': (ms) => ms < end,
      '>': (ms) => ms >= end,
      '>=': (ms) => ms >= start,
    };
    const f = ops[op];
    // `!=` includes rows where the field is null, as everywhere in SOQL.
    return (v) => (v === null ? op === '!=' : f(comparable(type, v) as number));
  }
  const target = operandValue(o) as number | string | boolean;
  switch (op) {
    case '=':
      return (v) => v !== null && comparable(type, v) === target;
    case '!=':
      return (v) => v === null || comparable(type, v) !== target;
    case '<':
      return (v) => v !== null && (comparable(type, v) as number | string) < target;
    case '<=':
      return (v) => v !== null && (comparable(type, v) as number | string) <= target;
    case '>':
      return (v) => v !== null && (comparable(type, v) as number | string) > target;
    case '>=':
      return (v) => v !== null && (comparable(type, v) as number | string) >= target;
  }
}

function compileLike(ctx: Ctx, object: ObjectDef, cond: Extract<Condition, { kind: 'like' }>): Compiled {
  const f = filterableField(ctx, object, cond.field);
  const t = f.def.type;
  if (t !== 'string' && t !== 'picklist' && t !== 'id' && t !== 'reference') {
    throw soqlError('INVALID_FIELD', ctx.soql, cond.field.pos, `invalid operator on field '${f.name}' of type ${t}: LIKE`);
  }
  if (cond.pattern.kind !== 'string') {
    throw soqlError(
      'INVALID_FIELD',
      ctx.soql,
      cond.pattern.pos,
      `value of filter criterion for field '${f.name}' must be of type string and should be enclosed in quotes`,
    );
  }
  const re = cond.pattern.like;
  const get = getter(ctx, f);
  return {
    test: (r) => {
      const v = get(r);
      return v !== null && re.test(String(v));
    },
    candidates: () => undefined,
  };
}

const SEMI_JOIN_UNCONFIRMED: ReadonlySet<string> = new Set(['AuthSession', 'OauthToken']);

function compileSemiJoin(ctx: Ctx, object: ObjectDef, cond: Extract<Condition, { kind: 'semiJoin' }>, state: CompileState): Compiled {
  if (state.isSubquery) throw malformed(ctx.soql, cond.pos, 'Nesting of semi join sub-selects is not supported');
  if (state.underOr) throw malformed(ctx.soql, cond.pos, "Semi join sub-selects are not allowed with the 'OR' operator");
  // Semi-joins are documented on LoginHistory but not confirmed on these two objects, so the stand-in
  // refuses them: the bot must not depend on them (it resolves the user first, see the bot's queries).
  if (SEMI_JOIN_UNCONFIRMED.has(object.name)) {
    throw malformed(ctx.soql, cond.pos, `Semi join sub-selects on ${object.name} are not confirmed on the platform; the stand-in refuses them`);
  }
  const outer = filterableField(ctx, object, cond.field);
  if (outer.def.type !== 'id' && outer.def.type !== 'reference') {
    throw soqlError('INVALID_FIELD', ctx.soql, cond.field.pos, `Invalid field for semi join: ${outer.name} must be an Id or a reference`);
  }
  const inner = planQuery(ctx, cond.query, true);
  const innerField = inner.fields[0];
  if (inner.count || inner.fields.length !== 1 || !innerField) {
    throw malformed(ctx.soql, cond.pos, 'Semi join sub-selects must select exactly one Id or reference field');
  }
  const innerTarget = innerField.def.type === 'id' ? innerField.object : innerField.def.referenceTo;
  const outerTarget = outer.def.type === 'id' ? outer.object : outer.def.referenceTo;
  if ((innerField.def.type !== 'id' && innerField.def.type !== 'reference') || innerTarget !== outerTarget) {
    throw soqlError(
      'INVALID_FIELD',
      ctx.soql,
      cond.pos,
      `The selected field '${innerField.name}' in the subquery and the left operand field in the where expression in the outer query '${outer.name}' should point to the same object type`,
    );
  }
  let ids: { keys: Set<string>; full: string[] } | undefined;
  const load = (): { keys: Set<string>; full: string[] } => {
    if (!ids) {
      const get = getter(ctx, innerField);
      const full = inner
        .run()
        .map(get)
        .filter((v): v is string => typeof v === 'string');
      ids = { keys: new Set(full.map(idKey)), full };
    }
    return ids;
  };
  const get = getter(ctx, outer);
  const isIn: Predicate = (r) => {
    const v = get(r);
    return typeof v === 'string' && load().keys.has(idKey(v));
  };
  if (cond.negated) return { test: (r) => !isIn(r), candidates: () => undefined };
  return {
    test: isIn,
    candidates: () => (outer.hops.length === 0 ? lookupIds(ctx, object, outer, load().full) : undefined),
  };
}

// ---------------------------------------------------------------------------------------------
// ORDER BY

function compareForSort(type: FieldType, a: SfValue, b: SfValue, descending: boolean, nullsFirst: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsFirst ? -1 : 1;
  }
  const x = comparable(type, a) as number | string | boolean;
  const y = comparable(type, b) as number | string | boolean;
  const c = x < y ? -1 : x > y ? 1 : 0;
  return descending ? -c : c;
}
