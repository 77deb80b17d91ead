import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { KmsKeysSnapshot } from './snapshot.ts';

export const kmsKeys: Collector<KmsKeysSnapshot, AwsSession> = {
  id: 'aws.kms.keys',
  source: 'aws',
  description: 'KMS keys and their rotation status',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
