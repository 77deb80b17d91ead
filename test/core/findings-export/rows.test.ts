import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { FailedFinding } from '../../../core/archive/findings.ts';
import type { CheckCatalog } from '../../../core/collector.ts';
import {
  archiveFindingRows,
  FINDINGS_COLUMNS,
  findingsCsv,
  requirementsOf,
} from '../../../core/findings-export/rows.ts';
import type { Control } from '../../../core/model.ts';

const control: Control = {
  id: 'IAM-02',
  title: 'Console users sign in with MFA',
  objective: 'MFA for people',
  owner: 'cloud-security',
  type: 'automated',
  checks: ['aws.iam.console-mfa', 'aws.iam.root-mfa'],
  soc2: ['CC6.1', 'CC6.2'],
  iso27001: ['A.8.5'],
  links: [
    { framework: 'soc2', requirement: 'CC6.1', by: ['aws.iam.console-mfa'], rationale: 'MFA at sign-in' },
    { framework: 'soc2', requirement: 'CC6.2', by: ['aws.iam.root-mfa'], rationale: 'root is guarded' },
    { framework: 'iso27001', requirement: 'A.8.5', by: [], rationale: 'secure authentication' },
  ],
};
const checks = new Map([
  ['aws.iam.console-mfa', { remediation: 'Assign an MFA device to each console user.' }],
]) as unknown as CheckCatalog;

const failed: FailedFinding = {
  control: 'IAM-02',
  check: 'aws.iam.console-mfa',
  severity: 'high',
  resource: '=HYPERLINK("http://evil.example","bob")',
  firstFailing: '2026-06-01T10:00:00.000Z',
  lastFailing: '2026-06-02T10:00:00.000Z',
  daysFailing: 2,
  firstReason: '+1 console user without MFA',
  latestReason: '@SUM(A1)',
  exceptions: [],
  lastSeen: 'fail',
  lastSeenAt: '2026-06-02T10:00:00.000Z',
  firstEvidence: '-evidence',
  latestEvidence: '\tevidence',
};

describe('the findings CSV (one writer for `proofline findings` and the archive)', () => {
  it('writes cells that a spreadsheet would run as a formula as text', () => {
    const text = findingsCsv(
      archiveFindingRows([failed], { controls: [control], framework: 'soc2', checks }),
    );
    const [row] = parse(text, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({
      resource: `'=HYPERLINK("http://evil.example","bob")`,
      first_reason: "'+1 console user without MFA",
      latest_reason: "'@SUM(A1)",
      first_evidence: "'-evidence",
      latest_evidence: "'\tevidence",
      days_failing: '2',
    });
  });

  it("maps an archive's failed finding to the one column set, with the fix and the framework's requirements", () => {
    const text = findingsCsv(
      archiveFindingRows([failed], { controls: [control], framework: 'soc2', checks }),
    );
    expect(text.split('\n')[0]).toBe(FINDINGS_COLUMNS.join(','));
    const [row] = parse(text, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({
      control: 'IAM-02',
      first_failing: '2026-06-01T10:00:00.000Z',
      last_failing: '2026-06-02T10:00:00.000Z',
      last_seen: 'fail',
      remediation: 'Assign an MFA device to each console user.',
      requirements: 'soc2:CC6.1',
    });
  });

  it('names the requirements whose link names the check, or names no check', () => {
    expect(requirementsOf(control, 'aws.iam.console-mfa')).toEqual(['soc2:CC6.1', 'iso27001:A.8.5']);
    expect(requirementsOf(control, 'aws.iam.root-mfa')).toEqual(['soc2:CC6.2', 'iso27001:A.8.5']);
    expect(requirementsOf(control, 'aws.iam.root-mfa', 'iso27001')).toEqual(['iso27001:A.8.5']);
  });
});
