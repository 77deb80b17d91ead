import type { AccountItem } from '../../../core/collector.ts';
import type { CredentialReportSnapshot } from '../../aws/iam-credential-report/snapshot.ts';
import { reviewAccounts as entraAccounts } from '../entra/users/accounts.ts';
import type { EntraUsersSnapshot } from '../entra/users/snapshot.ts';
import { reviewAccounts as googleAccounts } from '../google/users/accounts.ts';
import type { GoogleUsersSnapshot } from '../google/users/snapshot.ts';
import { reviewAccounts as identityCenterAccounts } from '../identity-center/access/accounts.ts';
import type { IdentityCenterSnapshot } from '../identity-center/access/snapshot.ts';
import { reviewAccounts as oktaAccounts } from '../okta/users/accounts.ts';
import type { OktaUsersSnapshot } from '../okta/users/snapshot.ts';
import { reviewAccounts as awsIamAccounts } from './aws-iam.ts';
import {
  GITHUB_MEMBERS_COLLECTOR,
  type GithubOrgMembersSnapshot,
  reviewAccounts as githubAccounts,
} from './github.ts';
import { type IdentityMap, identityMapIndex, type ReviewSystem } from './identity-map.ts';
import type {
  AccessReviewSnapshot,
  AccountDraft,
  AdminWithoutMfa,
  IdpStatus,
  OrphanedAccount,
  ReviewAccount,
  ReviewPerson,
  ReviewSource,
} from './snapshot.ts';

export interface Scoped<S> {
  readonly scope: string;
  readonly snapshot: S;
}

/** The latest snapshot of each system in scope (several scopes per system are possible). */
export interface ReviewInputs {
  readonly okta: readonly Scoped<OktaUsersSnapshot>[];
  readonly entra: readonly Scoped<EntraUsersSnapshot>[];
  readonly google: readonly Scoped<GoogleUsersSnapshot>[];
  readonly identityCenter: readonly Scoped<IdentityCenterSnapshot>[];
  readonly awsIam: readonly Scoped<CredentialReportSnapshot>[];
  readonly github: readonly Scoped<GithubOrgMembersSnapshot>[];
}

export const IDP_SYSTEMS: readonly ReviewSystem[] = ['okta', 'entra', 'google'];
const isIdp = (a: ReviewAccount) => IDP_SYSTEMS.includes(a.system);

/** Where each input comes from and how its accounts read: one entry per system the review joins. */
export const REVIEW_SOURCES: {
  readonly [K in keyof ReviewInputs]: {
    readonly system: ReviewSystem;
    /** The collector whose latest snapshots the review reads. */
    readonly collector: string;
    readonly accounts: (snapshot: ReviewInputs[K][number]['snapshot']) => AccountDraft[];
  };
} = {
  okta: { system: 'okta', collector: 'okta.users', accounts: oktaAccounts },
  entra: { system: 'entra', collector: 'entra.users', accounts: entraAccounts },
  google: { system: 'google', collector: 'google.users', accounts: googleAccounts },
  identityCenter: {
    system: 'identity-center',
    collector: 'identity-center.access',
    accounts: identityCenterAccounts,
  },
  awsIam: { system: 'aws-iam', collector: 'aws.iam.credential-report', accounts: awsIamAccounts },
  github: { system: 'github', collector: GITHUB_MEMBERS_COLLECTOR, accounts: githubAccounts },
};

type Draft = AccountDraft & Pick<ReviewAccount, 'system' | 'scope'>;

function accountsOf(inputs: ReviewInputs): Draft[] {
  return (Object.keys(REVIEW_SOURCES) as (keyof ReviewInputs)[]).flatMap((input) => {
    const { system, accounts } = REVIEW_SOURCES[input] as {
      system: ReviewSystem;
      accounts: (snapshot: unknown) => AccountDraft[];
    };
    return inputs[input].flatMap(({ scope, snapshot }) =>
      accounts(snapshot).map((a) => ({ system, scope, ...a })),
    );
  });
}

/** Joins every account to a person (identity map first, then e-mail) and each person to their IdP status. */
export function joinIdentities(
  inputs: ReviewInputs,
  map: IdentityMap,
): { accounts: ReviewAccount[]; people: ReviewPerson[]; idpEvidence: boolean } {
  const index = identityMapIndex(map);
  const accounts: ReviewAccount[] = accountsOf(inputs).map(({ email, ...a }) => {
    const service = index.serviceAccount(a.system, a.account);
    if (service)
      return {
        ...a,
        person: null,
        matchedBy: 'service-account',
        serviceAccount: { owner: service.owner, purpose: service.purpose },
      };
    const mapped = index.personOf(a.system, a.account);
    if (mapped) return { ...a, person: mapped, matchedBy: 'identity-map' };
    return email
      ? { ...a, person: email.toLowerCase(), matchedBy: 'email' }
      : { ...a, person: null, matchedBy: 'none' };
  });
  const emails = [...new Set(accounts.map((a) => a.person).filter((p): p is string => !!p))].sort();
  const people = emails.map((email): ReviewPerson => {
    const idp = accounts.filter((a) => a.person === email && isIdp(a));
    const idpStatus: IdpStatus =
      idp.length === 0 ? 'missing' : idp.some((a) => a.active) ? 'active' : 'deactivated';
    return { email, idpStatus };
  });
  const idpEvidence = inputs.okta.length + inputs.entra.length + inputs.google.length > 0;
  // By person (accounts of nobody last), then system and account: code-unit order, the same everywhere.
  const order = (a: ReviewAccount) => [
    a.person === null ? '1' : '0',
    a.person ?? '',
    a.system,
    a.account.toLowerCase(),
  ];
  accounts.sort((a, b) => {
    const [x, y] = [order(a), order(b)];
    const i = x.findIndex((v, n) => v !== y[n]);
    return i < 0 ? 0 : (x[i] ?? '') < (y[i] ?? '') ? -1 : 1;
  });
  return { accounts, people, idpEvidence };
}

