import { perResource } from '../../../core/collector.ts';
import { customerKeyCheck } from '../customer-keys.ts';
import type { DynamoDbSnapshot, TableSnapshot } from './snapshot.ts';

const tables = (s: DynamoDbSnapshot) => s.tables;
const arn = (t: TableSnapshot) => t.arn;

export const pointInTimeRecovery = perResource(
  {
    id: 'aws.dynamodb.point-in-time-recovery',
    title: 'DynamoDB tables have point-in-time recovery',
    severity: 'high',
    remediation:
      'Enable point-in-time recovery (update-continuous-backups --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true).',
    procedure:
      'Reads every table (ListTables) and its continuous backups (DescribeContinuousBackups). Passes it when PointInTimeRecoveryStatus is ENABLED.',
  },
  tables,
  arn,
  (t) => [
    t.pointInTimeRecovery === 'ENABLED',
    t.pointInTimeRecovery === 'ENABLED'
      ? 'point-in-time recovery enabled'
      : `table ${t.name}: point-in-time recovery ${t.pointInTimeRecovery}`,
  ],
);

export const deletionProtection = perResource(
  {
    id: 'aws.dynamodb.deletion-protection',
    title: 'DynamoDB tables have deletion protection',
    severity: 'medium',
    remediation: 'Turn on deletion protection (update-table --deletion-protection-enabled).',
    procedure: 'Reads every table (DescribeTable). Passes it when DeletionProtectionEnabled is true.',
  },
  tables,
  arn,
  (t) => [
    t.deletionProtection,
    t.deletionProtection
      ? 'deletion protection on'
      : `table ${t.name} can be deleted without lifting a protection`,
  ],
);

export const customerKey = customerKeyCheck(
  {
    id: 'aws.dynamodb.customer-key',
    title: 'DynamoDB tables are encrypted with a customer-managed KMS key (where required)',
    severity: 'medium',
    remediation:
      'Switch the table to a customer-managed key (update-table --sse-specification Enabled=true,SSEType=KMS,KMSMasterKeyId=…).',
    procedure:
      'Reads each table’s SSEDescription (DescribeTable) and the key’s manager (kms:DescribeKey). Passes a table encrypted with a customer-managed key. Applied only when checks.aws.data.customerManagedKeys is true.',
  },
  tables,
  arn,
  (t) => t,
);

export const checks = [pointInTimeRecovery, deletionProtection, customerKey];
