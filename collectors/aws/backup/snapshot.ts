import type { Encryption } from '../customer-keys.ts';
import type { Unknown } from '../unknown.ts';

export interface BackupRuleSnapshot {
  readonly name: string;
  readonly vault: string;
  /** The rule's schedule (`cron(…)`), null for a rule without schedule (continuous backup only). */
  readonly schedule: string | null;
  /** Days recovery points are kept; null when they never expire. */
  readonly deleteAfterDays: number | null;
}

/** What a backup selection assigns: resources by ARN, and tag conditions (key → value, StringEquals only). */
export interface BackupSelectionSnapshot {
  readonly name: string;
  readonly resources: readonly string[];
  readonly tags: readonly { readonly key: string; readonly value: string }[];
}

export interface BackupPlanSnapshot {
  readonly id: string;
  readonly arn: string;
  readonly name: string;
  readonly rules: readonly BackupRuleSnapshot[] | Unknown;
  readonly selections: readonly BackupSelectionSnapshot[] | Unknown;
}

export interface BackupVaultSnapshot extends Encryption {
  readonly name: string;
  readonly arn: string;
  readonly locked: boolean;
  readonly minRetentionDays: number | null;
}

export interface ProtectedResourceSnapshot {
  readonly arn: string;
  readonly type: string;
  readonly lastBackupTime: string | null;
}

export interface RestoreTestingPlanSnapshot {
  readonly name: string;
  readonly arn: string;
  readonly schedule: string;
  readonly lastExecutionTime: string | null;
}

export interface BackupSnapshot {
  readonly plans: readonly BackupPlanSnapshot[];
  readonly vaults: readonly BackupVaultSnapshot[];
  /** Resources with at least one recovery point, and when the latest was taken. */
  readonly protectedResources: readonly ProtectedResourceSnapshot[] | Unknown;
  readonly restoreTestingPlans: readonly RestoreTestingPlanSnapshot[] | Unknown;
}
