import type { OrganizationInfo } from '../organization.ts';
import type { StatementSnapshot } from '../shared/policy-document.ts';
import type { Known } from '../unknown.ts';

export interface ScpSnapshot {
  readonly id: string;
  readonly name: string;
  readonly awsManaged: boolean;
  /** Roots, OUs and accounts the policy is attached to (ids). */
  readonly targets: readonly string[];
  readonly statements: readonly StatementSnapshot[];
}

export interface OrganizationsSnapshot {
  /** null: the account is not in an organization. */
  readonly organization: OrganizationInfo | null;
  /** The service control policies; unknown where the account may not read them (a member account). */
  readonly scps: Known<readonly ScpSnapshot[]>;
}
