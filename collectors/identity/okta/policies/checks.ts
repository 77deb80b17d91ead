import { type Check, finding } from '../../../../core/collector.ts';
import type { OktaPoliciesSnapshot } from './snapshot.ts';

export const MIN_PASSWORD_LENGTH = 12;
export const MIN_PASSWORD_HISTORY = 4;
export const MAX_LOCKOUT_ATTEMPTS = 10;

const orgResource = (s: OktaPoliciesSnapshot) => new URL(s.orgUrl).host;

export const passwordPolicyStrength: Check<OktaPoliciesSnapshot> = {
  id: 'okta.password-policy.strength',
  title: 'Active password policies are strong',
  severity: 'medium',
  procedure: `Reads every active Okta password policy. Passes per policy with a minimum length of at least ${MIN_PASSWORD_LENGTH}, a history of at least ${MIN_PASSWORD_HISTORY} and lock-out after at most ${MAX_LOCKOUT_ATTEMPTS} attempts; fails naming each weakness, or when no policy is active.`,
  remediation: `In Security > Authenticators > Password, set a minimum length of at least ${MIN_PASSWORD_LENGTH}, remember at least ${MIN_PASSWORD_HISTORY} previous passwords and lock out after at most ${MAX_LOCKOUT_ATTEMPTS} failed attempts.`,
  evaluate(s) {
    const active = s.passwordPolicies.filter((p) => p.status === 'ACTIVE');
    if (active.length === 0) return [finding(this.id, orgResource(s), false, 'no active password policy')];
    return active.map((p) => {
      const weaknesses = [
        (p.minLength ?? 0) < MIN_PASSWORD_LENGTH &&
          `minimum length ${p.minLength ?? 'unset'} < ${MIN_PASSWORD_LENGTH}`,
        (p.historyCount ?? 0) < MIN_PASSWORD_HISTORY &&
          `password history ${p.historyCount ?? 'unset'} < ${MIN_PASSWORD_HISTORY}`,
        !(p.lockoutMaxAttempts && p.lockoutMaxAttempts <= MAX_LOCKOUT_ATTEMPTS) &&
          `lock-out after ${p.lockoutMaxAttempts || 'unlimited'} attempts (at most ${MAX_LOCKOUT_ATTEMPTS})`,
      ].filter((w): w is string => typeof w === 'string');
      return finding(
        this.id,
        `password-policy/${p.name}`,
        weaknesses.length === 0,
        weaknesses.length ? `${p.name}: ${weaknesses.join('; ')}` : `${p.name} meets the minimums`,
      );
    });
  },
};

export const signOnMfaRequired: Check<OktaPoliciesSnapshot> = {
  id: 'okta.sign-on.mfa-required',
  title: 'Sign-on policies require MFA for every rule that allows access',
  severity: 'high',
  procedure:
    'Reads the active global session and authentication policies with their rules. Passes per policy when every active rule that allows access requires a second factor; fails naming each rule that does not, each rule verifying users by an authentication method chain (its steps are left to review), or when no policy is active.',
  remediation:
    'In the global session policy and each authentication policy, make every rule that allows access require a second factor (or "any two factors").',
  evaluate(s) {
    const active = s.signOnPolicies.filter((p) => p.status === 'ACTIVE');
    if (active.length === 0) return [finding(this.id, orgResource(s), false, 'no active sign-on policy')];
    return active.map((p) => {
      const allowing = p.rules.filter((r) => r.status === 'ACTIVE' && r.access !== 'DENY');
      const withoutMfa = allowing.filter((r) => r.requiresMfa === false);
      const unjudged = allowing.filter((r) => r.requiresMfa === null);
      const kind = p.type === 'OKTA_SIGN_ON' ? 'global session policy' : 'authentication policy';
      const names = (rules: readonly { name: string }[]) => rules.map((r) => r.name).join(', ');
      const methods = [...new Set(unjudged.map((r) => r.verificationMethod))].join(', ');
      const problems = [
        ...(withoutMfa.length ? [`allows access without MFA in rule ${names(withoutMfa)}`] : []),
        ...(unjudged.length
          ? [
              `verifies users in rule ${names(unjudged)} by a method not judged here (${methods}): review its steps`,
            ]
          : []),
      ];
      return finding(
        this.id,
        `${p.type === 'OKTA_SIGN_ON' ? 'sign-on-policy' : 'authentication-policy'}/${p.name}`,
        problems.length === 0,
        allowing.length === 0
          ? `${kind} ${p.name} allows no access`
          : problems.length === 0
            ? `every allowing rule of ${kind} ${p.name} requires MFA`
            : `${kind} ${p.name} ${problems.join('; ')}`,
      );
    });
  },
};

export const checks = [passwordPolicyStrength, signOnMfaRequired];
