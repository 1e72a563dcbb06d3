/**
 * A SOQL failure in the shape Salesforce reports it: the REST layer turns it into
 * `[{"message": …, "errorCode": …}]` with HTTP 400 (403 for access errors).
 */
export class SoqlError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'SoqlError';
  }
}

/**
 * Salesforce prefixes query errors with the offending line, a caret and a 1-based position:
 * "\nSELECT Foo FROM AuthSession\n       ^\nERROR at Row:1:Column:8\n<text>".
 */
export function positioned(soql: string, offset: number, text: string): string {
  const before = soql.slice(0, offset);
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const lineEnd = soql.indexOf('\n', offset);
  const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const column = offset - lineStart + 1;
  return `\n${line}\n${' '.repeat(column - 1)}^\nERROR at Row:${row}:Column:${column}\n${text}`;
}

export function soqlError(errorCode: string, soql: string, offset: number, text: string): SoqlError {
  return new SoqlError(errorCode, positioned(soql, offset, text));
}

export const malformed = (soql: string, offset: number, text: string): SoqlError => soqlError('MALFORMED_QUERY', soql, offset, text);
