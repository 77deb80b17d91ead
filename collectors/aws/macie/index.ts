import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { MacieSnapshot } from './snapshot.ts';

const permissions = [
  'macie2:GetMacieSession',
  'macie2:GetAutomatedDiscoveryConfiguration',
  'macie2:ListClassificationJobs',
  'macie2:ListFindings',
  'macie2:GetFindings',
];

export const macie: CollectorDefinition<MacieSnapshot> = {
  id: 'aws.macie',
  source: 'aws',
  description:
    'Amazon Macie status, sensitive data discovery and old high-severity findings (ids and age only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
