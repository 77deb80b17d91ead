import type { OpenFinding } from '../shared/open-findings.ts';
import type { Known } from '../unknown.ts';

export interface Inspector2Snapshot {
  /** The account's Inspector status (ENABLED, ENABLING, DISABLED, SUSPENDED, …). */
  readonly status: string;
  /** Scanning status by resource type: ec2, ecr, lambda, lambdaCode → ENABLED, DISABLED, … */
  readonly resourceTypes: Readonly<Record<string, string>>;
  /** Active findings of severity CRITICAL. */
  readonly criticalFindings: Known<readonly OpenFinding[]>;
}
