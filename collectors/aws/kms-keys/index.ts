import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { KmsKeysSnapshot } from './snapshot.ts';

const permissions = ['kms:ListKeys', 'kms:DescribeKey', 'kms:GetKeyRotationStatus'];

export const kmsKeys: CollectorDefinition<KmsKeysSnapshot> = {
  id: 'aws.kms.keys',
  source: 'aws',
  description: 'KMS keys and their rotation status',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
