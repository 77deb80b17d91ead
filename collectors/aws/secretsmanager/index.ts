import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { SecretsManagerSnapshot } from './snapshot.ts';

export const secretsManager: Collector<SecretsManagerSnapshot, AwsSession> = {
  id: 'aws.secretsmanager',
  source: 'aws',
  description: 'Secrets Manager secrets (metadata only): rotation, last use, encryption key',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
