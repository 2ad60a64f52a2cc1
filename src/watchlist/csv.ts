/**
 * CSV as RFC 4180 writes it (comma-separated, CRLF line ends, a field quoted when it holds a
 * comma, a quote or a line break, quotes doubled inside), made safe to open in a spreadsheet: a
 * field that a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a
 * carriage return, possibly after spaces, or their full-width forms) gets a leading `'`, which
 * spreadsheets read as "this is text". Scraped titles are untrusted, so this applies to every
 * field.
 */

const FORMULA_START = /^(?:[\s\u00a0\u3000]*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]|[\t\r])/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One field, defused and quoted as needed; null and undefined are empty fields. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let v = String(value);
  if (FORMULA_START.test(v)) v = `'${v}`;
  return NEEDS_QUOTES.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** One record, with its CRLF. */
export function csvRecord(fields: ReadonlyArray<string | number | null | undefined>): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * A whole document: the header record, then the rows. It starts with a byte-order mark so that
 * spreadsheets read it as UTF-8 (titles in German or Japanese would turn to mojibake otherwise).
 */
export function csvDocument(
  header: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number | null | undefined>>,
): string {
  return `\ufeff${csvRecord(header)}${rows.map(csvRecord).join('')}`;
}
