import type { Collector } from '../../../../core/collector.ts';
import type { OktaSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import { isDeactivated, type OktaUsersSnapshot } from './snapshot.ts';

export const oktaUsers: Collector<OktaUsersSnapshot, OktaSession> = {
  id: 'okta.users',
  source: 'okta',
  description:
    'Okta users (status, last sign-in, created), their MFA factors, admin roles, and apps still assigned to deactivated users',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
  directory: (s) => s.users.map((u) => ({ account: u.login, status: u.status, active: !isDeactivated(u) })),
};
