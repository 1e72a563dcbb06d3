import type { CompareOp, Condition, FieldPath, Literal, OrderItem, Query } from './ast';
import { malformed, SoqlError } from './errors';
import { tokenize, type Token } from './lexer';

/** Keywords that can never be a field or object name in this subset. */
const RESERVED = new Set([
  'SELECT',
  'FROM',
  'WHERE',
  'AND',
  'OR',
  'NOT',
  'IN',
  'LIKE',
  'ORDER',
  'BY',
  'ASC',
  'DESC',
  'NULLS',
  'LIMIT',
  'OFFSET',
  'TRUE',
  'FALSE',
  'NULL',
  'GROUP',
  'HAVING',
  'WITH',
  'FOR',
  'USING',
  'INCLUDES',
  'EXCLUDES',
]);

/** Clauses that real SOQL has but this stand-in does not implement: fail loudly, not silently. */
const UNSUPPORTED = new Set(['GROUP', 'HAVING', 'WITH', 'FOR', 'USING', 'TYPEOF', 'INCLUDES', 'EXCLUDES', 'UPDATE']);

export class StandInUnsupported extends SoqlError {
  constructor(what: string) {
    super('STANDIN_UNSUPPORTED', `The Salesforce stand-in does not implement ${what}`);
  }
}

