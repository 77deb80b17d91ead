import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { OrganizationsSnapshot } from './snapshot.ts';

export const organizationPolicies: Collector<OrganizationsSnapshot, AwsSession> = {
  id: 'aws.organizations',
  source: 'aws',
  description: 'The AWS Organization (feature set) and its service control policies with their targets',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
