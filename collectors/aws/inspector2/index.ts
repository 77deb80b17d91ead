import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { Inspector2Snapshot } from './snapshot.ts';

export const inspector2: Collector<Inspector2Snapshot, AwsSession> = {
  id: 'aws.inspector2',
  source: 'aws',
  description: 'Amazon Inspector scanning per resource type and old critical findings (ARNs and age only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
