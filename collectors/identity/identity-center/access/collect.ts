import {
  IdentitystoreClient,
  paginateListGroupMemberships,
  paginateListGroups,
  paginateListUsers,
} from '@aws-sdk/client-identitystore';
import {
  DescribePermissionSetCommand,
  GetInlinePolicyForPermissionSetCommand,
  paginateListAccountAssignmentsForPrincipal,
  paginateListCustomerManagedPolicyReferencesInPermissionSet,
  paginateListInstances,
  paginateListManagedPoliciesInPermissionSet,
  paginateListPermissionSets,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import pLimit from 'p-limit';
import type { Scope } from '../../../../core/model.ts';
import type { AwsSession } from '../../../aws/session.ts';
import type {
  IdentityCenterAssignment,
  IdentityCenterGroup,
  IdentityCenterPermissionSet,
  IdentityCenterSnapshot,
  IdentityCenterUser,
} from './snapshot.ts';

async function collectAll<P, T>(pages: AsyncIterable<P>, items: (page: P) => T[] | undefined): Promise<T[]> {
  const out: T[] = [];
  for await (const page of pages) out.push(...(items(page) ?? []));
  return out;
}

/** The instance the scope names (its id, e.g. ssoins-…), found in the region's list. */
async function findInstance(sso: SSOAdminClient, scope: Scope) {
  const instances = await collectAll(paginateListInstances({ client: sso }, {}), (p) => p.Instances);
  const instance = instances.find((i) => i.InstanceArn?.endsWith(`/${scope.id}`));
  if (!instance?.InstanceArn || !instance.IdentityStoreId)
    throw new Error(
      `IAM Identity Center instance ${scope.id} not found in ${scope.region ?? 'the home region'} (found: ${instances.map((i) => i.InstanceArn).join(', ') || 'none'})`,
    );
  return { instanceArn: instance.InstanceArn, identityStoreId: instance.IdentityStoreId };
}

export async function collect(session: AwsSession, scope: Scope): Promise<IdentityCenterSnapshot> {
  const region = scope.region ?? session.homeRegion;
  const sso = session.client(SSOAdminClient, region);
  const store = session.client(IdentitystoreClient, region);
  const { instanceArn, identityStoreId } = await findInstance(sso, scope);
  const limit = pLimit(4);

  const rawUsers = await collectAll(
    paginateListUsers({ client: store }, { IdentityStoreId: identityStoreId }),
    (p) => p.Users,
  );
  const users: IdentityCenterUser[] = rawUsers.map((u) => {
    const emails = [...(u.Emails ?? [])].sort((a, b) => Number(!!b.Primary) - Number(!!a.Primary));
    return {
      userId: u.UserId ?? '',
      userName: u.UserName ?? '',
      displayName: u.DisplayName ?? null,
      emails: emails.map((e) => e.Value).filter((v): v is string => !!v),
    };
  });
  const rawGroups = await collectAll(
    paginateListGroups({ client: store }, { IdentityStoreId: identityStoreId }),
    (p) => p.Groups,
  );
  const groups: IdentityCenterGroup[] = await Promise.all(
    rawGroups.map((g) =>
      limit(async () => {
        const memberships = await collectAll(
          paginateListGroupMemberships(
            { client: store },
            { IdentityStoreId: identityStoreId, GroupId: g.GroupId },
          ),
          (p) => p.GroupMemberships,
        );
        return {
          groupId: g.GroupId ?? '',
          displayName: g.DisplayName ?? g.GroupId ?? '',
          memberUserIds: memberships.map((m) => m.MemberId?.UserId).filter((id): id is string => !!id),
        };
      }),
    ),
  );
  const setArns = await collectAll(
    paginateListPermissionSets({ client: sso }, { InstanceArn: instanceArn }),
    (p) => p.PermissionSets,
  );
  const permissionSets: IdentityCenterPermissionSet[] = await Promise.all(
    setArns.map((arn) =>
      limit(async () => {
        const input = { InstanceArn: instanceArn, PermissionSetArn: arn };
        const [described, managed, customer, inline] = await Promise.all([
          sso.send(new DescribePermissionSetCommand(input)),
          collectAll(
            paginateListManagedPoliciesInPermissionSet({ client: sso }, input),
            (p) => p.AttachedManagedPolicies,
          ),
          collectAll(
            paginateListCustomerManagedPolicyReferencesInPermissionSet({ client: sso }, input),
            (p) => p.CustomerManagedPolicyReferences,
          ),
          sso.send(new GetInlinePolicyForPermissionSetCommand(input)),
        ]);
        let inlinePolicy: unknown = null;
        if (inline.InlinePolicy) {
          try {
            inlinePolicy = JSON.parse(inline.InlinePolicy);
          } catch {
            throw new Error(`permission set ${arn}: inline policy is not JSON`);
          }
        }
        return {
          arn,
          name: described.PermissionSet?.Name ?? arn,
          sessionDuration: described.PermissionSet?.SessionDuration ?? null,
          managedPolicies: managed
            .map((m) => m.Arn)
            .filter((a): a is string => !!a)
            .sort(),
          customerManagedPolicies: customer.map((c) => `${c.Path ?? '/'}${c.Name}`).sort(),
          inlinePolicy,
        };
      }),
    ),
  );
  const principals = [
    ...users.map((u) => ({ PrincipalId: u.userId, PrincipalType: 'USER' as const })),
    ...groups.map((g) => ({ PrincipalId: g.groupId, PrincipalType: 'GROUP' as const })),
  ];
  const assignments: IdentityCenterAssignment[] = (
    await Promise.all(
      principals.map((principal) =>
        limit(() =>
          collectAll(
            paginateListAccountAssignmentsForPrincipal(
              { client: sso },
              { InstanceArn: instanceArn, ...principal },
            ),
            (p) => p.AccountAssignments,
          ),
        ),
      ),
    )
  )
    .flat()
    .map((a) => ({
      accountId: a.AccountId ?? '',
      permissionSetArn: a.PermissionSetArn ?? '',
      principalType: a.PrincipalType === 'GROUP' ? ('GROUP' as const) : ('USER' as const),
      principalId: a.PrincipalId ?? '',
    }));
  users.sort((a, b) => a.userName.localeCompare(b.userName));
  groups.sort((a, b) => a.displayName.localeCompare(b.displayName));
  permissionSets.sort((a, b) => a.name.localeCompare(b.name));
  return { instanceArn, identityStoreId, users, groups, permissionSets, assignments };
}
