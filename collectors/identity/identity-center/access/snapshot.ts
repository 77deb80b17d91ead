export interface IdentityCenterUser {
  readonly userId: string;
  readonly userName: string;
  readonly displayName: string | null;
  /** E-mail addresses, the primary one first. */
  readonly emails: readonly string[];
}

export interface IdentityCenterGroup {
  readonly groupId: string;
  readonly displayName: string;
  readonly memberUserIds: readonly string[];
}

export interface IdentityCenterPermissionSet {
  readonly arn: string;
  readonly name: string;
  /** ISO 8601 duration, e.g. PT1H. */
  readonly sessionDuration: string | null;
  readonly managedPolicies: readonly string[];
  readonly customerManagedPolicies: readonly string[];
  /** The inline policy document, parsed; null when there is none. */
  readonly inlinePolicy: unknown;
}

export interface IdentityCenterAssignment {
  readonly accountId: string;
  readonly permissionSetArn: string;
  readonly principalType: 'USER' | 'GROUP';
  readonly principalId: string;
}

export interface IdentityCenterSnapshot {
  readonly instanceArn: string;
  readonly identityStoreId: string;
  readonly users: readonly IdentityCenterUser[];
  readonly groups: readonly IdentityCenterGroup[];
  readonly permissionSets: readonly IdentityCenterPermissionSet[];
  readonly assignments: readonly IdentityCenterAssignment[];
}
