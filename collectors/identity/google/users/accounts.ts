import type { AccountDraft } from '../../access-review/snapshot.ts';
import { isActiveGoogleUser } from './checks.ts';
import type { GoogleUsersSnapshot } from './snapshot.ts';

/** Google Workspace users as the access review sees them: super and delegated admins, 2-Step Verification. */
export const reviewAccounts = (snapshot: GoogleUsersSnapshot): AccountDraft[] =>
  snapshot.users.map((u) => ({
    account: u.primaryEmail,
    email: u.primaryEmail,
    status: u.suspended ? 'suspended' : u.archived ? 'archived' : 'active',
    active: isActiveGoogleUser(u),
    admin: u.isAdmin,
    access: u.isAdmin ? ['super admin'] : u.isDelegatedAdmin ? ['delegated admin'] : [],
    mfa: u.isEnrolledIn2Sv,
    lastActivity: u.lastLoginTime,
  }));
