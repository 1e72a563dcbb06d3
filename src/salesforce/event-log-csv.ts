/**
 * Event log file bodies are RFC 4180 CSV with a header line; Salesforce quotes every value and
 * doubles quotes inside. Columns are read by name: the documented set per event type grows between
 * releases and the order is not promised.
 */
export function parseEventLogCsv(text: string): Array<Record<string, string>> {
  const rows = parseCsv(text);
  const header = rows.shift();
  if (!header) return [];
  return rows
    .filter((r) => !(r.length === 1 && r[0] === ''))
    .map((r) => {
      const out: Record<string, string> = {};
      header.forEach((h, i) => {
        out[h] = r[i] ?? '';
      });
      return out;
    });
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 1;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Event log timestamps: TIMESTAMP_DERIVED is ISO-8601 (`2026-12-07T10:00:00.123Z`); the older
 * TIMESTAMP column is `yyyyMMddHHmmss.SSS` in GMT. Null when neither parses.
 */
export function eventLogTime(line: Record<string, string>): Date | null {
  const derived = line.TIMESTAMP_DERIVED;
  if (derived) {
    const d = new Date(derived);
    if (!Number.isNaN(d.getTime())) return d;
  }
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d{1,3}))?$/.exec(line.TIMESTAMP ?? '');
  if (!m) return null;
  const [, y, mo, d, h, mi, s, ms] = m;
  return new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number((ms ?? '0').padEnd(3, '0'))));
}
