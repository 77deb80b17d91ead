import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { Inspector2Snapshot } from './snapshot.ts';

const permissions = ['inspector2:BatchGetAccountStatus', 'inspector2:ListFindings'];

export const inspector2: CollectorDefinition<Inspector2Snapshot> = {
  id: 'aws.inspector2',
  source: 'aws',
  description: 'Amazon Inspector scanning per resource type and old critical findings (ARNs and age only)',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
