import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvText } from '../../core/csv.ts';

/** What csvText promises, as csv-stringify writes it with the same options. */
const reference = (header: readonly string[], rows: readonly (readonly unknown[])[]) =>
  stringify([header, ...rows], {
    eof: true,
    record_delimiter: 'unix',
    escape_formulas: true,
    quoted_match: /\r/,
  });

const cell = fc.oneof(
  fc.string(),
  fc.constantFrom(
    '=1+1',
    '+x',
    '-y',
    '@z',
    '\tt',
    '\rr',
    '＝a',
    '＋b',
    '－c',
    '＠d',
    'a,b',
    'say "hi"',
    'a\nb',
    '',
  ),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double({ noNaN: false }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.date({ noInvalidDate: true }),
);

describe('csvText', () => {
  it('writes what csv-stringify writes with escape_formulas, for any row of strings, numbers and values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { maxLength: 4 }),
        fc.array(fc.array(cell, { maxLength: 6 }), { maxLength: 8 }),
        (header, rows) => {
          expect(csvText(header, rows)).toBe(reference(header, rows));
        },
      ),
      { seed: 19, numRuns: 2000 },
    );
  });

  it('escapes formulas in text but writes negative numbers as numbers', () => {
    expect(csvText(['a', 'b', 'c'], [['=SUM(A1)', -5, '-5']])).toBe("a,b,c\n'=SUM(A1),-5,'-5\n");
    expect(csvText(['q'], [['say "hi", then go']])).toBe('q\n"say ""hi"", then go"\n');
    // A carriage return inside a cell is quoted: bare, some readers end the row there.
    expect(csvText(['q'], [['a\rb']])).toBe('q\n"a\rb"\n');
  });
});
