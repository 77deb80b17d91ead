import type { CollectorDefinition } from '../../../../core/collector.ts';
import { checks } from './checks.ts';
import type { EntraUsersSnapshot } from './snapshot.ts';

const permissions = [
  'User.Read.All (GET /users)',
  'AuditLog.Read.All (signInActivity, GET /reports/authenticationMethods/userRegistrationDetails)',
  'UserAuthenticationMethod.Read.All (registration details)',
  'RoleManagement.Read.Directory (GET /directoryRoles, GET /directoryRoles/{id}/members, GET /roleManagement/directory/roleEligibilityScheduleInstances)',
  'GroupMember.Read.All (GET /groups/{id}/transitiveMembers, for roles held through a role-assignable group)',
];

export const entraUsers: CollectorDefinition<EntraUsersSnapshot> = {
  id: 'entra.users',
  source: 'entra',
  description:
    'Microsoft Entra ID users (enabled, guest, last sign-in), MFA registration details and directory roles, active or eligible through PIM',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
  directory: (s) =>
    s.users.map((u) => ({
      account: u.userPrincipalName,
      status: `${u.accountEnabled ? 'enabled' : 'disabled'} ${u.userType}`,
      active: u.accountEnabled,
    })),
};
