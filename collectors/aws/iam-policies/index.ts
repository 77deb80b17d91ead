import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { IamPoliciesSnapshot } from './snapshot.ts';

const permissions = ['iam:GetAccountAuthorizationDetails'];

export const iamPolicies: CollectorDefinition<IamPoliciesSnapshot> = {
  id: 'aws.iam.policies',
  source: 'aws',
  description:
    'IAM users, groups and roles with their policies, role trust policies and last use, and customer-managed policy documents',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
