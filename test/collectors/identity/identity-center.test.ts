import {
  CreateGroupCommand,
  CreateGroupMembershipCommand,
  CreateUserCommand,
  IdentitystoreClient,
} from '@aws-sdk/client-identitystore';
import {
  AttachManagedPolicyToPermissionSetCommand,
  CreateAccountAssignmentCommand,
  CreatePermissionSetCommand,
  ListInstancesCommand,
  PutInlinePolicyToPermissionSetCommand,
  SSOAdminClient,
} from '@aws-sdk/client-sso-admin';
import { beforeAll, describe, expect, it } from 'vitest';
import { AwsSession } from '../../../collectors/aws/session.ts';
import {
  adminGrantsByUser,
  adminLikeReason,
} from '../../../collectors/identity/identity-center/access/admin.ts';
import {
  adminViaGroups,
  noInlineWildcard,
} from '../../../collectors/identity/identity-center/access/checks.ts';
import { collect } from '../../../collectors/identity/identity-center/access/collect.ts';
import type { IdentityCenterSnapshot } from '../../../collectors/identity/identity-center/access/snapshot.ts';
import { identityCenterConnector } from '../../../collectors/identity/identity-center/connector.ts';
import type { CheckContext } from '../../../core/collector.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';

const ACCOUNT = '123456789012';

describeAws('identity-center.access against moto_server', () => {
  let snapshot: IdentityCenterSnapshot;
  let instanceId: string;
  beforeAll(async () => {
    const sso = new SSOAdminClient(awsConfig());
    const store = new IdentitystoreClient(awsConfig());
    const instance = (await sso.send(new ListInstancesCommand({}))).Instances?.[0];
    const InstanceArn = instance?.InstanceArn ?? '';
    const IdentityStoreId = instance?.IdentityStoreId ?? '';
    instanceId = InstanceArn.split('/').at(-1) ?? '';
    const user = async (UserName: string, email: string) =>
      (
        await store.send(
          new CreateUserCommand({
            IdentityStoreId,
            UserName,
            DisplayName: UserName,
            Name: { GivenName: UserName, FamilyName: 'Example' },
            Emails: [{ Value: email, Primary: true, Type: 'work' }],
          }),
        )
      ).UserId ?? '';
    const alice = await user('alice', 'alice@acme.example');
    const dave = await user('dave', 'dave@acme.example');
    await user('erin', 'erin@acme.example');
    const admins =
      (await store.send(new CreateGroupCommand({ IdentityStoreId, DisplayName: 'aws-admins' }))).GroupId ??
      '';
    await store.send(
      new CreateGroupMembershipCommand({ IdentityStoreId, GroupId: admins, MemberId: { UserId: alice } }),
    );
    const permissionSet = async (Name: string) =>
      (await sso.send(new CreatePermissionSetCommand({ InstanceArn, Name, SessionDuration: 'PT1H' })))
        .PermissionSet?.PermissionSetArn ?? '';
    const adminSet = await permissionSet('AdministratorAccess');
    await sso.send(
      new AttachManagedPolicyToPermissionSetCommand({
        InstanceArn,
        PermissionSetArn: adminSet,
        ManagedPolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      }),
    );
    const breakGlass = await permissionSet('BreakGlass');
    await sso.send(
      new PutInlinePolicyToPermissionSetCommand({
        InstanceArn,
        PermissionSetArn: breakGlass,
        InlinePolicy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
        }),
      }),
    );
    const readOnly = await permissionSet('ReadOnly');
    await sso.send(
      new AttachManagedPolicyToPermissionSetCommand({
        InstanceArn,
        PermissionSetArn: readOnly,
        ManagedPolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess',
      }),
    );
    const assign = (PermissionSetArn: string, PrincipalType: 'USER' | 'GROUP', PrincipalId: string) =>
      sso.send(
        new CreateAccountAssignmentCommand({
          InstanceArn,
          TargetId: ACCOUNT,
          TargetType: 'AWS_ACCOUNT',
          PermissionSetArn,
          PrincipalType,
          PrincipalId,
        }),
      );
    await assign(adminSet, 'GROUP', admins);
    await assign(breakGlass, 'USER', dave);
    await assign(readOnly, 'USER', dave);

    const [target] = await identityCenterConnector.targets(
      [{ id: 'x' } as never],
      { region: 'us-east-1' },
      { env: process.env },
    );
    expect(target?.scope).toEqual({ source: 'identity-center', id: instanceId, region: 'us-east-1' });
    snapshot = await collect(target?.session as AwsSession, target!.scope);
  });

  it('reads users with their e-mail, groups with members, permission sets with policies, and assignments', () => {
    expect(snapshot.users.map((u) => [u.userName, u.emails[0]])).toEqual([
      ['alice', 'alice@acme.example'],
      ['dave', 'dave@acme.example'],
      ['erin', 'erin@acme.example'],
    ]);
    const alice = snapshot.users.find((u) => u.userName === 'alice');
    expect(snapshot.groups).toEqual([
      expect.objectContaining({ displayName: 'aws-admins', memberUserIds: [alice?.userId] }),
    ]);
    expect(snapshot.permissionSets.map((ps) => [ps.name, adminLikeReason(ps) ?? null])).toEqual([
      ['AdministratorAccess', 'AdministratorAccess managed policy'],
      ['BreakGlass', 'inline policy allows "*" on "*"'],
      ['ReadOnly', null],
    ]);
    expect(snapshot.assignments).toHaveLength(3);
  });

  it('finds the users holding admin assignments, directly or through a group', () => {
    const byName = new Map(snapshot.users.map((u) => [u.userId, u.userName]));
    const grants = [...adminGrantsByUser(snapshot)].map(([id, g]) => [
      byName.get(id),
      g.map((x) => `${x.permissionSet} via ${x.via}`),
    ]);
    expect(grants.sort()).toEqual([
      ['alice', ['AdministratorAccess via group aws-admins']],
      ['dave', ['BreakGlass via direct']],
    ]);
  });

  it('checks the collected snapshot: the inline wildcard and the direct admin assignment fail', () => {
    const context: CheckContext = { asOf: new Date(), scope: { source: 'identity-center', id: instanceId } };
    const failing = [
      ...noInlineWildcard.evaluate(snapshot, context),
      ...adminViaGroups.evaluate(snapshot, context),
    ]
      .filter((f) => f.status === 'fail')
      .map((f) => f.reason);
    expect(failing).toEqual([
      'permission set BreakGlass allows every action on every resource in its inline policy',
      `BreakGlass (inline policy allows "*" on "*") on ${ACCOUNT} is assigned directly to user dave`,
    ]);
  });

  it('records a missing instance as a failed collection naming it', async () => {
    await expect(
      collect(new AwsSession(), {
        source: 'identity-center',
        id: 'ssoins-0000000000000000',
        region: 'us-east-1',
      }),
    ).rejects.toThrow(/instance ssoins-0000000000000000 not found in us-east-1/);
  });
});

