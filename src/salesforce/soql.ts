/**
 * Building SOQL safely. Every value that reaches a statement goes through `literal()`, so text a
 * user typed in Slack can never change the meaning of a query (no string concatenation of input).
 */

const ID = /^[a-zA-Z0-9]{15}(?:[a-zA-Z0-9]{3})?$/;

export function isSalesforceId(value: string): boolean {
  return ID.test(value);
}

/** A SOQL string literal: backslash and quote escaped, control characters escaped or refused. */
export function literal(value: string): string {
  const escaped = value.replace(/[\\'"\n\r\t\b\f]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      case '\b':
        return '\\b';
      case '\f':
        return '\\f';
      default:
        return `\\${c}`;
    }
  });
  return `'${escaped}'`;
}

/** An Id literal; throws for anything that is not a 15/18-character Salesforce id. */
export function idLiteral(id: string): string {
  if (!isSalesforceId(id)) throw new Error(`not a Salesforce id: ${JSON.stringify(id).slice(0, 40)}`);
  return `'${id}'`;
}

export function idList(ids: readonly string[]): string {
  if (ids.length === 0) throw new Error('an IN list needs at least one id');
  return `(${ids.map(idLiteral).join(', ')})`;
}
