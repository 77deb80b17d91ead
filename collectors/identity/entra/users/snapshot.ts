export interface EntraUser {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly mail: string | null;
  readonly displayName: string | null;
  readonly accountEnabled: boolean;
  /** Member or Guest. */
  readonly userType: string;
  /** Null where Graph has none (some users created or synced before June 2018). */
  readonly createdDateTime: string | null;
  /** The later of the last interactive and non-interactive sign-in; null when never (or not reported). */
  readonly lastSignIn: string | null;
  /**
   * From the authentication-methods registration report; null when the report has no row for the user (it
   * has none for disabled users).
   */
  readonly mfaCapable: boolean | null;
  readonly mfaRegistered: boolean | null;
  readonly methodsRegistered: readonly string[] | null;
  /**
   * Directory roles the user holds tenant-wide, directly or through a role-assignable group (`viaGroup`, its
   * id): active, or eligible through PIM (`eligible`: activated on demand; a role also active is listed once).
   */
  readonly directoryRoles: readonly {
    readonly roleTemplateId: string;
    readonly displayName: string;
    readonly viaGroup?: string;
    readonly eligible?: true;
  }[];
}

export interface EntraUsersSnapshot {
  readonly tenantId: string;
  readonly users: readonly EntraUser[];
  /**
   * PIM role eligibilities: `read`, or `unlicensed` when Graph answered that the tenant has no Entra ID P2 or
   * Governance licence (so no role is held eligibly). Absent in snapshots taken before they were read, whose
   * roles are the active ones only.
   */
  readonly roleEligibilities?: 'read' | 'unlicensed';
}
