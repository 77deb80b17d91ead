import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { Ec2InstancesSnapshot } from './snapshot.ts';

export const ec2Instances: Collector<Ec2InstancesSnapshot, AwsSession> = {
  id: 'aws.ec2.instances',
  source: 'aws',
  description:
    'EC2 instances (metadata options, public IP, instance profile, monitoring, secret names in user data), EBS volumes, snapshots and encryption by default, and owned machine images',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
