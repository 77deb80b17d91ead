import type { CollectorDefinition } from '../../../core/collector.ts';
import { keyManagerPermissions } from '../customer-keys.ts';
import { checks } from './checks.ts';
import type { EcrSnapshot } from './snapshot.ts';

const permissions = [
  'ecr:DescribeRepositories',
  'ecr:GetRepositoryPolicy',
  'ecr:GetLifecyclePolicy',
  'ecr:GetRegistryScanningConfiguration',
  ...keyManagerPermissions,
];

export const ecr: CollectorDefinition<EcrSnapshot> = {
  id: 'aws.ecr',
  source: 'aws',
  description: 'ECR repositories: scanning, tag mutability, repository and lifecycle policies, encryption',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
