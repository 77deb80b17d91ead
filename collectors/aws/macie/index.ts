import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { MacieSnapshot } from './snapshot.ts';

export const macie: Collector<MacieSnapshot, AwsSession> = {
  id: 'aws.macie',
  source: 'aws',
  description:
    'Amazon Macie status, sensitive data discovery and old high-severity findings (ids and age only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
