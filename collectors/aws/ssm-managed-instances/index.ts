import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { SsmManagedInstancesSnapshot } from './snapshot.ts';

export const ssmManagedInstances: Collector<SsmManagedInstancesSnapshot, AwsSession> = {
  id: 'aws.ssm.managed-instances',
  source: 'aws',
  description:
    'Systems Manager: which running instances are managed, agent status, the latest patch state of each, and the compliance summary',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