export function parseSoql(soql: string): Query {
  return new Parser(soql).parseTop();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;

  constructor(private readonly soql: string) {
    this.tokens = tokenize(soql);
  }

  parseTop(): Query {
    const q = this.parseQuery();
    this.expectEof();
    return q;
  }

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i += 1;
    return t;
  }

  private isKeyword(word: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'ident' && t.text.toUpperCase() === word;
  }

  private acceptKeyword(word: string): Token | undefined {
    return this.isKeyword(word) ? this.next() : undefined;
  }

  private unexpected(t: Token = this.peek()): SoqlError {
    if (t.kind === 'ident' && UNSUPPORTED.has(t.text.toUpperCase())) return new StandInUnsupported(`${t.text.toUpperCase()}`);
    return malformed(this.soql, t.pos, t.kind === 'eof' ? 'unexpected token: <EOF>' : `unexpected token: '${t.text}'`);
  }

  private expectKeyword(word: string): Token {
    const t = this.acceptKeyword(word);
    if (!t) throw this.unexpected();
    return t;
  }

  private expectPunct(p: string): Token {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) throw this.unexpected();
    return this.next();
  }

  private isPunct(p: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind === 'punct' && t.text === p;
  }

  private expectEof(): void {
    if (this.peek().kind !== 'eof') throw this.unexpected();
  }

  private parseQuery(): Query {
    this.expectKeyword('SELECT');
    const select = this.parseSelect();
    this.expectKeyword('FROM');
    const fromTok = this.next();
    if (fromTok.kind !== 'ident' || RESERVED.has(fromTok.text.toUpperCase())) throw this.unexpected(fromTok);
    const query: Query = { select, from: { name: fromTok.text, pos: fromTok.pos }, orderBy: [] };
    if (this.acceptKeyword('WHERE')) query.where = this.parseCondition();
    if (this.acceptKeyword('ORDER')) {
      this.expectKeyword('BY');
      query.orderBy = this.parseOrderBy();
    }
    const limit = this.acceptKeyword('LIMIT');
    if (limit) query.limit = this.parseNonNegativeInt();
    if (this.acceptKeyword('OFFSET')) query.offset = this.parseNonNegativeInt();
    return query;
  }

  private parseNonNegativeInt(): { value: number; pos: number } {
    const t = this.next();
    if (t.kind !== 'number' || !/^\d+$/.test(t.text)) throw this.unexpected(t);
    return { value: Number(t.text), pos: t.pos };
  }

  private parseSelect(): Query['select'] {
    if (this.isKeyword('COUNT') && this.isPunct('(', 1)) {
      const pos = this.next().pos;
      this.next();
      if (!this.isPunct(')')) throw new StandInUnsupported('aggregate COUNT(field) (only COUNT() is supported)');
      this.next();
      return { kind: 'count', pos };
    }
    const fields: FieldPath[] = [];
    do {
      if (this.isPunct('(')) throw new StandInUnsupported('child-relationship sub-queries in SELECT');
      if (this.isKeyword('TYPEOF')) throw new StandInUnsupported('TYPEOF');
      const t = this.peek();
      if (t.kind === 'ident' && this.isPunct('(', 1)) throw new StandInUnsupported(`the function ${t.text}() in SELECT`);
      fields.push(this.parseFieldPath());
    } while (this.isPunct(',') && this.next());
    return { kind: 'fields', fields };
  }

  private parseOrderBy(): OrderItem[] {
    const items: OrderItem[] = [];
    do {
      const field = this.parseFieldPath();
      const item: OrderItem = { field, descending: false };
      if (this.acceptKeyword('DESC')) item.descending = true;
      else this.acceptKeyword('ASC');
      if (this.acceptKeyword('NULLS')) {
        if (this.acceptKeyword('FIRST')) item.nullsFirst = true;
        else if (this.acceptKeyword('LAST')) item.nullsFirst = false;
        else throw this.unexpected();
      }
      items.push(item);
    } while (this.isPunct(',') && this.next());
    return items;
  }

  private parseFieldPath(): FieldPath {
    const first = this.next();
    if (first.kind !== 'ident' || RESERVED.has(first.text.toUpperCase())) throw this.unexpected(first);
    const segments = [first.text];
    while (this.isPunct('.')) {
      this.next();
      const seg = this.next();
      if (seg.kind !== 'ident') throw this.unexpected(seg);
      segments.push(seg.text);
    }
    return { segments, pos: first.pos };
  }

  /** SOQL refuses `a AND b OR c`: a level mixes AND and OR only through parentheses. */
  private parseCondition(): Condition {
    const first = this.parseUnary();
    if (this.isKeyword('AND') || this.isKeyword('OR')) {
      const joiner = this.peek().text.toUpperCase();
      const pos = this.peek().pos;
      const items = [first];
      while (this.isKeyword(joiner)) {
        this.next();
        items.push(this.parseUnary());
      }
      const other = joiner === 'AND' ? 'OR' : 'AND';
      if (this.isKeyword(other)) throw this.unexpected();
      return joiner === 'AND' ? { kind: 'and', items } : { kind: 'or', items, pos };
    }
    return first;
  }

  private parseUnary(): Condition {
    const not = this.acceptKeyword('NOT');
    if (not) return { kind: 'not', item: this.parseUnary(), pos: not.pos };
    if (this.isPunct('(')) {
      this.next();
      const inner = this.parseCondition();
      this.expectPunct(')');
      return inner;
    }
    return this.parseComparison();
  }

  private parseComparison(): Condition {
    const field = this.parseFieldPath();
    const t = this.peek();
    if (t.kind === 'op') {
      this.next();
      const op: CompareOp = t.text === '<>' ? '!=' : (t.text as CompareOp);
      return { kind: 'compare', field, op, value: this.parseLiteral() };
    }
    if (this.acceptKeyword('LIKE')) return { kind: 'like', field, pattern: this.parseLiteral() };
    const negated = this.isKeyword('NOT') && this.isKeyword('IN', 1);
    if (negated) this.next();
    if (this.acceptKeyword('IN')) {
      const open = this.expectPunct('(');
      if (this.isKeyword('SELECT')) {
        const query = this.parseQuery();
        this.expectPunct(')');
        return { kind: 'semiJoin', field, negated, query, pos: open.pos };
      }
      const values: Literal[] = [this.parseLiteral()];
      while (this.isPunct(',')) {
        this.next();
        values.push(this.parseLiteral());
      }
      this.expectPunct(')');
      return { kind: 'in', field, negated, values };
    }
    throw this.unexpected();
  }

  private parseLiteral(): Literal {
    const t = this.next();
    switch (t.kind) {
      case 'string':
        return { kind: 'string', value: t.value as string, like: t.like as RegExp, pos: t.pos };
      case 'number':
        return { kind: 'number', value: Number(t.text), text: t.text, pos: t.pos };
      case 'datetime': {
        const ms = Date.parse(normalizeOffset(t.text));
        if (Number.isNaN(ms)) throw this.unexpected(t);
        return { kind: 'datetime', ms, text: t.text, pos: t.pos };
      }
      case 'date': {
        if (Number.isNaN(Date.parse(`${t.text}T00:00:00Z`))) throw this.unexpected(t);
        return { kind: 'date', value: t.text, pos: t.pos };
      }
      case 'ident': {
        const upper = t.text.toUpperCase();
        if (upper === 'TRUE' || upper === 'FALSE') return { kind: 'boolean', value: upper === 'TRUE', pos: t.pos };
        if (upper === 'NULL') return { kind: 'null', pos: t.pos };
        return this.parseDateLiteral(t);
      }
      default:
        throw this.unexpected(t);
    }
  }

  private parseDateLiteral(t: Token): Literal {
    const name = t.text.toUpperCase();
    if (FIXED_DATE_LITERALS.has(name)) return { kind: 'dateLiteral', name, text: t.text, pos: t.pos };
    if (N_DATE_LITERALS.has(name)) {
      this.expectPunct(':');
      const n = this.next();
      if (n.kind !== 'number' || !/^\d+$/.test(n.text)) throw this.unexpected(n);
      return { kind: 'dateLiteral', name, n: Number(n.text), text: `${t.text}:${n.text}`, pos: t.pos };
    }
    throw this.unexpected(t);
  }
}

export const FIXED_DATE_LITERALS = new Set([
  'TODAY',
  'YESTERDAY',
  'TOMORROW',
  'LAST_WEEK',
  'THIS_WEEK',
  'NEXT_WEEK',
  'LAST_MONTH',
  'THIS_MONTH',
  'NEXT_MONTH',
  'LAST_90_DAYS',
  'NEXT_90_DAYS',
]);
export const N_DATE_LITERALS = new Set(['LAST_N_DAYS', 'NEXT_N_DAYS', 'N_DAYS_AGO']);

/** `+0000` is accepted by Salesforce; Date.parse wants `+00:00`. */
function normalizeOffset(text: string): string {
  return text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
}
