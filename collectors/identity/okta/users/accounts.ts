import type { AccountDraft } from '../../access-review/snapshot.ts';
import { activeFactors } from './checks.ts';
import { isDeactivated, type OktaUsersSnapshot } from './snapshot.ts';

/** Okta users as the access review sees them: admin roles and assigned apps, MFA from active factors. */
export const reviewAccounts = (snapshot: OktaUsersSnapshot): AccountDraft[] =>
  snapshot.users.map((u) => ({
    account: u.login,
    email: u.email ?? (u.login.includes('@') ? u.login : null),
    status: u.status,
    active: !isDeactivated(u),
    admin: u.adminRoles.length > 0,
    access: [...u.adminRoles, ...u.assignedApps.map((a) => `app ${a.label}`)],
    mfa: activeFactors(u).length > 0,
    lastActivity: u.lastLogin,
  }));
