import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { EfsSnapshot } from './snapshot.ts';

export const efs: Collector<EfsSnapshot, AwsSession> = {
  id: 'aws.efs',
  source: 'aws',
  description: 'EFS file systems: encryption, automatic backups, file system policy',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
