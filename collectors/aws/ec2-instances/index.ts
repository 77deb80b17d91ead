import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { Ec2InstancesSnapshot } from './snapshot.ts';

const permissions = [
  'ec2:DescribeInstances',
  'ec2:DescribeInstanceAttribute',
  'ec2:DescribeVolumes',
  'ec2:DescribeSnapshots',
  'ec2:DescribeSnapshotAttribute',
  'ec2:DescribeImages',
  'ec2:GetEbsEncryptionByDefault',
];

export const ec2Instances: CollectorDefinition<Ec2InstancesSnapshot> = {
  id: 'aws.ec2.instances',
  source: 'aws',
  description:
    'EC2 instances (metadata options, public IP, instance profile, monitoring, secret names in user data), EBS volumes, snapshots and encryption by default, and owned machine images',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
