import { BackupClient, CreateBackupPlanCommand, CreateBackupVaultCommand } from '@aws-sdk/client-backup';
import { CreateTableCommand, DynamoDBClient, UpdateContinuousBackupsCommand } from '@aws-sdk/client-dynamodb';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateFileSystemCommand, EFSClient } from '@aws-sdk/client-efs';
import {
  CreateDBInstanceCommand,
  CreateDBParameterGroupCommand,
  ModifyDBParameterGroupCommand,
  RDSClient,
} from '@aws-sdk/client-rds';

const region = 'us-east-1';

/**
 * Seeds the data stores of the emulated account, each misconfiguration next to a compliant twin: a public,
 * unencrypted RDS instance without backups next to a private, encrypted, Multi-AZ production one that enforces
 * TLS; a DynamoDB table without point-in-time recovery next to one with it; an unencrypted file system next to
 * an encrypted, backed-up one; a repository with mutable tags and no scanning next to an immutable, scanned one;
 * a daily backup plan.
 */
export async function seedDataStores(): Promise<void> {
  const config = { region };
  const rds = new RDSClient(config);
  await rds.send(
    new CreateDBParameterGroupCommand({
      DBParameterGroupName: 'postgres-tls',
      DBParameterGroupFamily: 'postgres16',
      Description: 'PostgreSQL with TLS required',
    }),
  );
  await rds.send(
    new ModifyDBParameterGroupCommand({
      DBParameterGroupName: 'postgres-tls',
      Parameters: [{ ParameterName: 'rds.force_ssl', ParameterValue: '1', ApplyMethod: 'immediate' }],
    }),
  );
  const postgres = {
    DBInstanceClass: 'db.t3.micro',
    Engine: 'postgres',
    EngineVersion: '16.3',
    MasterUsername: 'app',
    MasterUserPassword: 'demo-only-password',
    AllocatedStorage: 20,
  };
  await rds.send(
    new CreateDBInstanceCommand({
      ...postgres,
      DBInstanceIdentifier: 'orders-db',
      StorageEncrypted: true,
      MaxAllocatedStorage: 100,
      PubliclyAccessible: false,
      BackupRetentionPeriod: 14,
      MultiAZ: true,
      DeletionProtection: true,
      AutoMinorVersionUpgrade: true,
      EnableCloudwatchLogsExports: ['postgresql'],
      DBParameterGroupName: 'postgres-tls',
      Tags: [{ Key: 'environment', Value: 'production' }],
    }),
  );
  await rds.send(
    new CreateDBInstanceCommand({
      ...postgres,
      DBInstanceIdentifier: 'legacy-db',
      StorageEncrypted: false,
      PubliclyAccessible: true,
      BackupRetentionPeriod: 0,
      Tags: [{ Key: 'environment', Value: 'production' }],
    }),
  );

  const dynamodb = new DynamoDBClient(config);
  const table = {
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' as const }],
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' as const }],
    BillingMode: 'PAY_PER_REQUEST' as const,
  };
  await dynamodb.send(
    new CreateTableCommand({ ...table, TableName: 'orders', DeletionProtectionEnabled: true }),
  );
  await dynamodb.send(
    new UpdateContinuousBackupsCommand({
      TableName: 'orders',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    }),
  );
  await dynamodb.send(new CreateTableCommand({ ...table, TableName: 'sessions' }));

  const efs = new EFSClient(config);
  await efs.send(
    new CreateFileSystemCommand({ CreationToken: 'shared-home', Encrypted: true, Backup: true }),
  );
  await efs.send(new CreateFileSystemCommand({ CreationToken: 'scratch' }));

  const ecr = new ECRClient(config);
  await ecr.send(
    new CreateRepositoryCommand({
      repositoryName: 'api',
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    }),
  );
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'legacy-worker' }));

  // A daily backup plan keeping 35 days. The emulator cannot list its selections, protected resources or
  // restore testing plans, so those checks report the gap.
  const backup = new BackupClient(config);
  await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'primary' }));
  await backup.send(
    new CreateBackupPlanCommand({
      BackupPlan: {
        BackupPlanName: 'daily-35d',
        Rules: [
          {
            RuleName: 'daily',
            TargetBackupVaultName: 'primary',
            ScheduleExpression: 'cron(0 5 ? * * *)',
            Lifecycle: { DeleteAfterDays: 35 },
          },
        ],
      },
    }),
  );
}
