import { type Check, finding } from '../../../../core/collector.ts';
import { CORE_ADMIN_ROLE_TEMPLATES, PRIVILEGED_ROLE_TEMPLATES } from '../roles.ts';
import type { ConditionalAccessPolicy, ConditionalAccessSnapshot } from './snapshot.ts';

/**
 * Enforced, for every cloud app, and the grant cannot be satisfied without MFA: with AND it asks for MFA or
 * an authentication strength that grants the MFA claim; with OR every alternative is one of those, since a
 * device or app control, a custom control, terms of use or a single-factor strength would let users in
 * without MFA. A snapshot that does not record the custom controls and terms of use, or what a strength
 * satisfies, cannot show that such a grant requires MFA.
 */
export function requiresMfa(p: ConditionalAccessPolicy): boolean {
  if (p.state !== 'enabled' || !p.includeApplications.includes('All')) return false;
  const mfaStrength = p.authenticationStrength !== null && p.authenticationStrengthSatisfies === 'mfa';
  if (!p.builtInControls.includes('mfa') && !mfaStrength) return false;
  if (p.grantOperator === 'AND') return true;
  if (!p.customAuthenticationFactors || !p.termsOfUse) return false;
  const otherWaysIn = [
    ...p.builtInControls.filter((c) => c !== 'mfa'),
    ...p.customAuthenticationFactors,
    ...p.termsOfUse,
    ...(p.authenticationStrength !== null && !mfaStrength ? [p.authenticationStrength] : []),
  ];
  return otherWaysIn.length === 0;
}

const exclusions = (p: ConditionalAccessPolicy) => {
  const n = p.excludeUsers.length + p.excludeGroups.length + p.excludeRoles.length;
  return n === 0 ? '' : ` (${n} exclusions, e.g. emergency-access accounts: review them)`;
};

const coversAllUsers = (p: ConditionalAccessPolicy) => p.includeUsers.includes('All');

export const mfaForAllUsers: Check<ConditionalAccessSnapshot> = {
  id: 'entra.ca.mfa-all-users',
  title: 'A Conditional Access policy requires MFA for all users and all cloud apps',
  severity: 'high',
  procedure:
    'Reads the Conditional Access policies of the tenant. Passes when an enabled policy for all users and all cloud apps cannot be satisfied without MFA (exclusions are listed for review): its grant asks for MFA or an authentication strength that Graph says satisfies MFA, and with operator OR offers no other way in (device or app controls, custom controls, terms of use, a strength that does not satisfy MFA); fails when there is none.',
  remediation:
    'Create an enabled Conditional Access policy: users All (exclude only emergency-access accounts), target resources All, grant "Require multifactor authentication" or an authentication strength made of multifactor combinations only; any other control, custom control or terms of use beside it only under "Require all the selected controls".',
  evaluate(s) {
    const policy = s.policies.find((p) => requiresMfa(p) && coversAllUsers(p));
    return [
      finding(
        this.id,
        s.tenantId,
        !!policy,
        policy
          ? `policy "${policy.displayName}" requires MFA for all users${exclusions(policy)}`
          : 'no enabled policy requires MFA for all users and all cloud apps',
      ),
    ];
  },
};

export const mfaForAdmins: Check<ConditionalAccessSnapshot> = {
  id: 'entra.ca.mfa-admins',
  title: 'Conditional Access requires MFA for the privileged administrator roles',
  severity: 'critical',
  procedure:
    'Reads the Conditional Access policies of the tenant. Passes when enabled policies requiring MFA for all cloud apps cover all users or every core administrator role; fails naming each role left uncovered.',
  remediation:
    'Create an enabled policy targeting the directory roles Global, Privileged Role, Privileged Authentication, Security and Conditional Access Administrator (or all users), all cloud apps, requiring MFA.',
  evaluate(s) {
    const enforcing = s.policies.filter(requiresMfa);
    const all = enforcing.find(coversAllUsers);
    if (all)
      return [
        finding(
          this.id,
          s.tenantId,
          true,
          `policy "${all.displayName}" requires MFA for all users, admins included`,
        ),
      ];
    const covered = new Set(
      enforcing.flatMap((p) => p.includeRoles.filter((r) => !p.excludeRoles.includes(r))),
    );
    const missing = CORE_ADMIN_ROLE_TEMPLATES.filter((r) => !covered.has(r));
    return [
      finding(
        this.id,
        s.tenantId,
        missing.length === 0,
        missing.length === 0
          ? 'enabled policies require MFA for every core administrator role'
          : `no enabled policy requires MFA for ${missing.map((r) => PRIVILEGED_ROLE_TEMPLATES[r]).join(', ')}`,
      ),
    ];
  },
};

export const checks = [mfaForAllUsers, mfaForAdmins];
