import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { S3BucketsSnapshot } from './snapshot.ts';

const permissions = [
  's3:ListAllMyBuckets',
  's3:GetBucketLocation',
  's3:GetEncryptionConfiguration',
  's3:GetBucketPublicAccessBlock',
  's3:GetBucketVersioning',
  's3:GetBucketLogging',
  's3:GetBucketPolicy',
  's3:GetBucketTagging',
  's3:GetLifecycleConfiguration',
  's3:GetAccountPublicAccessBlock',
];

export const s3Buckets: CollectorDefinition<S3BucketsSnapshot> = {
  id: 'aws.s3.buckets',
  source: 'aws',
  description:
    'S3 buckets: default encryption, public access block, versioning, access logging, bucket policy, tags, lifecycle expiration',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 2,
  permissions,
  checks,
};
