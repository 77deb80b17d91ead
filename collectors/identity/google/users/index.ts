import type { Collector } from '../../../../core/collector.ts';
import type { GoogleSession } from '../session.ts';
import { checks, isActiveGoogleUser } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { GoogleUsersSnapshot } from './snapshot.ts';

export const googleUsers: Collector<GoogleUsersSnapshot, GoogleSession> = {
  id: 'google.users',
  source: 'google',
  description:
    'Google Workspace users (suspended, last sign-in, 2-Step Verification enrolled and enforced) and super administrators',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
  directory: (s) =>
    s.users.map((u) => ({
      account: u.primaryEmail,
      status: u.suspended ? 'suspended' : u.archived ? 'archived' : 'active',
      active: isActiveGoogleUser(u),
    })),
};
