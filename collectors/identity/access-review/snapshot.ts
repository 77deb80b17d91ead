import type { ReviewSystem } from './identity-map.ts';

/** One account in one system, joined to the person it belongs to. */
export interface ReviewAccount {
  readonly system: ReviewSystem;
  /** The org, tenant, account or instance the account lives in. */
  readonly scope: string;
  readonly account: string;
  /** The person's e-mail (lower case); null when neither an e-mail nor the identity map names one. */
  readonly person: string | null;
  readonly matchedBy: 'email' | 'identity-map' | 'service-account' | 'none';
  /** The system's own word for the account's state (ACTIVE, DEPROVISIONED, enabled, suspended, member …). */
  readonly status: string;
  /** Whether the account can be used now (an IdP user not deactivated, an IAM user with a credential, …). */
  readonly active: boolean;
  readonly admin: boolean;
  /** What the account can do: roles, permission sets, credentials, org role. */
  readonly access: readonly string[];
  /** true/false when the system says; null when unknown or not applicable (e.g. sign-in through the IdP). */
  readonly mfa: boolean | null;
  readonly lastActivity: string | null;
  /** For service accounts: who owns it and why it exists. */
  readonly serviceAccount?: { readonly owner: string; readonly purpose: string };
}

/**
 * One account as its own system describes it, before the review joins it to a person: what each source's
 * `reviewAccounts` mapper (next to its snapshot) returns. `email` is the address the join may use.
 */
export type AccountDraft = Omit<
  ReviewAccount,
  'system' | 'scope' | 'person' | 'matchedBy' | 'serviceAccount'
> & {
  readonly email: string | null;
};

export type IdpStatus = 'active' | 'deactivated' | 'missing';

export interface ReviewPerson {
  readonly email: string;
  readonly idpStatus: IdpStatus;
}

/** An evidence artifact the review was derived from. */
export interface ReviewSource {
  readonly collector: string;
  readonly scope: string;
  readonly key: string;
  readonly sha256: string;
  readonly collectedAt: string;
  readonly status: 'ok' | 'error';
}

export interface OrphanedAccount {
  readonly system: ReviewSystem;
  readonly scope: string;
  readonly account: string;
  readonly person: string | null;
  readonly reason: string;
}

export interface AdminWithoutMfa {
  /** The person's e-mail, or `system:scope:account` for an account no person is known for. */
  readonly who: string;
  readonly adminIn: readonly string[];
  readonly withoutMfa: readonly string[];
}

export interface AccessReviewSnapshot {
  readonly sources: readonly ReviewSource[];
  /** Input collectors with no artifact in the store at all: systems this review does not cover. */
  readonly notCollected: readonly string[];
  /** Inputs that could not be used (failed collections, unexpected shapes, nothing from any IdP). */
  readonly gaps: readonly string[];
  /** The identity map file and the SHA-256 of its bytes; null when none was used. */
  readonly identityMap: { readonly file: string; readonly sha256: string } | null;
  /** True when at least one identity-provider snapshot was available to judge against. */
  readonly idpEvidence: boolean;
  readonly people: readonly ReviewPerson[];
  readonly accounts: readonly ReviewAccount[];
  readonly orphaned: readonly OrphanedAccount[];
  readonly adminsWithoutMfa: readonly AdminWithoutMfa[];
}
