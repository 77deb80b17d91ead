import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { OrganizationsSnapshot } from './snapshot.ts';

const permissions = [
  'organizations:DescribeOrganization',
  'organizations:ListPolicies',
  'organizations:DescribePolicy',
  'organizations:ListTargetsForPolicy',
];

export const organizationPolicies: CollectorDefinition<OrganizationsSnapshot> = {
  id: 'aws.organizations',
  source: 'aws',
  description: 'The AWS Organization (feature set) and its service control policies with their targets',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
