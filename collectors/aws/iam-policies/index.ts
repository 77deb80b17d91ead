import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { IamPoliciesSnapshot } from './snapshot.ts';

export const iamPolicies: Collector<IamPoliciesSnapshot, AwsSession> = {
  id: 'aws.iam.policies',
  source: 'aws',
  description:
    'IAM users, groups and roles with their policies, role trust policies and last use, and customer-managed policy documents',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
