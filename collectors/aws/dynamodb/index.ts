import type { CollectorDefinition } from '../../../core/collector.ts';
import { keyManagerPermissions } from '../customer-keys.ts';
import { checks } from './checks.ts';
import type { DynamoDbSnapshot } from './snapshot.ts';

const permissions = [
  'dynamodb:ListTables',
  'dynamodb:DescribeTable',
  'dynamodb:DescribeContinuousBackups',
  ...keyManagerPermissions,
];

export const dynamodb: CollectorDefinition<DynamoDbSnapshot> = {
  id: 'aws.dynamodb',
  source: 'aws',
  description: 'DynamoDB tables: point-in-time recovery, deletion protection, encryption key',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
