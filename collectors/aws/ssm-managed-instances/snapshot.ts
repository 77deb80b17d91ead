/** A running EC2 instance and what Systems Manager knows of it. */
export interface ManagedInstance {
  readonly id: string;
  /** Registered with Systems Manager (appears in DescribeInstanceInformation). */
  readonly managed: boolean;
  /** `Online`, `ConnectionLost`, `Inactive`; null when not managed. */
  readonly pingStatus: string | null;
  readonly lastPingAt: string | null;
  readonly agentVersion: string | null;
  readonly agentIsLatest: boolean | null;
  /** The latest patch scan or install; null when the instance has never reported one. */
  readonly patches: {
    readonly operation: string;
    readonly operationEndTime: string | null;
    readonly missing: number;
    readonly failed: number;
    readonly criticalNonCompliant: number;
    readonly securityNonCompliant: number;
  } | null;
}

export interface ComplianceSummary {
  readonly complianceType: string;
  readonly compliant: number;
  readonly nonCompliant: number;
}

export interface SsmManagedInstancesSnapshot {
  readonly region: string;
  readonly instances: readonly ManagedInstance[];
  /** Per compliance type (Patch, Association, Custom:…), resources compliant and not. */
  readonly complianceSummaries: readonly ComplianceSummary[];
}
