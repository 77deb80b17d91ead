import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { CloudFrontSnapshot } from './snapshot.ts';

export const cloudFrontDistributions: Collector<CloudFrontSnapshot, AwsSession> = {
  id: 'aws.cloudfront.distributions',
  source: 'aws',
  description:
    'CloudFront distributions: viewer and origin protocol policies, minimum TLS version, web ACL, logging',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
