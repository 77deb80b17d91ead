import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { SecretsManagerSnapshot } from './snapshot.ts';

/** Metadata only: the collector never reads a secret value. */
const permissions = ['secretsmanager:ListSecrets'];

export const secretsManager: CollectorDefinition<SecretsManagerSnapshot> = {
  id: 'aws.secretsmanager',
  source: 'aws',
  description: 'Secrets Manager secrets (metadata only): rotation, last use, encryption key',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
