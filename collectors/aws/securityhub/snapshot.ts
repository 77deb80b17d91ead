import type { OpenFinding } from '../shared/open-findings.ts';
import type { Known } from '../unknown.ts';

export interface HubSnapshot {
  readonly arn: string;
  readonly subscribedAt: string | null;
  readonly autoEnableControls: boolean;
}

export interface StandardSnapshot {
  readonly arn: string;
  /** PENDING, READY, FAILED, DELETING, INCOMPLETE. */
  readonly status: string;
}

export interface SecurityHubSnapshot {
  /** null: Security Hub is not enabled in the region. */
  readonly hub: HubSnapshot | null;
  readonly standards: Known<readonly StandardSnapshot[]>;
  /** Active, failed (compliance) findings of severity CRITICAL or HIGH, in workflow NEW or NOTIFIED. */
  readonly failedFindings: Known<readonly OpenFinding[]>;
}
