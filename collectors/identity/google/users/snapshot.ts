export interface GoogleUser {
  readonly id: string;
  readonly primaryEmail: string;
  readonly suspended: boolean;
  readonly archived: boolean;
  /** Super administrator. */
  readonly isAdmin: boolean;
  readonly isDelegatedAdmin: boolean;
  readonly isEnrolledIn2Sv: boolean;
  readonly isEnforcedIn2Sv: boolean;
  /** null when the user never signed in (Google reports 1970-01-01). */
  readonly lastLoginTime: string | null;
  readonly creationTime: string | null;
}

export interface GoogleUsersSnapshot {
  readonly customer: string;
  readonly users: readonly GoogleUser[];
}
