import {
  GetBucketEncryptionCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  paginateListBuckets,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  GetPublicAccessBlockCommand as GetAccountPublicAccessBlockCommand,
  S3ControlClient,
} from '@aws-sdk/client-s3-control';
import pLimit from 'p-limit';
import type { Scope } from '../../../core/model.ts';
import { type AwsSession, singleHostEndpoint, unlessMissing } from '../session.ts';
import type { BucketSnapshot, PublicAccessBlock, S3BucketsSnapshot } from './snapshot.ts';

export const permissions = [
  's3:ListAllMyBuckets',
  's3:GetBucketLocation',
  's3:GetEncryptionConfiguration',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketVersioning',
  's3:GetBucketLogging',
  's3:GetBucketPolicy',
  's3:GetAccountPublicAccessBlock',
];

type PabConfig = {
  BlockPublicAcls?: boolean;
  IgnorePublicAcls?: boolean;
  BlockPublicPolicy?: boolean;
  RestrictPublicBuckets?: boolean;
};
const toPab = (c: PabConfig | undefined): PublicAccessBlock | null =>
  c
    ? {
        blockPublicAcls: c.BlockPublicAcls ?? false,
        ignorePublicAcls: c.IgnorePublicAcls ?? false,
        blockPublicPolicy: c.BlockPublicPolicy ?? false,
        restrictPublicBuckets: c.RestrictPublicBuckets ?? false,
      }
    : null;

async function readBucket(session: AwsSession, name: string): Promise<BucketSnapshot> {
  const location = await session.client(S3Client).send(new GetBucketLocationCommand({ Bucket: name }));
  // An empty LocationConstraint means us-east-1; EU is the legacy name of eu-west-1.
  const region = !location.LocationConstraint
    ? 'us-east-1'
    : location.LocationConstraint === 'EU'
      ? 'eu-west-1'
      : location.LocationConstraint;
  const s3 = session.client(S3Client, region);
  const [encryption, pab, versioning, logging, policy] = await Promise.all([
    unlessMissing(
      s3.send(new GetBucketEncryptionCommand({ Bucket: name })),
      'ServerSideEncryptionConfigurationNotFoundError',
    ),
    unlessMissing(
      s3.send(new GetPublicAccessBlockCommand({ Bucket: name })),
      'NoSuchPublicAccessBlockConfiguration',
    ),
    s3.send(new GetBucketVersioningCommand({ Bucket: name })),
    s3.send(new GetBucketLoggingCommand({ Bucket: name })),
    unlessMissing(s3.send(new GetBucketPolicyCommand({ Bucket: name })), 'NoSuchBucketPolicy'),
  ]);
  const rule = encryption?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
  return {
    name,
    region,
    encryption: rule?.SSEAlgorithm
      ? { algorithm: rule.SSEAlgorithm, kmsKeyId: rule.KMSMasterKeyID ?? null }
      : null,
    publicAccessBlock: toPab(pab?.PublicAccessBlockConfiguration),
    versioning: versioning.Status ?? 'Disabled',
    logging: logging.LoggingEnabled?.TargetBucket
      ? {
          targetBucket: logging.LoggingEnabled.TargetBucket,
          targetPrefix: logging.LoggingEnabled.TargetPrefix ?? '',
        }
      : null,
    policy: policy?.Policy ? JSON.parse(policy.Policy) : null,
  };
}

export async function collect(session: AwsSession, scope: Scope): Promise<S3BucketsSnapshot> {
  const names: string[] = [];
  for await (const page of paginateListBuckets({ client: session.client(S3Client) }, {})) {
    for (const b of page.Buckets ?? []) if (b.Name) names.push(b.Name);
  }
  const account = await unlessMissing(
    session
      .client(S3ControlClient, session.homeRegion, singleHostEndpoint('S3_CONTROL'))
      .send(new GetAccountPublicAccessBlockCommand({ AccountId: scope.id })),
    'NoSuchPublicAccessBlockConfiguration',
  );
  const limit = pLimit(8);
  const buckets = await Promise.all(names.map((name) => limit(() => readBucket(session, name))));
  return { accountPublicAccessBlock: toPab(account?.PublicAccessBlockConfiguration), buckets };
}
