/** Analyzer types that report access from outside the zone of trust. */
export const EXTERNAL_ACCESS = ['ACCOUNT', 'ORGANIZATION'];

export interface AnalyzerSnapshot {
  readonly name: string;
  readonly arn: string;
  /** ACCOUNT or ORGANIZATION (external access); ACCOUNT_UNUSED_ACCESS, … (unused access). */
  readonly type: string;
  /** ACTIVE, CREATING, DISABLED, FAILED. */
  readonly status: string;
}

/** An active external-access finding: the resource shared outside the zone of trust, without the policy body. */
export interface ExternalAccessSnapshot {
  readonly id: string;
  readonly analyzer: string;
  readonly resource: string;
  readonly resourceType: string;
  readonly isPublic: boolean;
  readonly createdAt: string;
}

export interface AccessAnalyzerSnapshot {
  readonly analyzers: readonly AnalyzerSnapshot[];
  readonly findings: readonly ExternalAccessSnapshot[];
}
