import { CloudTrailClient, CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import {
  ConfigServiceClient,
  PutConfigurationRecorderCommand,
  PutDeliveryChannelCommand,
  StartConfigurationRecorderCommand,
} from '@aws-sdk/client-config-service';
import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateUserCommand,
  CreateVirtualMFADeviceCommand,
  EnableMFADeviceCommand,
  IAMClient,
} from '@aws-sdk/client-iam';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { seedDataStores } from './seed-aws-data.ts';
import { seedDetection } from './seed-aws-detection.ts';
import { type NetworkSeedOptions, seedAwsNetwork } from './seed-aws-network.ts';

const region = 'us-east-1';
const fullBlock = {
  BlockPublicAcls: true,
  IgnorePublicAcls: true,
  BlockPublicPolicy: true,
  RestrictPublicBuckets: true,
};

/**
 * Seeds an emulated account with compliant resources next to deliberate misconfigurations:
 * a console user without MFA, an access key, an unprotected bucket, a trail without log validation,
 * no password policy and a KMS key without rotation. Clients take the endpoint from AWS_ENDPOINT_URL.
 */
export async function seedDemoAccount(options: NetworkSeedOptions = {}): Promise<void> {
  const config = { region, forcePathStyle: true };
  const iam = new IAMClient(config);
  const s3 = new S3Client(config);
  const kms = new KMSClient(config);

  // IAM: alice is compliant, bob signs in without MFA, ci-deployer holds an access key. No password policy.
  for (const UserName of ['alice', 'bob', 'ci-deployer']) await iam.send(new CreateUserCommand({ UserName }));
  for (const UserName of ['alice', 'bob']) {
    await iam.send(
      new CreateLoginProfileCommand({
        UserName,
        Password: 'Correct-Horse-Battery-9',
        PasswordResetRequired: false,
      }),
    );
  }
  const mfa = await iam.send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'alice' }));
  await iam.send(
    new EnableMFADeviceCommand({
      UserName: 'alice',
      SerialNumber: mfa.VirtualMFADevice?.SerialNumber,
      AuthenticationCode1: '123456',
      AuthenticationCode2: '654321',
    }),
  );
  await iam.send(new CreateAccessKeyCommand({ UserName: 'ci-deployer' }));

  // KMS: one key rotates, one does not.
  const auditKey = await kms.send(new CreateKeyCommand({ Description: 'audit logs' }));
  await kms.send(new EnableKeyRotationCommand({ KeyId: auditKey.KeyMetadata?.KeyId }));
  await kms.send(new CreateKeyCommand({ Description: 'legacy application data' }));
  const auditKeyArn = auditKey.KeyMetadata?.Arn ?? '';

  // S3: the log buckets are protected; the legacy bucket has no public access block, encryption or versioning.
  for (const Bucket of ['acme-access-logs', 'acme-audit-logs', 'acme-legacy-public-assets']) {
    await s3.send(new CreateBucketCommand({ Bucket }));
  }
  const logDelivery = 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"';
  await s3.send(
    new PutBucketAclCommand({
      Bucket: 'acme-access-logs',
      GrantWrite: logDelivery,
      GrantReadACP: logDelivery,
    }),
  );
  for (const Bucket of ['acme-access-logs', 'acme-audit-logs']) {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: fullBlock }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [
            { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: auditKeyArn } },
          ],
        },
      }),
    );
  }
  for (const Bucket of ['acme-access-logs', 'acme-audit-logs']) {
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket,
        BucketLoggingStatus: {
          LoggingEnabled: { TargetBucket: 'acme-access-logs', TargetPrefix: `${Bucket}/` },
        },
      }),
    );
  }
  for (const Bucket of ['acme-access-logs', 'acme-audit-logs']) {
    const Policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'DenyPlainHttp',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [`arn:aws:s3:::${Bucket}`, `arn:aws:s3:::${Bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy }));
  }

  // CloudTrail: an organization-wide trail done right, and a legacy trail without log file validation.
  const cloudtrail = new CloudTrailClient(config);
  await cloudtrail.send(
    new CreateTrailCommand({
      Name: 'acme-main',
      S3BucketName: 'acme-audit-logs',
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
      KmsKeyId: auditKeyArn,
      CloudWatchLogsLogGroupArn: `arn:aws:logs:${region}:123456789012:log-group:cloudtrail:*`,
      CloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/cloudtrail-to-logs',
    }),
  );
  await cloudtrail.send(new StartLoggingCommand({ Name: 'acme-main' }));
  await cloudtrail.send(
    new CreateTrailCommand({ Name: 'legacy-app-trail', S3BucketName: 'acme-audit-logs' }),
  );
  await cloudtrail.send(new StartLoggingCommand({ Name: 'legacy-app-trail' }));

  // Config: recording everything, delivering to the audit bucket.
  const configService = new ConfigServiceClient(config);
  await configService.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: {
        name: 'default',
        roleARN: 'arn:aws:iam::123456789012:role/aws-config',
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
      },
    }),
  );
  await configService.send(
    new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: 'acme-audit-logs' } }),
  );
  await configService.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));

  await seedAwsNetwork(options);
  await seedDataStores();
  await seedDetection(region);
}
