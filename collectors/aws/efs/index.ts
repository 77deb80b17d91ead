import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { EfsSnapshot } from './snapshot.ts';

const permissions = [
  'elasticfilesystem:DescribeFileSystems',
  'elasticfilesystem:DescribeBackupPolicy',
  'elasticfilesystem:DescribeFileSystemPolicy',
];

export const efs: CollectorDefinition<EfsSnapshot> = {
  id: 'aws.efs',
  source: 'aws',
  description: 'EFS file systems: encryption, automatic backups, file system policy',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
