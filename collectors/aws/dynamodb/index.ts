import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { DynamoDbSnapshot } from './snapshot.ts';

export const dynamodb: Collector<DynamoDbSnapshot, AwsSession> = {
  id: 'aws.dynamodb',
  source: 'aws',
  description: 'DynamoDB tables: point-in-time recovery, deletion protection, encryption key',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
