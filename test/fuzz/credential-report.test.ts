import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CredentialReportFormatError,
  parseCredentialReport,
  REQUIRED_COLUMNS,
} from '../../collectors/aws/iam-credential-report/parse.ts';

/**
 * The IAM credential report parser on random CSV (seeded): the documented columns in random order with
 * random values, missing or extra columns, quoting and stray bytes. It returns users or throws a
 * CredentialReportFormatError naming what is wrong, never another exception and never a user whose flags it
 * did not read as true or false.
 */
const COLUMNS = REQUIRED_COLUMNS;
const BOOLEAN = new Set(['password_enabled', 'mfa_active', 'access_key_1_active', 'access_key_2_active']);
const noise = fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 12 }));
/** Mostly what the column documents, sometimes anything: most reports parse, every branch is reached. */
const cellOf = (column: string) =>
  fc.oneof(
    {
      weight: 12,
      arbitrary: BOOLEAN.has(column)
        ? fc.constantFrom('true', 'false', 'not_supported')
        : fc.constantFrom(
            'alice',
            'N/A',
            'no_information',
            '2026-01-01T00:00:00+00:00',
            'arn:aws:iam::1:user/a',
          ),
    },
    { weight: 1, arbitrary: noise },
  );
const quote = (text: string) => (/[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
const report = fc
  .record({
    header: fc.oneof(
      fc.shuffledSubarray([...COLUMNS, 'extra'], { minLength: COLUMNS.length + 1 }),
      fc.shuffledSubarray([...COLUMNS, 'extra'], { minLength: 8 }),
    ),
    rows: fc.integer({ min: 0, max: 4 }),
    tail: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, fc.string({ unit: 'binary', maxLength: 20 })),
  })
  .chain(({ header, rows, tail }) =>
    fc
      .array(fc.tuple(...header.map(cellOf)), { minLength: rows, maxLength: rows })
      .map((cells) => [header.join(','), ...cells.map((row) => row.map(quote).join(','))].join('\n') + tail),
  );

describe('fuzz: the credential report parser', () => {
  it('users or one CredentialReportFormatError', () => {
    let parsed = 0;
    fc.assert(
      fc.property(report, (csv) => {
        try {
          const users = parseCredentialReport(csv);
          parsed++;
          for (const u of users) {
            expect(u.user).not.toBe('');
            expect(typeof u.mfaActive).toBe('boolean');
            expect(typeof u.passwordEnabled).toBe('boolean');
          }
        } catch (error) {
          expect(error).toBeInstanceOf(CredentialReportFormatError);
        }
      }),
      { seed: 19, numRuns: 500 },
    );
    expect(parsed).toBeGreaterThan(0);
  });
});
