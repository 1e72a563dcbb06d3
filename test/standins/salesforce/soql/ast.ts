/** Syntax tree of the SOQL subset the stand-in understands (before schema checks). */

export interface FieldPath {
  /** Segments as written, e.g. ['LoginHistory', 'LoginGeo', 'Country']. */
  segments: string[];
  pos: number;
}

export type Literal =
  | { kind: 'string'; value: string; like: RegExp; pos: number }
  | { kind: 'number'; value: number; text: string; pos: number }
  | { kind: 'boolean'; value: boolean; pos: number }
  | { kind: 'null'; pos: number }
  | { kind: 'datetime'; ms: number; text: string; pos: number }
  | { kind: 'date'; value: string; pos: number }
  | { kind: 'dateLiteral'; name: string; n?: number; text: string; pos: number };

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Condition =
  | { kind: 'and'; items: Condition[] }
  | { kind: 'or'; items: Condition[]; pos: number }
  | { kind: 'not'; item: Condition; pos: number }
  | { kind: 'compare'; field: FieldPath; op: CompareOp; value: Literal }
  | { kind: 'like'; field: FieldPath; pattern: Literal }
  | { kind: 'in'; field: FieldPath; negated: boolean; values: Literal[] }
  | { kind: 'semiJoin'; field: FieldPath; negated: boolean; query: Query; pos: number };

export interface OrderItem {
  field: FieldPath;
  descending: boolean;
  /** Undefined means Salesforce's default: nulls first ascending, last descending. */
  nullsFirst?: boolean;
}

export interface Query {
  select: { kind: 'count'; pos: number } | { kind: 'fields'; fields: FieldPath[] };
  from: { name: string; pos: number };
  where?: Condition;
  orderBy: OrderItem[];
  limit?: { value: number; pos: number };
  offset?: { value: number; pos: number };
}
