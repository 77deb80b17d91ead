import { CreateTableCommand, DynamoDBClient, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { describe, expect, it } from 'vitest';
import {
  customerKey,
  deletionProtection,
  pointInTimeRecovery,
} from '../../../collectors/aws/dynamodb/checks.ts';
import { dynamodb as dynamodbDefinition } from '../../../collectors/aws/dynamodb/index.ts';
import type { TableSnapshot } from '../../../collectors/aws/dynamodb/snapshot.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, collectCounting, undeclared, verdicts } from '../../support/checks.ts';
import { runnable } from '../../support/runnable.ts';

const dynamodb = runnable(dynamodbDefinition);

const context = awsContext();
const table = (name: string, over: Partial<TableSnapshot> = {}): TableSnapshot => ({
  name,
  arn: name,
  pointInTimeRecovery: 'ENABLED',
  deletionProtection: true,
  keyArn: 'arn:aws:kms:us-east-1:111122223333:key/cmk',
  keyManager: 'CUSTOMER',
  ...over,
});

describe('aws.dynamodb checks', () => {
  it('point-in-time recovery and deletion protection', () => {
    const tables = [
      table('good'),
      table('bad', { pointInTimeRecovery: 'DISABLED', deletionProtection: false }),
    ];
    expect(verdicts(pointInTimeRecovery, { tables }, context)).toEqual({ good: 'pass', bad: 'fail' });
    expect(verdicts(deletionProtection, { tables }, context)).toEqual({ good: 'pass', bad: 'fail' });
  });

  it('customer key: judged only when the configuration requires it; AWS-owned, AWS-managed and unknown keys fail', () => {
    const tables = [
      table('cmk'),
      table('owned', { keyArn: null, keyManager: null }),
      table('managed', { keyManager: 'AWS' }),
      table('refused', { keyManager: { unknown: 'AccessDeniedException (HTTP 400)' } }),
    ];
    expect(verdicts(customerKey, { tables }, context)).toEqual({ '111122223333': 'not_applicable' });
    expect(verdicts(customerKey, { tables }, awsContext({ customerManagedKeys: true }))).toEqual({
      cmk: 'pass',
      owned: 'fail',
      managed: 'fail',
      refused: 'fail',
    });
  });
});

describeAws('aws.dynamodb collect (moto)', () => {
  it('reads every table, its PITR status and who manages its key', async () => {
    const client = new DynamoDBClient(awsConfig());
    const key = await new KMSClient(awsConfig()).send(new CreateKeyCommand({}));
    const schema = {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
      BillingMode: 'PAY_PER_REQUEST' as const,
    };
    await client.send(
      new CreateTableCommand({
        ...schema,
        TableName: 'orders',
        DeletionProtectionEnabled: true,
        SSESpecification: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: key.KeyMetadata?.Arn },
      }),
    );
    await client.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'orders',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    for (let i = 0; i < 3; i++)
      await client.send(new CreateTableCommand({ ...schema, TableName: `scratch-${i}` }));

    const { snapshot: s, calls } = await collectCounting(dynamodb);
    const byName = Object.fromEntries(s.tables.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(['orders', 'scratch-0', 'scratch-1', 'scratch-2']);
    expect(byName.orders).toMatchObject({
      pointInTimeRecovery: 'ENABLED',
      deletionProtection: true,
      keyManager: 'CUSTOMER',
    });
    expect(byName['scratch-0']).toMatchObject({
      pointInTimeRecovery: 'DISABLED',
      deletionProtection: false,
      keyArn: null,
    });
    expect(undeclared(calls, dynamodb)).toEqual([]);
    expect(calls.filter((c) => c === 'DescribeKey')).toHaveLength(1);
  });
});
