import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { CloudTrailSnapshot } from './snapshot.ts';

export const cloudTrailTrails: Collector<CloudTrailSnapshot, AwsSession> = {
  id: 'aws.cloudtrail.trails',
  source: 'aws',
  description: 'CloudTrail trails, their logging status and event selectors, and the tags of S3 buckets',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 2,
  permissions,
  collect,
  checks,
};
