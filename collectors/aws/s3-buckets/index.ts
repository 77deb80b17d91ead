import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { S3BucketsSnapshot } from './snapshot.ts';

export const s3Buckets: Collector<S3BucketsSnapshot, AwsSession> = {
  id: 'aws.s3.buckets',
  source: 'aws',
  description:
    'S3 buckets: default encryption, public access block, versioning, access logging, bucket policy, tags, lifecycle expiration',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 2,
  permissions,
  collect,
  checks,
};
