import type { AccountDraft } from '../../access-review/snapshot.ts';
import { privilegedRolesOf, roleLabel } from './checks.ts';
import type { EntraUsersSnapshot } from './snapshot.ts';

/** Entra ID users as the access review sees them: directory roles, guests matched by their mail only. */
export const reviewAccounts = (snapshot: EntraUsersSnapshot): AccountDraft[] =>
  snapshot.users.map((u) => ({
    account: u.userPrincipalName,
    email: u.mail ?? (u.userType === 'Guest' ? null : u.userPrincipalName),
    status: `${u.accountEnabled ? 'enabled' : 'disabled'}${u.userType === 'Guest' ? ' guest' : ''}`,
    active: u.accountEnabled,
    admin: privilegedRolesOf(u).length > 0,
    access: u.directoryRoles.map(roleLabel),
    mfa: u.mfaCapable,
    lastActivity: u.lastSignIn,
  }));
