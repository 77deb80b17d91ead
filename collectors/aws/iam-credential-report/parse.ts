import { parse } from 'csv-parse/sync';
import { ProoflineError } from '../../../core/errors.ts';
import type { AccessKeyInfo, CredentialReportUser } from './snapshot.ts';

/** The columns the parser reads; the report has more. */
export const REQUIRED_COLUMNS = [
  'user',
  'arn',
  'user_creation_time',
  'password_enabled',
  'password_last_used',
  'password_last_changed',
  'mfa_active',
  'access_key_1_active',
  'access_key_1_last_rotated',
  'access_key_1_last_used_date',
  'access_key_2_active',
  'access_key_2_last_rotated',
  'access_key_2_last_used_date',
] as const;

export class CredentialReportFormatError extends ProoflineError {
  override name = 'CredentialReportFormatError';
  override readonly userFixable = false;
}

const EMPTY = new Set(['N/A', 'no_information', 'not_supported', '']);
const optional = (value: string | undefined): string | null =>
  value === undefined || EMPTY.has(value) ? null : value;

function bool(value: string | undefined, column: string, line: number): boolean {
  if (value === 'true') return true;
  if (value === 'false' || value === 'not_supported') return false;
  throw new CredentialReportFormatError(
    `line ${line}: column ${column} is "${value}", expected true or false`,
  );
}

/** Parses the IAM credential report CSV; malformed input fails with the line and column at fault. */
export function parseCredentialReport(csv: string): CredentialReportUser[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(csv, { columns: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new CredentialReportFormatError(`credential report is not valid CSV: ${(error as Error).message}`);
  }
  const header = Object.keys(rows[0] ?? {});
  if (rows.length === 0)
    throw new CredentialReportFormatError('credential report has no rows (the root row is always present)');
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (missing.length > 0)
    throw new CredentialReportFormatError(`credential report lacks columns: ${missing.join(', ')}`);
  return rows.map((row, index) => {
    const line = index + 2;
    if (!row.user || !row.arn) throw new CredentialReportFormatError(`line ${line}: user or arn is empty`);
    const key = (slot: 1 | 2): AccessKeyInfo => ({
      slot,
      active: bool(row[`access_key_${slot}_active`], `access_key_${slot}_active`, line),
      lastRotated: optional(row[`access_key_${slot}_last_rotated`]),
      lastUsed: optional(row[`access_key_${slot}_last_used_date`]),
    });
    return {
      user: row.user,
      arn: row.arn,
      userCreationTime: row.user_creation_time ?? '',
      passwordEnabled: bool(row.password_enabled, 'password_enabled', line),
      passwordLastUsed: optional(row.password_last_used),
      passwordLastChanged: optional(row.password_last_changed),
      mfaActive: bool(row.mfa_active, 'mfa_active', line),
      accessKeys: [key(1), key(2)],
    };
  });
}