describe('identity-center.access checks (fixtures)', () => {
  const base: IdentityCenterSnapshot = {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1',
    identityStoreId: 'd-1',
    users: [{ userId: 'u1', userName: 'alice', displayName: null, emails: [] }],
    groups: [{ groupId: 'g1', displayName: 'admins', memberUserIds: ['u1'] }],
    permissionSets: [
      {
        arn: 'ps-admin',
        name: 'Admin',
        sessionDuration: null,
        managedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        customerManagedPolicies: [],
        inlinePolicy: null,
      },
      {
        arn: 'ps-scoped',
        name: 'Scoped',
        sessionDuration: null,
        managedPolicies: [],
        customerManagedPolicies: [],
        inlinePolicy: {
          Statement: [
            { Effect: 'Allow', Action: ['s3:*'], Resource: '*' },
            { Effect: 'Deny', Action: '*', Resource: '*' },
          ],
        },
      },
      {
        arn: 'ps-star',
        name: 'Star',
        sessionDuration: null,
        managedPolicies: [],
        customerManagedPolicies: [],
        inlinePolicy: { Statement: { Effect: 'Allow', Action: '*:*', Resource: ['*'] } },
      },
    ],
    assignments: [
      { accountId: '1', permissionSetArn: 'ps-admin', principalType: 'GROUP', principalId: 'g1' },
      { accountId: '1', permissionSetArn: 'ps-star', principalType: 'USER', principalId: 'u1' },
      { accountId: '1', permissionSetArn: 'ps-scoped', principalType: 'USER', principalId: 'u1' },
    ],
  };
  const ctx: CheckContext = { asOf: new Date(), scope: { source: 'identity-center', id: 'ssoins-1' } };

  it('identity-center.permission-sets.no-inline-wildcard: only an Allow of "*" (or "*:*") on "*" fails', () => {
    expect(noInlineWildcard.evaluate(base, ctx).map((f) => `${f.status} ${f.resource}`)).toEqual([
      'pass ps-admin',
      'pass ps-scoped',
      'fail ps-star',
    ]);
  });

  it('identity-center.admin-assignments.via-groups: admin-like sets assigned to users fail, to groups pass; others are not judged', () => {
    expect(adminViaGroups.evaluate(base, ctx).map((f) => `${f.status} ${f.resource}`)).toEqual([
      'pass 1/ps-admin/group/g1',
      'fail 1/ps-star/user/u1',
    ]);
    expect(adminViaGroups.evaluate({ ...base, assignments: [] }, ctx)[0]?.status).toBe('not_applicable');
  });
});