/**
 * Accounts that still work downstream (Identity Center, IAM, GitHub) while the person behind them is
 * deactivated in the IdP, unknown to it, or unknown altogether. Declared service accounts are exempt.
 */
export function orphanedAccounts(
  s: Pick<AccessReviewSnapshot, 'accounts' | 'people' | 'idpEvidence'>,
): OrphanedAccount[] {
  if (!s.idpEvidence) return [];
  const status = new Map(s.people.map((p) => [p.email, p.idpStatus]));
  return s.accounts.flatMap((a) => {
    if (isIdp(a) || !a.active || a.matchedBy === 'service-account') return [];
    const what = `${a.system} account ${a.account} (${a.scope}) is active: ${a.access.join(', ') || a.status}`;
    if (!a.person)
      return [{ ...pick(a), reason: `${what}, but no person is known for it (add it to the identity map)` }];
    const idp = status.get(a.person);
    if (idp === 'active') return [];
    return [
      {
        ...pick(a),
        reason:
          idp === 'deactivated'
            ? `${what}, but ${a.person} is deactivated in the identity provider`
            : `${what}, but ${a.person} has no identity-provider account`,
      },
    ];
  });
}

/** Every account the review covered, as an archive lists it: its person, rights, MFA and whether it is orphaned. */
export function reviewedAccounts(s: AccessReviewSnapshot): AccountItem[] {
  const orphaned = new Map(orphanedAccounts(s).map((o) => [`${o.system}:${o.scope}:${o.account}`, o.reason]));
  return s.accounts.map((a) => {
    const account = `${a.system}:${a.scope}:${a.account}`;
    const orphan = orphaned.get(account);
    return {
      account,
      status: a.status,
      active: a.active,
      attributes: {
        person: a.person ?? '',
        matched_by: a.matchedBy,
        admin: String(a.admin),
        mfa: a.mfa === null ? 'unknown' : String(a.mfa),
        access: a.access.join(', '),
        orphaned: orphan ?? 'no',
      },
    };
  });
}

const pick = (a: ReviewAccount) => ({
  system: a.system,
  scope: a.scope,
  account: a.account,
  person: a.person,
});
const label = (a: ReviewAccount) => `${a.system} ${a.account}`;

/** People (or unmapped accounts) with admin rights anywhere who lack MFA on an account they can sign in with. */
export function adminsWithoutMfa(s: Pick<AccessReviewSnapshot, 'accounts'>): AdminWithoutMfa[] {
  const groups = new Map<string, ReviewAccount[]>();
  for (const a of s.accounts) {
    if (!a.active || a.matchedBy === 'service-account') continue;
    const who = a.person ?? `${a.system}:${a.scope}:${a.account}`;
    groups.set(who, [...(groups.get(who) ?? []), a]);
  }
  return [...groups]
    .filter(([, accounts]) => accounts.some((a) => a.admin))
    .map(([who, accounts]) => ({
      who,
      adminIn: accounts.filter((a) => a.admin).map((a) => `${label(a)} (${a.access.join(', ')})`),
      withoutMfa: accounts.filter((a) => a.mfa === false).map(label),
    }))
    .sort((a, b) => a.who.localeCompare(b.who));
}

/** The whole review: the join plus its verdicts, with the evidence it came from. */
export function buildAccessReview(
  inputs: ReviewInputs,
  map: IdentityMap,
  provenance: {
    sources: readonly ReviewSource[];
    notCollected: readonly string[];
    gaps: readonly string[];
    identityMap: AccessReviewSnapshot['identityMap'];
  },
): AccessReviewSnapshot {
  const joined = joinIdentities(inputs, map);
  const gaps = [...provenance.gaps];
  if (!joined.idpEvidence)
    gaps.push(
      'no identity-provider snapshot (okta.users, entra.users, google.users): orphaned access cannot be judged',
    );
  return {
    sources: provenance.sources,
    notCollected: provenance.notCollected,
    gaps,
    identityMap: provenance.identityMap,
    ...joined,
    orphaned: orphanedAccounts(joined),
    adminsWithoutMfa: adminsWithoutMfa(joined),
  };
}
