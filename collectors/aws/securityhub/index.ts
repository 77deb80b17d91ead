import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { SecurityHubSnapshot } from './snapshot.ts';

const permissions = ['securityhub:DescribeHub', 'securityhub:GetEnabledStandards', 'securityhub:GetFindings'];

export const securityHub: CollectorDefinition<SecurityHubSnapshot> = {
  id: 'aws.securityhub',
  source: 'aws',
  description:
    'Security Hub subscription, enabled standards and old critical/high failed findings (ids and age only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
