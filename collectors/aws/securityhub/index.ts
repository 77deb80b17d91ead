import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { SecurityHubSnapshot } from './snapshot.ts';

export const securityHub: Collector<SecurityHubSnapshot, AwsSession> = {
  id: 'aws.securityhub',
  source: 'aws',
  description:
    'Security Hub subscription, enabled standards and old critical/high failed findings (ids and age only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
