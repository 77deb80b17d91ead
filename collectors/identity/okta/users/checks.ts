import { daysBetween, perResource } from '../../../../core/collector.ts';
import { isDeactivated, type OktaUser, type OktaUsersSnapshot } from './snapshot.ts';

export const INACTIVE_AFTER_DAYS = 90;
/** Statuses in which a user can sign in (STAGED and PROVISIONED users have not activated yet). */
const SIGN_IN_STATUSES = new Set(['ACTIVE', 'PASSWORD_EXPIRED', 'LOCKED_OUT', 'RECOVERY']);
/** A security question is something the user knows, like the password: not a second factor. */
const NOT_A_SECOND_FACTOR = new Set(['question']);

const canSignIn = (s: OktaUsersSnapshot) => s.users.filter((u) => SIGN_IN_STATUSES.has(u.status));

/** Active second factors of a user (also used by the access review). */
export const activeFactors = (u: OktaUser) =>
  u.factors.filter((f) => f.status === 'ACTIVE' && !NOT_A_SECOND_FACTOR.has(f.factorType));

function judgeMfa(u: OktaUser): readonly [boolean, string] {
  const factors = activeFactors(u);
  return factors.length > 0
    ? [true, `${u.login} has ${factors.map((f) => f.factorType).join(', ')}`]
    : [false, `${u.login} has no active MFA factor`];
}

export const usersMfaEnrolled = perResource<OktaUsersSnapshot, OktaUser>(
  {
    id: 'okta.users.mfa-enrolled',
    title: 'Users who can sign in have an MFA factor enrolled',
    severity: 'high',
    procedure:
      'Reads every Okta user who can sign in (active, password expired, locked out, in recovery) with their factors. Passes per user with an active factor other than a security question; fails for each user without one.',
    remediation:
      'Require MFA enrollment in an authenticator enrollment policy and follow up with users who have none.',
  },
  canSignIn,
  (u) => u.login,
  judgeMfa,
);

export const adminsMfa = perResource<OktaUsersSnapshot, OktaUser>(
  {
    id: 'okta.admins.mfa',
    title: 'Administrators have an MFA factor enrolled',
    severity: 'critical',
    procedure:
      'Reads every Okta user who can sign in and holds an admin role, with their factors. Passes per admin with an active factor other than a security question; fails for each admin without one.',
    remediation:
      'Enroll every administrator in a phishing-resistant factor (Okta Verify with FastPass, FIDO2).',
  },
  (s) => canSignIn(s).filter((u) => u.adminRoles.length > 0),
  (u) => u.login,
  judgeMfa,
);

export const usersInactive = perResource<OktaUsersSnapshot, OktaUser>(
  {
    id: 'okta.users.inactive',
    title: `Users who have not signed in for ${INACTIVE_AFTER_DAYS} days are deactivated`,
    severity: 'medium',
    procedure: `Reads every Okta user who can sign in with their last sign-in (or creation) date. Passes per user who signed in within ${INACTIVE_AFTER_DAYS} days of the collection; fails for each user idle longer.`,
    remediation: 'Suspend or deactivate users who no longer sign in, after confirming with their manager.',
  },
  canSignIn,
  (u) => u.login,
  (u, _s, { asOf }) => {
    const since = u.lastLogin ?? u.created;
    if (!since) return [false, `${u.login} has neither a last sign-in nor a creation date`];
    const days = daysBetween(since, asOf);
    const what = u.lastLogin
      ? `last signed in ${days} days ago`
      : `never signed in, created ${days} days ago`;
    return [days <= INACTIVE_AFTER_DAYS, `${u.login} ${what}`];
  },
);

export const deactivatedAppAccess = perResource<OktaUsersSnapshot, OktaUser>(
  {
    id: 'okta.users.deactivated-app-assignments',
    title: 'Deactivated and suspended users are not assigned to apps',
    severity: 'high',
    procedure:
      'Reads every deactivated or suspended Okta user with their app assignments. Passes per user with no active assignment; fails naming the apps each one is still assigned to.',
    remediation:
      'Remove the app assignments of deactivated users, and check each app for accounts the IdP no longer controls.',
  },
  (s) => s.users.filter(isDeactivated),
  (u) => u.login,
  (u) => {
    const apps = u.assignedApps.filter((a) => a.status === 'ACTIVE');
    return apps.length === 0
      ? [true, `${u.login} (${u.status}) has no active app assignment`]
      : [false, `${u.login} is ${u.status} but still assigned to ${apps.map((a) => a.label).join(', ')}`];
  },
);

export const adminsActive = perResource<OktaUsersSnapshot, OktaUser>(
  {
    id: 'okta.admins.active',
    title: 'Admin roles are held only by active users',
    severity: 'high',
    procedure:
      'Reads every Okta user holding an admin role. Passes per user whose status lets them sign in; fails for each deactivated, suspended or never-activated user still holding a role.',
    remediation: 'Remove admin role assignments from deactivated, suspended or never-activated users.',
  },
  (s) => s.users.filter((u) => u.adminRoles.length > 0),
  (u) => u.login,
  (u) =>
    SIGN_IN_STATUSES.has(u.status)
      ? [true, `${u.login} (${u.status}) holds ${u.adminRoles.join(', ')}`]
      : [false, `${u.login} is ${u.status} but still holds ${u.adminRoles.join(', ')}`],
);

export const checks = [usersMfaEnrolled, adminsMfa, usersInactive, deactivatedAppAccess, adminsActive];
