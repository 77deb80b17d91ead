import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { SsmManagedInstancesSnapshot } from './snapshot.ts';

const permissions = [
  'ec2:DescribeInstances',
  'ssm:DescribeInstanceInformation',
  'ssm:DescribeInstancePatchStates',
  'ssm:ListComplianceSummaries',
];

export const ssmManagedInstances: CollectorDefinition<SsmManagedInstancesSnapshot> = {
  id: 'aws.ssm.managed-instances',
  source: 'aws',
  description:
    'Systems Manager: which running instances are managed, agent status, the latest patch state of each, and the compliance summary',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
