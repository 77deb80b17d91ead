import type { Collector } from '../../../../core/collector.ts';
import type { AwsSession } from '../../../aws/session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { IdentityCenterSnapshot } from './snapshot.ts';

export const identityCenterAccess: Collector<IdentityCenterSnapshot, AwsSession> = {
  id: 'identity-center.access',
  source: 'identity-center',
  description:
    'IAM Identity Center users, groups and memberships, permission sets (with their policies) and account assignments',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
