import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { RdsSnapshot } from './snapshot.ts';

const permissions = [
  'rds:DescribeDBInstances',
  'rds:DescribeDBClusters',
  'rds:DescribeDBSnapshots',
  'rds:DescribeDBClusterSnapshots',
  'rds:DescribeDBSnapshotAttributes',
  'rds:DescribeDBClusterSnapshotAttributes',
  'rds:DescribeDBParameters',
  'rds:DescribeDBClusterParameters',
];

export const rds: CollectorDefinition<RdsSnapshot> = {
  id: 'aws.rds',
  source: 'aws',
  description: 'RDS instances, Aurora clusters, their TLS parameters and manual snapshots',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
