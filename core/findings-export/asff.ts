import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { sha256Hex } from '../canonical.ts';
import type { CheckCatalog } from '../collector.ts';
import type { Control, FindingStatus, Severity } from '../model.ts';
import type { FindingRow } from './rows.ts';

/** The ASFF version Security Hub's BatchImportFindings takes. */
export const ASFF_SCHEMA_VERSION = '2018-10-08';
const TYPES = ['Software and Configuration Checks/Industry and Regulatory Standards'];
const LABEL: Record<Severity, NonNullable<AwsSecurityFinding['Severity']>['Label']> = {
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};
const COMPLIANCE: Record<FindingStatus, 'PASSED' | 'FAILED' | 'NOT_AVAILABLE'> = {
  pass: 'PASSED',
  fail: 'FAILED',
  not_applicable: 'NOT_AVAILABLE',
};
const FRAMEWORK_LABEL: Record<string, string> = { soc2: 'SOC 2', iso27001: 'ISO 27001:2022' };

/**
 * The finding id of one control's check on one resource: the same for every import, so Security Hub updates
 * the finding instead of adding another (the alert channel and `proofline findings` share it).
 */
export const asffId = (control: string, check: string, resource: string): string =>
  `proofline/${control}/${sha256Hex(`${check}\u0000${resource}`).slice(0, 32)}`;

/** Requirement ids (`soc2:CC6.1`) as Security Hub shows them (`SOC 2 CC6.1`), at most the 32 it takes. */
export const relatedRequirements = (requirements: readonly string[]): string[] =>
  requirements
    .map((r) => {
      const [framework = '', id = ''] = r.split(/:(.*)/);
      return `${FRAMEWORK_LABEL[framework] ?? framework} ${id}`;
    })
    .slice(0, 32);

/** Where Security Hub is told the findings come from: the importing account's default product. */
export interface AsffTarget {
  /** The account that calls BatchImportFindings: Security Hub requires it as every finding's AwsAccountId. */
  readonly accountId: string;
  readonly region: string;
}

/**
 * Findings in the AWS Security Finding Format, valid for BatchImportFindings (at most 100 a call): failing
 * ones ACTIVE and NEW (SUPPRESSED when an exception covers them), passing and not applicable ones ARCHIVED.
 */
export function asffFindings(
  rows: readonly FindingRow[],
  context: {
    readonly controls: readonly Control[];
    readonly checks: CheckCatalog;
    readonly target: AsffTarget;
  },
): AwsSecurityFinding[] {
  const { accountId, region } = context.target;
  const controls = new Map(context.controls.map((c) => [c.id, c]));
  return rows.map((r) => {
    const failing = r.lastSeen === 'fail';
    const label = failing && r.severity ? LABEL[r.severity] : 'INFORMATIONAL';
    const control = controls.get(r.control);
    const title = context.checks.get(r.check)?.title ?? r.check;
    return {
      SchemaVersion: ASFF_SCHEMA_VERSION,
      Id: asffId(r.control, r.check, r.resource),
      ProductArn: `arn:aws:securityhub:${region}:${accountId}:product/${accountId}/default`,
      ProductName: 'Proofline',
      CompanyName: 'Proofline',
      GeneratorId: r.check,
      AwsAccountId: accountId,
      Types: TYPES,
      CreatedAt: r.history?.firstFailing ?? r.lastSeenAt,
      UpdatedAt: r.lastSeenAt,
      Severity: { Label: label, ...(r.severity ? { Original: r.severity } : {}) },
      FindingProviderFields: {
        Severity: { Label: label, ...(r.severity ? { Original: r.severity } : {}) },
        Types: TYPES,
      },
      Title: `${r.control} ${title}`.slice(0, 256),
      Description: (r.latestReason || `${r.resource}: ${r.lastSeen} (${r.check})`).slice(0, 1024),
      ...(r.remediation ? { Remediation: { Recommendation: { Text: r.remediation.slice(0, 512) } } } : {}),
      Resources: [{ Type: 'Other', Id: r.resource }],
      Compliance: {
        Status: COMPLIANCE[r.lastSeen],
        RelatedRequirements: relatedRequirements(r.requirements),
      },
      Workflow: { Status: !failing ? 'RESOLVED' : r.exceptions.length ? 'SUPPRESSED' : 'NEW' },
      RecordState: failing ? 'ACTIVE' : 'ARCHIVED',
      ProductFields: {
        'proofline/control': r.control,
        ...(control ? { 'proofline/owner': control.owner } : {}),
        'proofline/evidence': r.latestEvidence,
        ...(r.exceptions.length ? { 'proofline/exceptions': r.exceptions.join(' ') } : {}),
      },
    };
  });
}
