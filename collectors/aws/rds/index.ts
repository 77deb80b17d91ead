import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { RdsSnapshot } from './snapshot.ts';

export const rds: Collector<RdsSnapshot, AwsSession> = {
  id: 'aws.rds',
  source: 'aws',
  description: 'RDS instances, Aurora clusters, their TLS parameters and manual snapshots',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
