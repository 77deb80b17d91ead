import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { CloudTrailSnapshot } from './snapshot.ts';

export const cloudTrailTrails: Collector<CloudTrailSnapshot, AwsSession> = {
  id: 'aws.cloudtrail.trails',
  source: 'aws',
  description: 'CloudTrail trails and their logging status',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
