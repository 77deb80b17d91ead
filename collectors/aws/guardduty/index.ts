import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { GuardDutySnapshot } from './snapshot.ts';

export const guardDuty: Collector<GuardDutySnapshot, AwsSession> = {
  id: 'aws.guardduty',
  source: 'aws',
  description:
    'GuardDuty detectors, their protection plans and open high-severity findings (ids and age only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
