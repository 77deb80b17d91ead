import {
  type LifecycleRule as AwsLifecycleRule,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
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
import type { BucketSnapshot, LifecycleRule, PublicAccessBlock, S3BucketsSnapshot } from './snapshot.ts';

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

/** A rule's scope: null when it applies to every object (no prefix, an empty filter or an empty prefix). */
function ruleFilter(rule: AwsLifecycleRule): string | null {
  const filter = rule.Filter && Object.entries(rule.Filter).filter(([, v]) => v !== undefined && v !== '');
  if (filter?.length) return JSON.stringify(Object.fromEntries(filter));
  return rule.Prefix ? JSON.stringify({ Prefix: rule.Prefix }) : null;
}

const toRule = (rule: AwsLifecycleRule): LifecycleRule => ({
  id: rule.ID ?? '',
  enabled: rule.Status === 'Enabled',
  filter: ruleFilter(rule),
  expiration:
    rule.Expiration?.Days || rule.Expiration?.Date
      ? { days: rule.Expiration.Days ?? null, date: rule.Expiration.Date?.toISOString() ?? null }
      : null,
  noncurrentExpirationDays: rule.NoncurrentVersionExpiration?.NoncurrentDays ?? null,
});

async function readBucket(session: AwsSession, name: string): Promise<BucketSnapshot> {
  const location = await session.client(S3Client).send(new GetBucketLocationCommand({ Bucket: name }));
  // An empty LocationConstraint means us-east-1; EU is the legacy name of eu-west-1.
  const region = !location.LocationConstraint
    ? 'us-east-1'
    : location.LocationConstraint === 'EU'
      ? 'eu-west-1'
      : location.LocationConstraint;
  const s3 = session.client(S3Client, region);
  const [encryption, pab, versioning, logging, policy, tagging, lifecycle] = await Promise.all([
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
    unlessMissing(s3.send(new GetBucketTaggingCommand({ Bucket: name })), 'NoSuchTagSet'),
    unlessMissing(
      s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name })),
      'NoSuchLifecycleConfiguration',
    ),
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
    tags: Object.fromEntries((tagging?.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
    lifecycle: (lifecycle?.Rules ?? []).map(toRule),
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
