import type { CollectorDefinition } from '../../../../core/collector.ts';
import { checks } from './checks.ts';
import { isDeactivated, type OktaUsersSnapshot } from './snapshot.ts';

const permissions = [
  'okta.users.read (GET /api/v1/users, GET /api/v1/users/{id}/roles)',
  'okta.factors.read (GET /api/v1/users/{id}/factors)',
  'okta.roles.read (GET /api/v1/iam/assignees/users)',
  'okta.apps.read (GET /api/v1/apps?filter=user.id eq "{id}")',
];

export const oktaUsers: CollectorDefinition<OktaUsersSnapshot> = {
  id: 'okta.users',
  source: 'okta',
  description:
    'Okta users (status, last sign-in, created), their MFA factors, admin roles, and apps still assigned to deactivated users',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
  directory: (s) => s.users.map((u) => ({ account: u.login, status: u.status, active: !isDeactivated(u) })),
};
