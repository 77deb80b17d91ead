import type { StatementSnapshot } from '../shared/policy-document.ts';

/** A customer-managed policy (its default version) or an inline policy of a user, group or role. */
export interface PolicySnapshot {
  /** The managed policy ARN, or `<principal ARN>/inline/<name>` for an inline policy. */
  readonly id: string;
  readonly name: string;
  readonly kind: 'managed' | 'inline';
  /** Users, groups and roles (ARNs) the policy applies to. */
  readonly attachedTo: readonly string[];
  readonly statements: readonly StatementSnapshot[];
}

export interface PrincipalSnapshot {
  readonly name: string;
  readonly arn: string;
  /** ARNs of the managed policies attached directly. */
  readonly attachedPolicies: readonly string[];
  readonly inlinePolicies: readonly string[];
}

export interface UserSnapshot extends PrincipalSnapshot {
  readonly groups: readonly string[];
}

export interface RoleSnapshot extends PrincipalSnapshot {
  readonly path: string;
  readonly createdAt: string;
  /** When the role was last used (IAM tracks the last 400 days); null: never, in that window. */
  readonly lastUsedAt: string | null;
  readonly trust: readonly StatementSnapshot[];
}

export interface IamPoliciesSnapshot {
  readonly users: readonly UserSnapshot[];
  readonly groups: readonly PrincipalSnapshot[];
  readonly roles: readonly RoleSnapshot[];
  readonly policies: readonly PolicySnapshot[];
}
