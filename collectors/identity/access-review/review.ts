import type { AccountItem } from '../../../core/collector.ts';
import type { CredentialReportSnapshot } from '../../aws/iam-credential-report/snapshot.ts';
import { privilegedRolesOf } from '../entra/users/checks.ts';
import type { EntraUsersSnapshot } from '../entra/users/snapshot.ts';
import { isActiveGoogleUser } from '../google/users/checks.ts';
import type { GoogleUsersSnapshot } from '../google/users/snapshot.ts';
import { accessByUser, adminGrantsByUser } from '../identity-center/access/admin.ts';
import type { IdentityCenterSnapshot } from '../identity-center/access/snapshot.ts';
import { activeFactors } from '../okta/users/checks.ts';
import type { OktaUsersSnapshot } from '../okta/users/snapshot.ts';
import { isDeactivated } from '../okta/users/snapshot.ts';
import type { GithubOrgMembersSnapshot } from './github.ts';
import { type IdentityMap, identityMapIndex, type ReviewSystem } from './identity-map.ts';
import type {
  AccessReviewSnapshot,
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

type Draft = Omit<ReviewAccount, 'person' | 'matchedBy' | 'serviceAccount'> & { email: string | null };

function accountsOf(inputs: ReviewInputs): Draft[] {
  const drafts: Draft[] = [];
  for (const { scope, snapshot } of inputs.okta)
    for (const u of snapshot.users)
      drafts.push({
        system: 'okta',
        scope,
        account: u.login,
        email: u.email ?? (u.login.includes('@') ? u.login : null),
        status: u.status,
        active: !isDeactivated(u),
        admin: u.adminRoles.length > 0,
        access: [...u.adminRoles, ...u.assignedApps.map((a) => `app ${a.label}`)],
        mfa: activeFactors(u).length > 0,
        lastActivity: u.lastLogin,
      });
  for (const { scope, snapshot } of inputs.entra)
    for (const u of snapshot.users)
      drafts.push({
        system: 'entra',
        scope,
        account: u.userPrincipalName,
        email: u.mail ?? (u.userType === 'Guest' ? null : u.userPrincipalName),
        status: `${u.accountEnabled ? 'enabled' : 'disabled'}${u.userType === 'Guest' ? ' guest' : ''}`,
        active: u.accountEnabled,
        admin: privilegedRolesOf(u).length > 0,
        access: u.directoryRoles.map((r) => r.displayName),
        mfa: u.mfaCapable,
        lastActivity: u.lastSignIn,
      });
  for (const { scope, snapshot } of inputs.google)
    for (const u of snapshot.users)
      drafts.push({
        system: 'google',
        scope,
        account: u.primaryEmail,
        email: u.primaryEmail,
        status: u.suspended ? 'suspended' : u.archived ? 'archived' : 'active',
        active: isActiveGoogleUser(u),
        admin: u.isAdmin,
        access: u.isAdmin ? ['super admin'] : u.isDelegatedAdmin ? ['delegated admin'] : [],
        mfa: u.isEnrolledIn2Sv,
        lastActivity: u.lastLoginTime,
      });
  for (const { scope, snapshot } of inputs.identityCenter) {
    const access = accessByUser(snapshot);
    const admins = adminGrantsByUser(snapshot);
    for (const u of snapshot.users) {
      const granted = access.get(u.userId) ?? [];
      drafts.push({
        system: 'identity-center',
        scope,
        account: u.userName,
        email: u.emails[0] ?? null,
        status: granted.length ? 'assigned' : 'no assignments',
        active: granted.length > 0,
        admin: (admins.get(u.userId) ?? []).length > 0,
        access: granted,
        // Users sign in through the identity source: MFA is judged on their IdP account.
        mfa: null,
        lastActivity: null,
      });
    }
  }
  for (const { scope, snapshot } of inputs.awsIam)
    for (const u of snapshot.users) {
      if (u.user === '<root_account>') continue;
      const keys = u.accessKeys.filter((k) => k.active).map((k) => `access key ${k.slot}`);
      const credentials = [...(u.passwordEnabled ? ['console password'] : []), ...keys];
      drafts.push({
        system: 'aws-iam',
        scope,
        account: u.user,
        email: u.user.includes('@') ? u.user : null,
        status: credentials.length ? 'credentials active' : 'no active credentials',
        active: credentials.length > 0,
        // The credential report does not say what a user may do; IAM policies are another collector's.
        admin: false,
        access: credentials,
        mfa: u.passwordEnabled ? u.mfaActive : null,
        lastActivity:
          [u.passwordLastUsed, ...u.accessKeys.map((k) => k.lastUsed)]
            .filter((d): d is string => !!d)
            .sort()
            .at(-1) ?? null,
      });
    }
  for (const { scope, snapshot } of inputs.github)
    for (const m of snapshot.members)
      drafts.push({
        system: 'github',
        scope,
        account: m.login,
        email: m.email ?? null,
        status: m.role ?? 'member',
        active: true,
        admin: m.role === 'admin',
        access: [m.role ?? 'member'],
        mfa: m.twoFactorEnabled ?? null,
        lastActivity: null,
      });
  return drafts;
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
