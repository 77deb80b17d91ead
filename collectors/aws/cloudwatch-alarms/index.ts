import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { CloudWatchAlarmsSnapshot } from './snapshot.ts';

export const cloudWatchAlarms: Collector<CloudWatchAlarmsSnapshot, AwsSession> = {
  id: 'aws.cloudwatch.alarms',
  source: 'aws',
  description:
    'CIS monitoring metric filters and alarms on the trail log groups, and retention and encryption of every log group',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
