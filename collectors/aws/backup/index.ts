import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { BackupSnapshot } from './snapshot.ts';

export const backup: Collector<BackupSnapshot, AwsSession> = {
  id: 'aws.backup',
  source: 'aws',
  description: 'AWS Backup plans, selections, vaults, protected resources and restore testing plans',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
