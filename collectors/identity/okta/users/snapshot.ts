/** An Okta user as the checks and the access review need it. Dates are ISO 8601; null when never. */
export interface OktaUser {
  readonly id: string;
  readonly login: string;
  readonly email: string | null;
  /** ACTIVE, STAGED, PROVISIONED, RECOVERY, PASSWORD_EXPIRED, LOCKED_OUT, SUSPENDED or DEPROVISIONED. */
  readonly status: string;
  readonly created: string | null;
  readonly lastLogin: string | null;
  readonly statusChanged: string | null;
  /** Enrolled factors (not collected for deactivated users: Okta resets them on deactivation). */
  readonly factors: readonly {
    readonly factorType: string;
    readonly provider: string;
    readonly status: string;
  }[];
  /** Admin roles assigned to the user directly or through a group. */
  readonly adminRoles: readonly string[];
  /** Apps still assigned to a deactivated or suspended user (collected only for those). */
  readonly assignedApps: readonly { readonly id: string; readonly label: string; readonly status: string }[];
}

export interface OktaUsersSnapshot {
  readonly orgUrl: string;
  readonly users: readonly OktaUser[];
}

export const INACTIVE_USER_STATUSES = ['DEPROVISIONED', 'SUSPENDED'] as const;
export const isDeactivated = (u: OktaUser) =>
  (INACTIVE_USER_STATUSES as readonly string[]).includes(u.status);
