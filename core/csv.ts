import { stringify } from 'csv-stringify/sync';

/**
 * The one CSV writer of reports and archives: RFC 4180 quoting, `\n` line ends, a header row, and a cell that
 * starts with = + - @ tab or CR prefixed with `'`, so a spreadsheet shows it as text instead of running it as a
 * formula (CSV injection). Numbers are written as numbers, negative ones included.
 */
export const csvText = (header: readonly string[], rows: readonly (readonly unknown[])[]): string =>
  stringify([header, ...rows], { eof: true, record_delimiter: 'unix', escape_formulas: true });
