import { malformed } from './errors';

export type TokenKind = 'ident' | 'string' | 'number' | 'datetime' | 'date' | 'op' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Source text of the token (for strings: including the quotes). */
  text: string;
  /** Offset in the query, for Salesforce's "ERROR at Row:…:Column:…" messages. */
  pos: number;
  /** Strings: the unescaped value. */
  value?: string;
  /** Strings: the value as a LIKE pattern, where `\%` and `\_` stay literal and `%`/`_` are wildcards. */
  like?: RegExp;
}

// Salesforce accepts both cases of the letter escapes (documented list for SOQL string literals).
const ESCAPES: Record<string, string> = {
  n: '\n',
  N: '\n',
  r: '\r',
  R: '\r',
  t: '\t',
  T: '\t',
  b: '\b',
  B: '\b',
  f: '\f',
  F: '\f',
  '"': '"',
  "'": "'",
  '\\': '\\',
};

const DATETIME = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})/y;
const DATE = /\d{4}-\d{2}-\d{2}/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function tokenize(soql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const sticky = (re: RegExp): string | undefined => {
    re.lastIndex = i;
    return re.exec(soql)?.[0];
  };
  while (i < soql.length) {
    const c = soql[i] as string;
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if (c === "'") {
      tokens.push(readString(soql, i));
      i += (tokens[tokens.length - 1] as Token).text.length;
      continue;
    }
    const two = soql.slice(i, i + 2);
    if (two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two, pos: i });
      i += 2;
      continue;
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', text: c, pos: i });
      i += 1;
      continue;
    }
    if ('(),.:'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, pos: i });
      i += 1;
      continue;
    }
    if (/[0-9-]/.test(c)) {
      const dt = sticky(DATETIME);
      const d = dt ? undefined : sticky(DATE);
      const n = dt || d ? undefined : sticky(NUMBER);
      const text = dt ?? d ?? n;
      if (text) {
        tokens.push({ kind: dt ? 'datetime' : d ? 'date' : 'number', text, pos: i });
        i += text.length;
        continue;
      }
    }
    const id = sticky(IDENT);
    if (id) {
      tokens.push({ kind: 'ident', text: id, pos: i });
      i += id.length;
      continue;
    }
    throw malformed(soql, i, `unexpected token: '${c}'`);
  }
  tokens.push({ kind: 'eof', text: '<EOF>', pos: soql.length });
  return tokens;
}

function readString(soql: string, start: number): Token {
  let value = '';
  let like = '';
  let i = start + 1;
  while (i < soql.length) {
    const c = soql[i] as string;
    if (c === "'") {
      return {
        kind: 'string',
        text: soql.slice(start, i + 1),
        pos: start,
        value,
        like: new RegExp(`^${like}$`, 'is'),
      };
    }
    if (c === '\\') {
      const e = soql[i + 1];
      if (e === '_' || e === '%') {
        value += e;
        like += escapeRegExp(e);
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        value += ESCAPES[e];
        like += escapeRegExp(ESCAPES[e]);
      } else {
        const close = soql.indexOf("'", i + 2);
        const literal = soql.slice(start + 1, close === -1 ? undefined : close);
        throw malformed(soql, start, `Invalid string literal '${literal}'. Illegal character sequence '\\${e ?? ''}' in string literal.`);
      }
      i += 2;
      continue;
    }
    value += c;
    like += c === '%' ? '.*' : c === '_' ? '.' : escapeRegExp(c);
    i += 1;
  }
  throw malformed(soql, start, `unexpected token: '${soql.slice(start)}'`);
}
