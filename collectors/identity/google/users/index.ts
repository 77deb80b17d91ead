import type { CollectorDefinition } from '../../../../core/collector.ts';
import { checks, isActiveGoogleUser } from './checks.ts';
import type { GoogleUsersSnapshot } from './snapshot.ts';

const permissions = [
  'https://www.googleapis.com/auth/admin.directory.user.readonly (GET admin/directory/v1/users), granted to the service account by domain-wide delegation',
];

export const googleUsers: CollectorDefinition<GoogleUsersSnapshot> = {
  id: 'google.users',
  source: 'google',
  description:
    'Google Workspace users (suspended, last sign-in, 2-Step Verification enrolled and enforced) and super administrators',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
  directory: (s) =>
    s.users.map((u) => ({
      account: u.primaryEmail,
      status: u.suspended ? 'suspended' : u.archived ? 'archived' : 'active',
      active: isActiveGoogleUser(u),
    })),
};
