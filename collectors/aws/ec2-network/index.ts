import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { Ec2NetworkSnapshot } from './snapshot.ts';

const permissions = [
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeNetworkAcls',
  'ec2:DescribeVpcs',
  'ec2:DescribeFlowLogs',
  'ec2:DescribeSubnets',
  'ec2:DescribeNetworkInterfaces',
];

export const ec2Network: CollectorDefinition<Ec2NetworkSnapshot> = {
  id: 'aws.ec2.network',
  source: 'aws',
  description:
    'VPC networking: security groups, network ACLs, VPCs and their flow logs, subnets, and the network interfaces with a public IP (inventory of internet-facing endpoints)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
