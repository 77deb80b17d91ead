import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { CloudTrailSnapshot } from './snapshot.ts';

const permissions = [
  'cloudtrail:DescribeTrails',
  'cloudtrail:GetTrailStatus',
  'cloudtrail:GetEventSelectors',
  's3:ListAllMyBuckets',
  's3:GetBucketTagging',
];

export const cloudTrailTrails: CollectorDefinition<CloudTrailSnapshot> = {
  id: 'aws.cloudtrail.trails',
  source: 'aws',
  description: 'CloudTrail trails, their logging status and event selectors, and the tags of S3 buckets',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 2,
  permissions,
  checks,
};
