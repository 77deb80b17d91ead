/**
 * The one CSV writer of reports and archives: RFC 4180 quoting, `\n` line ends, a header row, and a cell that
 * starts with = + - @ tab or CR (or their full-width forms) prefixed with `'`, so a spreadsheet shows it as text
 * instead of running it as a formula (CSV injection). Numbers are written as numbers, negative ones included;
 * true is `1`, false and missing values are empty, a date is its epoch milliseconds and any other object its
 * JSON. (The rules of csv-stringify with `escape_formulas` and a CR quoted, written out: an archive's tables run to tens of
 * megabytes, and a cell here costs a few string tests.)
 */
export const csvText = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  csvLines(header, rows).join('');

/**
 * The same table as its lines, each ending in `\n`: what an archive writes, encoding line by line (joining
 * tens of megabytes of lines into one string first costs more than the encoding).
 */
export function csvLines(header: readonly string[], rows: readonly (readonly unknown[])[]): string[] {
  const lines = [csvLine(header)];
  for (const row of rows) lines.push(csvLine(row));
  return lines;
}

/**
 * A row and its line feed as one flat string: a join copies the cells into one string, where `+=` would leave a
 * rope that is slow to encode.
 */
function csvLine(row: readonly unknown[]): string {
  const cells = row.map(csvCell);
  if (cells.length === 0) return '\n';
  cells[cells.length - 1] += '\n';
  return cells.join(',');
}

const FORMULA_START = new Set(['=', '+', '-', '@', '\t', '\r', '\uFF1D', '\uFF0B', '\uFF0D', '\uFF20']);

/**
 * A quote, comma, line feed or carriage return: a CR left bare splits the row in readers that end lines on it.
 * (Four `includes`, each a fast scan, cost a fraction of one regular expression over a cell of many kB.)
 */
const needsQuotes = (text: string) =>
  text.includes(',') || text.includes('"') || text.includes('\n') || text.includes('\r');

function cellText(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
      return `${value}`;
    case 'boolean':
      return value ? '1' : '';
    case 'object':
      if (value === null) return '';
      return value instanceof Date ? `${value.getTime()}` : (JSON.stringify(value) ?? '');
    default:
      return '';
  }
}

function csvCell(value: unknown): string {
  let text = cellText(value);
  if (text === '') return '';
  const numeric = typeof value === 'number' || typeof value === 'bigint';
  if (FORMULA_START.has(text[0]!) && !(numeric && text[0] === '-')) text = `'${text}`;
  return needsQuotes(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
