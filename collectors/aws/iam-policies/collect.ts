import { IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import type { AwsSession } from '../session.ts';
import { parseDocument } from '../shared/policy-document.ts';
import type {
  IamPoliciesSnapshot,
  PolicySnapshot,
  PrincipalSnapshot,
  RoleSnapshot,
  UserSnapshot,
} from './snapshot.ts';

/**
 * The whole IAM authorisation picture in one paginated call (GetAccountAuthorizationDetails): users, groups
 * and roles with their attached and inline policies, role trust policies and last use, and the default
 * version of every customer-managed policy.
 */
export async function collect(session: AwsSession): Promise<IamPoliciesSnapshot> {
  const users: UserSnapshot[] = [];
  const groups: PrincipalSnapshot[] = [];
  const roles: RoleSnapshot[] = [];
  const policies: PolicySnapshot[] = [];
  const inline = (owner: string, items: { PolicyName?: string; PolicyDocument?: string }[] | undefined) =>
    (items ?? []).map((i) => {
      policies.push({
        id: `${owner}/inline/${i.PolicyName}`,
        name: i.PolicyName ?? '',
        kind: 'inline',
        attachedTo: [owner],
        statements: parseDocument(i.PolicyDocument),
      });
      return i.PolicyName ?? '';
    });
  const attached = (items: { PolicyArn?: string }[] | undefined) =>
    (items ?? []).map((a) => a.PolicyArn ?? '');
  const managed: { arn: string; name: string; document?: string }[] = [];
  const client = session.client(IAMClient);
  const Filter = ['User' as const, 'Group' as const, 'Role' as const, 'LocalManagedPolicy' as const];
  for await (const page of paginateGetAccountAuthorizationDetails({ client }, { Filter })) {
    for (const u of page.UserDetailList ?? []) {
      const arn = u.Arn ?? '';
      users.push({
        name: u.UserName ?? '',
        arn,
        attachedPolicies: attached(u.AttachedManagedPolicies),
        inlinePolicies: inline(arn, u.UserPolicyList),
        groups: u.GroupList ?? [],
      });
    }
    for (const g of page.GroupDetailList ?? []) {
      const arn = g.Arn ?? '';
      groups.push({
        name: g.GroupName ?? '',
        arn,
        attachedPolicies: attached(g.AttachedManagedPolicies),
        inlinePolicies: inline(arn, g.GroupPolicyList),
      });
    }
    for (const r of page.RoleDetailList ?? []) {
      const arn = r.Arn ?? '';
      roles.push({
        name: r.RoleName ?? '',
        arn,
        path: r.Path ?? '/',
        createdAt: r.CreateDate?.toISOString() ?? '',
        lastUsedAt: r.RoleLastUsed?.LastUsedDate?.toISOString() ?? null,
        trust: parseDocument(r.AssumeRolePolicyDocument),
        attachedPolicies: attached(r.AttachedManagedPolicies),
        inlinePolicies: inline(arn, r.RolePolicyList),
      });
    }
    for (const p of page.Policies ?? []) {
      const version = p.PolicyVersionList?.find((v) => v.IsDefaultVersion);
      managed.push({ arn: p.Arn ?? '', name: p.PolicyName ?? '', document: version?.Document });
    }
  }
  for (const m of managed) {
    const holders = [...users, ...groups, ...roles].filter((x) => x.attachedPolicies.includes(m.arn));
    policies.push({
      id: m.arn,
      name: m.name,
      kind: 'managed',
      attachedTo: holders.map((h) => h.arn),
      statements: parseDocument(m.document),
    });
  }
  return { users, groups, roles, policies };
}
