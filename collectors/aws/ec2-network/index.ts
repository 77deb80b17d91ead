import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { Ec2NetworkSnapshot } from './snapshot.ts';

export const ec2Network: Collector<Ec2NetworkSnapshot, AwsSession> = {
  id: 'aws.ec2.network',
  source: 'aws',
  description:
    'VPC networking: security groups, network ACLs, VPCs and their flow logs, subnets, and the network interfaces with a public IP (inventory of internet-facing endpoints)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
