import type { Unknown } from '../unknown.ts';

/** A standalone DB instance, an Aurora / Multi-AZ DB cluster, or a member instance of one. */
export interface DatabaseSnapshot {
  readonly kind: 'instance' | 'cluster';
  readonly id: string;
  readonly arn: string;
  readonly engine: string;
  readonly engineVersion: string;
  /** For a member instance: its cluster (storage, backups and deletion protection are the cluster's). */
  readonly clusterId: string | null;
  readonly storageEncrypted: boolean;
  /** Instances only (null for clusters): whether the endpoint resolves to a public address. */
  readonly publiclyAccessible: boolean | null;
  /** Automated backup retention in days; 0 means automated backups are off. */
  readonly backupRetentionDays: number;
  readonly multiAz: boolean;
  /**
   * Instances only (null for clusters, whose Aurora storage grows by itself): allocated storage in GiB and the
   * storage autoscaling ceiling (MaxAllocatedStorage), null when autoscaling is off.
   */
  readonly storage: { readonly allocatedGiB: number; readonly maxGiB: number | null } | null;
  readonly deletionProtection: boolean;
  /** Instances only (null for clusters). */
  readonly autoMinorVersionUpgrade: boolean | null;
  readonly iamAuthentication: boolean;
  /** Log types exported to CloudWatch Logs. */
  readonly logExports: readonly string[];
  /** Key of `parameterGroups` holding the TLS setting: `instance:<name>` or `cluster:<name>`; null when none. */
  readonly parameterGroup: string | null;
  readonly tags: Readonly<Record<string, string>>;
}

/** A manual DB snapshot or DB cluster snapshot. */
export interface DbSnapshotSnapshot {
  readonly kind: 'instance' | 'cluster';
  readonly id: string;
  readonly arn: string;
  readonly encrypted: boolean;
  /** Accounts the snapshot is shared with (`all` = public), or unknown when the attributes could not be read. */
  readonly sharedWith: readonly string[] | Unknown;
}

export interface RdsSnapshot {
  readonly databases: readonly DatabaseSnapshot[];
  readonly snapshots: readonly DbSnapshotSnapshot[];
  /**
   * The TLS parameters (`rds.force_ssl`, `require_secure_transport`) of every parameter group in use, by
   * `instance:<name>` / `cluster:<name>`; a parameter the group does not define is absent; unknown when the
   * group could not be read.
   */
  readonly parameterGroups: Readonly<Record<string, Readonly<Record<string, string>> | Unknown>>;
}
