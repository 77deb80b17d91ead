import { type Check, daysBetween, finding, perResource } from '../../../../core/collector.ts';
import type { GoogleUser, GoogleUsersSnapshot } from './snapshot.ts';

export const INACTIVE_AFTER_DAYS = 90;
export const MAX_SUPER_ADMINS = 4;

export const isActiveGoogleUser = (u: GoogleUser) => !u.suspended && !u.archived;
const active = (s: GoogleUsersSnapshot) => s.users.filter(isActiveGoogleUser);

export const twoStepEnrolled = perResource<GoogleUsersSnapshot, GoogleUser>(
  {
    id: 'google.users.2sv-enrolled',
    title: 'Active users are enrolled in 2-Step Verification',
    severity: 'high',
    procedure:
      'Reads every active (not suspended, not archived) Google Workspace user. Passes per user enrolled in 2-Step Verification; fails for each user who is not.',
    remediation:
      'Ask each user to enroll in 2-Step Verification, then enforce it for their organizational unit.',
  },
  active,
  (u) => u.primaryEmail,
  (u) => [u.isEnrolledIn2Sv, `${u.primaryEmail} is ${u.isEnrolledIn2Sv ? '' : 'not '}enrolled in 2SV`],
);

export const twoStepEnforced = perResource<GoogleUsersSnapshot, GoogleUser>(
  {
    id: 'google.users.2sv-enforced',
    title: '2-Step Verification is enforced for active users',
    severity: 'medium',
    procedure:
      'Reads every active Google Workspace user. Passes per user for whom 2-Step Verification is enforced; fails for each user for whom it is not.',
    remediation:
      'Security > Authentication > 2-Step Verification: turn on enforcement for every organizational unit.',
  },
  active,
  (u) => u.primaryEmail,
  (u) => [u.isEnforcedIn2Sv, `2SV is ${u.isEnforcedIn2Sv ? '' : 'not '}enforced for ${u.primaryEmail}`],
);

export const superAdmins2sv = perResource<GoogleUsersSnapshot, GoogleUser>(
  {
    id: 'google.super-admins.2sv',
    title: 'Super administrators are enrolled in and required to use 2-Step Verification',
    severity: 'critical',
    procedure:
      'Reads every active super administrator. Passes per admin both enrolled in and enforced to use 2-Step Verification; fails naming what is missing.',
    remediation: 'Enroll every super administrator in 2SV with a security key and enforce it for their unit.',
  },
  (s) => active(s).filter((u) => u.isAdmin),
  (u) => u.primaryEmail,
  (u) => {
    const missing = [!u.isEnrolledIn2Sv && 'not enrolled', !u.isEnforcedIn2Sv && 'not enforced'].filter(
      Boolean,
    );
    return missing.length === 0
      ? [true, `super admin ${u.primaryEmail} has 2SV enrolled and enforced`]
      : [false, `super admin ${u.primaryEmail}: 2SV ${missing.join(' and ')}`];
  },
);

export const usersInactive = perResource<GoogleUsersSnapshot, GoogleUser>(
  {
    id: 'google.users.inactive',
    title: `Active users have signed in within ${INACTIVE_AFTER_DAYS} days`,
    severity: 'medium',
    procedure: `Reads every active Google Workspace user with their last sign-in (or creation) time. Passes per user who signed in within ${INACTIVE_AFTER_DAYS} days of the collection; fails for each user idle longer.`,
    remediation: 'Suspend users who no longer sign in; delete them after transferring their data.',
  },
  active,
  (u) => u.primaryEmail,
  (u, _s, { asOf }) => {
    const since = u.lastLoginTime ?? u.creationTime;
    if (!since) return [false, `${u.primaryEmail} has neither a last sign-in nor a creation time`];
    const days = daysBetween(since, asOf);
    const what = u.lastLoginTime
      ? `last signed in ${days} days ago`
      : `never signed in, created ${days} days ago`;
    return [days <= INACTIVE_AFTER_DAYS, `${u.primaryEmail} ${what}`];
  },
);

export const superAdminsLimited: Check<GoogleUsersSnapshot> = {
  id: 'google.super-admins.limited',
  title: `At most ${MAX_SUPER_ADMINS} super administrators`,
  severity: 'low',
  procedure: `Reads every active super administrator of the domain. Passes when there are at most ${MAX_SUPER_ADMINS}; fails when there are more, naming them.`,
  remediation:
    'Give day-to-day administrators delegated admin roles; keep super admin for a few named people.',
  evaluate(s, { scope }) {
    const admins = active(s).filter((u) => u.isAdmin);
    return [
      finding(
        this.id,
        scope.id,
        admins.length <= MAX_SUPER_ADMINS,
        `${admins.length} active super administrators${admins.length ? `: ${admins.map((u) => u.primaryEmail).join(', ')}` : ''}`,
      ),
    ];
  },
};

export const checks = [twoStepEnrolled, twoStepEnforced, superAdmins2sv, usersInactive, superAdminsLimited];
