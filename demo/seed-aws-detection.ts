import { CloudTrailClient, PutEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';

/** The demo's second region: GuardDuty is left off there. */
export const DEMO_UNWATCHED_REGION = 'eu-west-1';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const assumeBy = (principal: string, condition?: object) =>
  doc({
    Effect: 'Allow',
    Principal: { AWS: principal },
    Action: 'sts:AssumeRole',
    ...(condition ? { Condition: condition } : {}),
  });

/**
 * Threat detection and permissions, next to their compliant twins: GuardDuty on (with S3 protection) in the
 * home region and off in eu-west-1; Security Hub on; two buckets tagged as customer data, one whose object
 * access the main trail records; a user with an inline `*:*` policy next to one with a
 * scoped managed policy held through a group; a role trusting another account without an external id next to one that requires it.
 */
export async function seedDetection(region: string): Promise<void> {
  const config = { region };
  // The main trail records all management events and object access to the customer-data bucket; the
  // customer exports bucket, tagged the same way, is not covered.
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  for (const Bucket of ['acme-customer-data', 'acme-customer-exports']) {
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket,
        Tagging: { TagSet: [{ Key: 'data-classification', Value: 'customer' }] },
      }),
    );
    // Otherwise compliant storage, so only the data-event coverage differs.
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms' } }],
        },
      }),
    );
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  // Customer data expires after a year (old versions after 30 days); the exports bucket keeps it forever.
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: 'acme-customer-data',
      LifecycleConfiguration: {
        Rules: [
          {
            ID: 'retention',
            Status: 'Enabled',
            Filter: { Prefix: '' },
            Expiration: { Days: 365 },
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
          },
        ],
      },
    }),
  );
  await new CloudTrailClient(config).send(
    new PutEventSelectorsCommand({
      TrailName: 'acme-main',
      EventSelectors: [
        {
          ReadWriteType: 'All',
          IncludeManagementEvents: true,
          DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3:::acme-customer-data/'] }],
        },
      ],
    }),
  );
  await new GuardDutyClient(config).send(
    new CreateDetectorCommand({
      Enable: true,
      FindingPublishingFrequency: 'FIFTEEN_MINUTES',
      DataSources: { S3Logs: { Enable: true } },
    }),
  );
  await new SecurityHubClient(config).send(new EnableSecurityHubCommand({ EnableDefaultStandards: true }));

  const iam = new IAMClient(config);
  await iam.send(new CreateUserCommand({ UserName: 'ops-admin' }));
  await iam.send(
    new PutUserPolicyCommand({
      UserName: 'ops-admin',
      PolicyName: 'break-glass',
      PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
    }),
  );
  await iam.send(new CreateUserCommand({ UserName: 'report-reader' }));
  const { Policy } = await iam.send(
    new CreatePolicyCommand({
      PolicyName: 'read-reports',
      PolicyDocument: doc({
        Effect: 'Allow',
        Action: ['s3:GetObject', 's3:ListBucket'],
        Resource: 'arn:aws:s3:::acme-reports*',
      }),
    }),
  );
  await iam.send(new CreateGroupCommand({ GroupName: 'report-readers' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'report-readers', PolicyArn: Policy?.Arn }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'report-readers', UserName: 'report-reader' }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'partner-support',
      AssumeRolePolicyDocument: assumeBy('arn:aws:iam::444455556666:root'),
    }),
  );
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'auditor-access',
      AssumeRolePolicyDocument: assumeBy('arn:aws:iam::777788889999:root', {
        StringEquals: { 'sts:ExternalId': 'acme-audit-2026' },
      }),
    }),
  );
}
