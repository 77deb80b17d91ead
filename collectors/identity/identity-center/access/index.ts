import type { CollectorDefinition } from '../../../../core/collector.ts';
import { checks } from './checks.ts';
import type { IdentityCenterSnapshot } from './snapshot.ts';

const permissions = [
  'sso:ListInstances',
  'sso:ListPermissionSets',
  'sso:DescribePermissionSet',
  'sso:ListManagedPoliciesInPermissionSet',
  'sso:ListCustomerManagedPolicyReferencesInPermissionSet',
  'sso:GetInlinePolicyForPermissionSet',
  'sso:ListAccountAssignmentsForPrincipal',
  'identitystore:ListUsers',
  'identitystore:ListGroups',
  'identitystore:ListGroupMemberships',
];

export const identityCenterAccess: CollectorDefinition<IdentityCenterSnapshot> = {
  id: 'identity-center.access',
  source: 'identity-center',
  description:
    'IAM Identity Center users, groups and memberships, permission sets (with their policies) and account assignments',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
