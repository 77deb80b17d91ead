import { daysBetween, perResource } from '../../../../core/collector.ts';
import { isPrivilegedRole } from '../roles.ts';
import type { EntraUser, EntraUsersSnapshot } from './snapshot.ts';

export const INACTIVE_AFTER_DAYS = 90;

const enabled = (s: EntraUsersSnapshot) => s.users.filter((u) => u.accountEnabled);
/** Privileged roles the user holds, active or eligible (an eligible admin activates the role at will). */
export const privilegedRolesOf = (u: EntraUser) =>
  u.directoryRoles.filter((r) => isPrivilegedRole(r.roleTemplateId));
/** A role as findings and access reviews name it. */
export const roleLabel = (r: EntraUser['directoryRoles'][number]) =>
  r.eligible ? `${r.displayName} (eligible)` : r.displayName;
const isGuest = (u: EntraUser) => u.userType.toLowerCase() === 'guest';

function judgeMfaCapable(u: EntraUser): readonly [boolean, string] {
  if (u.mfaCapable === null)
    return [false, `${u.userPrincipalName} has no row in the authentication-methods registration report`];
  return u.mfaCapable
    ? [
        true,
        `${u.userPrincipalName} is MFA capable (${u.methodsRegistered?.join(', ') || 'methods not listed'})`,
      ]
    : [false, `${u.userPrincipalName} has no MFA method registered that policy allows`];
}

export const usersMfaCapable = perResource<EntraUsersSnapshot, EntraUser>(
  {
    id: 'entra.users.mfa-capable',
    title: 'Enabled members have registered a usable MFA method',
    severity: 'high',
    procedure:
      'Reads every enabled member (not guest) with their row in the authentication-methods registration report. Passes per user who is MFA capable; fails for each who is not or has no row.',
    remediation:
      'Run a registration campaign (Authentication methods > Registration campaign) and require registration through Conditional Access.',
  },
  (s) => enabled(s).filter((u) => !isGuest(u)),
  (u) => u.userPrincipalName,
  judgeMfaCapable,
);

export const adminsMfaCapable = perResource<EntraUsersSnapshot, EntraUser>(
  {
    id: 'entra.admins.mfa-capable',
    title: 'Members of privileged directory roles are MFA capable',
    severity: 'critical',
    procedure:
      'Reads every enabled user holding a privileged directory role, active or eligible through PIM, with their registration report row. Passes per admin who is MFA capable; fails for each who is not or has no row.',
    remediation:
      'Register a phishing-resistant method for every privileged role holder before granting the role.',
  },
  (s) => enabled(s).filter((u) => privilegedRolesOf(u).length > 0),
  (u) => u.userPrincipalName,
  judgeMfaCapable,
);

export const usersInactive = perResource<EntraUsersSnapshot, EntraUser>(
  {
    id: 'entra.users.inactive',
    title: `Enabled users and guests have signed in within ${INACTIVE_AFTER_DAYS} days`,
    severity: 'medium',
    procedure: `Reads every enabled user and guest with their last sign-in (or creation) date. Passes per user who signed in within ${INACTIVE_AFTER_DAYS} days of the collection; fails for each user idle longer.`,
    remediation:
      'Disable or delete accounts (and guest invitations) that are no longer used; consider access reviews.',
  },
  enabled,
  (u) => u.userPrincipalName,
  (u, _s, { asOf }) => {
    const since = u.lastSignIn ?? u.createdDateTime;
    if (!since) return [false, `${u.userPrincipalName} has neither a sign-in nor a creation date`];
    const days = daysBetween(since, asOf);
    const what = u.lastSignIn
      ? `last signed in ${days} days ago`
      : `never signed in, created ${days} days ago`;
    return [days <= INACTIVE_AFTER_DAYS, `${u.userType.toLowerCase()} ${u.userPrincipalName} ${what}`];
  },
);

export const guestsUnprivileged = perResource<EntraUsersSnapshot, EntraUser>(
  {
    id: 'entra.guests.no-privileged-roles',
    title: 'Guests hold no privileged directory role',
    severity: 'high',
    procedure:
      'Reads every guest account with its directory roles, active or eligible through PIM. Passes per guest holding no privileged role; fails naming the privileged roles each guest holds.',
    remediation:
      'Remove privileged roles from guest accounts; give administrators member accounts in the tenant.',
  },
  (s) => s.users.filter(isGuest),
  (u) => u.userPrincipalName,
  (u) => {
    const roles = privilegedRolesOf(u);
    return roles.length === 0
      ? [true, `guest ${u.userPrincipalName} holds no privileged role`]
      : [false, `guest ${u.userPrincipalName} holds ${roles.map(roleLabel).join(', ')}`];
  },
);

export const checks = [usersMfaCapable, adminsMfaCapable, usersInactive, guestsUnprivileged];
