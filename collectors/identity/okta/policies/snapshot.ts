export interface OktaPasswordPolicy {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly priority: number | null;
  readonly minLength: number | null;
  /** Previous passwords a user cannot reuse. */
  readonly historyCount: number | null;
  readonly maxAgeDays: number | null;
  /** Failed attempts before lock-out; null or 0 means never locked out. */
  readonly lockoutMaxAttempts: number | null;
}

export interface OktaSignOnRule {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  /** ALLOW or DENY; null when the rule states none. */
  readonly access: string | null;
  /**
   * The rule asks for a second factor (`requireFactor`, or an assurance of `2FA`); null when its verification
   * method is one Proofline does not judge (an authentication method chain, or a type Okta adds later).
   */
  readonly requiresMfa: boolean | null;
  /** The authentication policy rule's verification method type (ASSURANCE, AUTH_METHOD_CHAIN…). */
  readonly verificationMethod?: string;
}

/** A global session policy (OKTA_SIGN_ON) or an app authentication policy (ACCESS_POLICY, Identity Engine). */
export interface OktaSignOnPolicy {
  readonly id: string;
  readonly name: string;
  readonly type: 'OKTA_SIGN_ON' | 'ACCESS_POLICY';
  readonly status: string;
  readonly rules: readonly OktaSignOnRule[];
}

export interface OktaPoliciesSnapshot {
  readonly orgUrl: string;
  readonly passwordPolicies: readonly OktaPasswordPolicy[];
  readonly signOnPolicies: readonly OktaSignOnPolicy[];
}
