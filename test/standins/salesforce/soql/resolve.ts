import { SCHEMA, type FieldDef, type FieldType, type ObjectDef } from '../schema';
import type { FieldPath, Literal } from './ast';
import { dateLiteralRange, type DayRange } from './date-literals';
import { SoqlError, soqlError } from './errors';
import { ID_PATTERN, idKey } from './values';

/** One relationship step of a field path, e.g. AuthSession.UsersId → User via `Users`. */
export interface Hop {
  field: string;
  relationship: string;
  target: string;
}

export interface ResolvedField {
  /** Object that owns the leaf field. */
  object: string;
  name: string;
  def: FieldDef;
  hops: Hop[];
  /** Schema-cased dotted path, e.g. `LoginHistory.LoginGeo.Country`. */
  key: string;
}

const NO_COLUMN_HINT =
  "If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. " +
  'Please reference your WSDL or the describe call for the appropriate names.';
const NO_RELATIONSHIP_HINT =
  "If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. " +
  'Please reference your WSDL or the describe call for the appropriate names.';
const NO_TYPE_HINT =
  "If you are attempting to use a custom object, be sure to append the '__c' after the entity name. " +
  'Please reference your WSDL or the describe call for the appropriate names.';

export interface ResolveContext {
  soql: string;
  /** Object name (any case) → errorCode the caller gets instead of access. */
  denied: ReadonlyMap<string, string>;
  now: number;
}

export function resolveObject(ctx: ResolveContext, name: string, pos: number): ObjectDef {
  const def = Object.values(SCHEMA).find((o) => o.name.toLowerCase() === name.toLowerCase());
  const deniedCode = ctx.denied.get(name.toLowerCase());
  if (!def || deniedCode === 'INVALID_TYPE') {
    throw soqlError('INVALID_TYPE', ctx.soql, pos, `sObject type '${name}' is not supported. ${NO_TYPE_HINT}`);
  }
  if (deniedCode) throw new SoqlError(deniedCode, `Insufficient privileges to query ${def.name}`);
  return def;
}

function findField(obj: ObjectDef, name: string): [string, FieldDef] | undefined {
  const lower = name.toLowerCase();
  return Object.entries(obj.fields).find(([n]) => n.toLowerCase() === lower);
}

function findRelationship(obj: ObjectDef, name: string): [string, FieldDef] | undefined {
  const lower = name.toLowerCase();
  return Object.entries(obj.fields).find(([, f]) => f.relationshipName?.toLowerCase() === lower);
}

export function resolveField(ctx: ResolveContext, root: ObjectDef, path: FieldPath): ResolvedField {
  let segments = path.segments;
  // SOQL allows qualifying a field with the queried object's own name (`AuthSession.Id`).
  if (segments.length > 1 && segments[0]?.toLowerCase() === root.name.toLowerCase() && !findRelationship(root, segments[0])) {
    segments = segments.slice(1);
  }
  let obj = root;
  const hops: Hop[] = [];
  for (const seg of segments.slice(0, -1)) {
    const rel = findRelationship(obj, seg);
    const target = rel?.[1].referenceTo ? SCHEMA[rel[1].referenceTo] : undefined;
    if (!rel || !target) {
      throw soqlError('INVALID_FIELD', ctx.soql, path.pos, `Didn't understand relationship '${seg}' in field path. ${NO_RELATIONSHIP_HINT}`);
    }
    hops.push({ field: rel[0], relationship: rel[1].relationshipName as string, target: target.name });
    obj = target;
  }
  const leafName = segments[segments.length - 1] as string;
  const leaf = findField(obj, leafName);
  if (!leaf) {
    throw soqlError('INVALID_FIELD', ctx.soql, path.pos, `No such column '${leafName}' on entity '${obj.name}'. ${NO_COLUMN_HINT}`);
  }
  return {
    object: obj.name,
    name: leaf[0],
    def: leaf[1],
    hops,
    key: [...hops.map((h) => h.relationship), leaf[0]].join('.'),
  };
}

/** A WHERE operand after type checking against its field. */
export type Operand =
  | { kind: 'null' }
  | { kind: 'id'; key: string; full: string }
  | { kind: 'string'; lower: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'instant'; ms: number }
  | { kind: 'range'; range: DayRange };

const TYPE_NAMES: Record<FieldType, string> = {
  id: 'id',
  reference: 'id',
  string: 'string',
  picklist: 'string',
  datetime: 'dateTime',
  date: 'date',
  int: 'integer',
  double: 'double',
  boolean: 'boolean',
};

export function checkOperand(ctx: ResolveContext, field: ResolvedField, lit: Literal): Operand {
  if (lit.kind === 'null') return { kind: 'null' };
  const type = field.def.type;
  const quoted = type === 'id' || type === 'reference' || type === 'string' || type === 'picklist';
  const wrongType = (): SoqlError =>
    soqlError(
      'INVALID_FIELD',
      ctx.soql,
      lit.pos,
      `value of filter criterion for field '${field.name}' must be of type ${TYPE_NAMES[type]} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
    );
  switch (type) {
    case 'id':
    case 'reference':
      if (lit.kind !== 'string') throw wrongType();
      if (!ID_PATTERN.test(lit.value)) {
        throw soqlError('INVALID_QUERY_FILTER_OPERATOR', ctx.soql, lit.pos, `invalid ID field: ${lit.value}`);
      }
      return { kind: 'id', key: idKey(lit.value), full: lit.value };
    case 'string':
    case 'picklist':
      if (lit.kind !== 'string') throw wrongType();
      return { kind: 'string', lower: lit.value.toLowerCase() };
    case 'datetime':
      if (lit.kind === 'datetime') return { kind: 'instant', ms: lit.ms };
      if (lit.kind === 'dateLiteral') return { kind: 'range', range: dateLiteralRange(lit.name, lit.n, ctx.now) };
      throw wrongType();
    case 'date':
      if (lit.kind === 'date') return { kind: 'instant', ms: Date.parse(`${lit.value}T00:00:00Z`) };
      if (lit.kind === 'dateLiteral') return { kind: 'range', range: dateLiteralRange(lit.name, lit.n, ctx.now) };
      throw wrongType();
    case 'int':
    case 'double':
      if (lit.kind !== 'number') throw wrongType();
      return { kind: 'number', value: lit.value };
    case 'boolean':
      if (lit.kind !== 'boolean') throw wrongType();
      return { kind: 'boolean', value: lit.value };
  }
}
