import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { EcrSnapshot } from './snapshot.ts';

export const ecr: Collector<EcrSnapshot, AwsSession> = {
  id: 'aws.ecr',
  source: 'aws',
  description: 'ECR repositories: scanning, tag mutability, repository and lifecycle policies, encryption',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
