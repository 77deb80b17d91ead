import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { CloudWatchAlarmsSnapshot } from './snapshot.ts';

const permissions = [
  'cloudtrail:DescribeTrails',
  'logs:DescribeLogGroups',
  'logs:DescribeMetricFilters',
  'cloudwatch:DescribeAlarms',
];

export const cloudWatchAlarms: CollectorDefinition<CloudWatchAlarmsSnapshot> = {
  id: 'aws.cloudwatch.alarms',
  source: 'aws',
  description:
    'CIS monitoring metric filters and alarms on the trail log groups, and retention and encryption of every log group',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
