import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  paginateListTables,
} from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { keyManagers } from '../key-managers.ts';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import type { DynamoDbSnapshot } from './snapshot.ts';

export async function collect(session: AwsSession, scope: Scope): Promise<DynamoDbSnapshot> {
  const dynamodb = session.client(DynamoDBClient, scope.region);
  const names = await all(paginateListTables({ client: dynamodb }, {}), (p) => p.TableNames);
  const limit = pLimit(8);
  const read = await Promise.all(
    names.map((name) =>
      limit(async () => {
        const [{ Table: t }, { ContinuousBackupsDescription: backups }] = await Promise.all([
          dynamodb.send(new DescribeTableCommand({ TableName: name })),
          dynamodb.send(new DescribeContinuousBackupsCommand({ TableName: name })),
        ]);
        return {
          name,
          arn: t?.TableArn ?? name,
          pointInTimeRecovery:
            backups?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus ?? 'DISABLED',
          deletionProtection: t?.DeletionProtectionEnabled ?? false,
          // No SSEDescription: encrypted with an AWS-owned key.
          keyArn: t?.SSEDescription?.KMSMasterKeyArn ?? null,
        };
      }),
    ),
  );
  const managers = await keyManagers(
    session,
    scope.region,
    read.map((t) => t.keyArn),
  );
  return {
    tables: read.map((t) => ({ ...t, keyManager: t.keyArn ? (managers.get(t.keyArn) ?? null) : null })),
  };
}
