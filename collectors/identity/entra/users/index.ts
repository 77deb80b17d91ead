import type { Collector } from '../../../../core/collector.ts';
import type { EntraSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { EntraUsersSnapshot } from './snapshot.ts';

export const entraUsers: Collector<EntraUsersSnapshot, EntraSession> = {
  id: 'entra.users',
  source: 'entra',
  description:
    'Microsoft Entra ID users (enabled, guest, last sign-in), MFA registration details and directory-role membership',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
  directory: (s) =>
    s.users.map((u) => ({
      account: u.userPrincipalName,
      status: `${u.accountEnabled ? 'enabled' : 'disabled'} ${u.userType}`,
      active: u.accountEnabled,
    })),
};
