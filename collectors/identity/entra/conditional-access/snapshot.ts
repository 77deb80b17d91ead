export interface ConditionalAccessPolicy {
  readonly id: string;
  readonly displayName: string;
  /** enabled, disabled or enabledForReportingButNotEnforced (report-only). */
  readonly state: string;
  readonly includeUsers: readonly string[];
  readonly excludeUsers: readonly string[];
  readonly includeGroups: readonly string[];
  readonly excludeGroups: readonly string[];
  readonly includeRoles: readonly string[];
  readonly excludeRoles: readonly string[];
  readonly includeApplications: readonly string[];
  readonly excludeApplications: readonly string[];
  /** AND or OR; null when the policy only blocks or has no grant controls. */
  readonly grantOperator: string | null;
  readonly builtInControls: readonly string[];
  /**
   * Custom controls and terms of use the grant names: with operator OR each is a way in without MFA. Absent
   * in snapshots taken before they were recorded.
   */
  readonly customAuthenticationFactors?: readonly string[];
  readonly termsOfUse?: readonly string[];
  readonly authenticationStrength: string | null;
  /**
   * What the authentication strength satisfies, as Graph states it (`requirementsSatisfied`: `mfa`, or `none`
   * for a custom strength that admits a single factor); null without a strength. Absent in snapshots taken
   * before it was recorded.
   */
  readonly authenticationStrengthSatisfies?: string | null;
}

export interface ConditionalAccessSnapshot {
  readonly tenantId: string;
  readonly policies: readonly ConditionalAccessPolicy[];
}
