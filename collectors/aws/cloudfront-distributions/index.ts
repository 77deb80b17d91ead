import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { CloudFrontSnapshot } from './snapshot.ts';

const permissions = ['cloudfront:ListDistributions', 'cloudfront:GetDistributionConfig'];

export const cloudFrontDistributions: CollectorDefinition<CloudFrontSnapshot> = {
  id: 'aws.cloudfront.distributions',
  source: 'aws',
  description:
    'CloudFront distributions: viewer and origin protocol policies, minimum TLS version, web ACL, logging',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
