import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { GuardDutySnapshot } from './snapshot.ts';

const permissions = [
  'guardduty:ListDetectors',
  'guardduty:GetDetector',
  'guardduty:ListFindings',
  'guardduty:GetFindings',
  'guardduty:ListOrganizationAdminAccounts',
  'organizations:DescribeOrganization',
];

export const guardDuty: CollectorDefinition<GuardDutySnapshot> = {
  id: 'aws.guardduty',
  source: 'aws',
  description:
    'GuardDuty detectors, their protection plans and open high-severity findings (ids and age only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
