import {
  AttachUserPolicyCommand,
  CreatePolicyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import {
  adminAccessHolders,
  fullAdmin,
  grants,
  iamFull,
  privilegeEscalation,
  roleTrustExternalId,
  roleTrustPublic,
  roleUnused,
  userDirectPolicies,
} from '../../../collectors/aws/iam-policies/checks.ts';
import { collect } from '../../../collectors/aws/iam-policies/collect.ts';
import type {
  IamPoliciesSnapshot,
  PolicySnapshot,
  RoleSnapshot,
} from '../../../collectors/aws/iam-policies/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { parseDocument } from '../../../collectors/aws/shared/policy-document.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { at, globalContext as context, daysBefore } from './detection-fixtures.ts';

const ACCOUNT = '111122223333';
const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const policy = (name: string, ...statements: object[]): PolicySnapshot => ({
  id: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
  name,
  kind: 'managed',
  attachedTo: [],
  statements: parseDocument(doc(...statements)),
});
const role = (name: string, trust: object, extra: Partial<RoleSnapshot> = {}): RoleSnapshot => ({
  name,
  arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
  path: '/',
  createdAt: daysBefore(300),
  lastUsedAt: daysBefore(1),
  trust: parseDocument(doc(trust)),
  attachedPolicies: [],
  inlinePolicies: [],
  ...extra,
});
const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';

const good: IamPoliciesSnapshot = {
  users: [
    {
      name: 'alice',
      arn: `arn:aws:iam::${ACCOUNT}:user/alice`,
      attachedPolicies: [],
      inlinePolicies: [],
      groups: ['readers'],
    },
  ],
  groups: [
    {
      name: 'readers',
      arn: `arn:aws:iam::${ACCOUNT}:group/readers`,
      attachedPolicies: [],
      inlinePolicies: [],
    },
  ],
  roles: [
    role(
      'vendor-audit',
      {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::999988887777:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'x' } },
      },
      { attachedPolicies: [ADMIN] },
    ),
  ],
  policies: [policy('read-s3', { Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: '*' })],
};
const bad: IamPoliciesSnapshot = {
  users: [
    {
      name: 'bob',
      arn: `arn:aws:iam::${ACCOUNT}:user/bob`,
      attachedPolicies: [ADMIN],
      inlinePolicies: ['everything'],
      groups: [],
    },
  ],
  groups: [],
  roles: [
    role(
      'partner',
      {
        Effect: 'Allow',
        Principal: { AWS: ['arn:aws:iam::999988887777:root', '*'] },
        Action: 'sts:AssumeRole',
      },
      { lastUsedAt: daysBefore(120) },
    ),
  ],
  policies: [
    policy(
      'everything',
      { Effect: 'Allow', Action: '*', Resource: '*' },
      { Effect: 'Allow', Action: 'iam:*', Resource: '*' },
    ),
  ],
};

describe('aws.iam.policies checks', () => {
  it.each([
    fullAdmin,
    iamFull,
    privilegeEscalation,
    userDirectPolicies,
    roleTrustPublic,
    roleTrustExternalId,
    roleUnused,
    adminAccessHolders,
  ])('$id passes the good account and fails the other', (check) => {
    expect(check.evaluate(good, context).map((f) => f.status)).toEqual(['pass']);
    expect(check.evaluate(bad, context).map((f) => f.status)).toContain('fail');
  });

  it('reasons name the principal or policy and what is wrong', () => {
    expect(fullAdmin.evaluate(bad, context)[0]?.reason).toBe(
      'managed policy everything allows *:* on * (not attached)',
    );
    expect(roleTrustExternalId.evaluate(bad, context)[0]?.reason).toBe(
      'role partner trusts 999988887777 without sts:ExternalId',
    );
    expect(roleTrustPublic.evaluate(bad, context)[0]?.reason).toBe(
      'role partner trusts any AWS principal ("*") without a condition',
    );
    expect(adminAccessHolders.evaluate(bad, context)[0]?.reason).toBe(
      'user bob holds AdministratorAccess directly',
    );
    expect(userDirectPolicies.evaluate(bad, context)[0]?.reason).toBe(
      'user bob holds AdministratorAccess, everything (inline)',
    );
  });

  it('privilege escalation expands wildcards and needs every action of a path', () => {
    const passRoleOnly = policy('pass', { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' });
    const passAndRun = policy('pass-run', {
      Effect: 'Allow',
      Action: ['iam:PassRole', 'ec2:Run*'],
      Resource: '*',
    });
    const snap = { ...good, policies: [passRoleOnly, passAndRun] };
    expect(privilegeEscalation.evaluate(snap, context).map((f) => f.status)).toEqual(['pass', 'fail']);
    expect(privilegeEscalation.evaluate(snap, context)[1]?.reason).toContain(
      'pass a role to a new EC2 instance (iam:PassRole + ec2:RunInstances)',
    );
    expect(
      grants(
        parseDocument(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })),
        'iam:CreateAccessKey',
      ),
    ).toBe(false);
    expect(
      grants(
        parseDocument(doc({ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' })),
        'lambda:UpdateFunctionCode',
      ),
    ).toBe(true);
  });

  it('trust: this account and services pass; a conditioned "*" is not public', () => {
    const own = role('own', {
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root`, Service: 'lambda.amazonaws.com' },
      Action: 'sts:AssumeRole',
    });
    const orgOnly = role('org', {
      Effect: 'Allow',
      Principal: '*',
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' } },
    });
    const snap = { ...good, roles: [own, orgOnly] };
    expect(roleTrustExternalId.evaluate(snap, context).map((f) => f.status)).toEqual(['pass', 'pass']);
    expect(roleTrustPublic.evaluate(snap, context).map((f) => f.status)).toEqual(['pass', 'pass']);
  });

  it('unused roles follow the configured days; never-used roles count from creation; service-linked roles are skipped', () => {
    const fresh = role('new', {}, { createdAt: daysBefore(10), lastUsedAt: null });
    const stale = role('stale', {}, { createdAt: daysBefore(200), lastUsedAt: null });
    const linked = role(
      'AWSServiceRoleForSupport',
      {},
      { path: '/aws-service-role/support.amazonaws.com/', lastUsedAt: null },
    );
    const snap = { ...good, roles: [fresh, stale, linked, bad.roles[0]!] };
    expect(roleUnused.evaluate(snap, context).map((f) => f.status)).toEqual(['pass', 'fail', 'fail']);
    expect(
      roleUnused.evaluate(snap, { ...context, settings: at({ unusedRoleDays: 365 }) }).map((f) => f.status),
    ).toEqual(['pass', 'pass', 'pass']);
  });

  it('AdministratorAccess through a group fails the user; no holder at all is not applicable', () => {
    const viaGroup: IamPoliciesSnapshot = {
      ...good,
      groups: [{ ...good.groups[0]!, attachedPolicies: [ADMIN] }],
    };
    expect(adminAccessHolders.evaluate(viaGroup, context).map((f) => [f.status, f.reason])).toEqual([
      ['fail', 'user alice holds AdministratorAccess through group readers'],
      ['pass', 'role vendor-audit holds AdministratorAccess (privileged access)'],
    ]);
    expect(adminAccessHolders.evaluate({ ...good, roles: [] }, context)[0]?.status).toBe('not_applicable');
  });

  it('parses URL-encoded policy documents as IAM returns them', () => {
    const encoded = encodeURIComponent(
      doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }),
    );
    expect(parseDocument(encoded)).toEqual([
      {
        effect: 'Allow',
        actions: ['s3:GetObject'],
        notAction: false,
        resources: ['arn:aws:s3:::b/*'],
        principals: { aws: [], service: [], federated: [] },
        conditionKeys: [],
      },
    ]);
  });
});

describeAws('aws.iam.policies collect (moto)', () => {
  it('reads users, roles, inline and customer-managed policies in one paginated call', async () => {
    const iam = new IAMClient(awsConfig());
    const account = await new AwsSession().accountId();
    await iam.send(new CreateUserCommand({ UserName: 'ops' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'ops',
        PolicyName: 'everything',
        PolicyDocument: doc({ Effect: 'Allow', Action: '*', Resource: '*' }),
      }),
    );
    const { Policy } = await iam.send(
      new CreatePolicyCommand({
        PolicyName: 'read-s3',
        PolicyDocument: doc({ Effect: 'Allow', Action: 's3:Get*', Resource: '*' }),
      }),
    );
    await iam.send(new AttachUserPolicyCommand({ UserName: 'ops', PolicyArn: Policy?.Arn }));
    await iam.send(
      new CreateRoleCommand({
        RoleName: 'partner',
        AssumeRolePolicyDocument: doc({
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::999988887777:root' },
          Action: 'sts:AssumeRole',
        }),
      }),
    );
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (s, op) => calls.push(`${s}:${op}`) });
    const snap = await collect(session);
    expect(calls).toEqual(['IAM:GetAccountAuthorizationDetails']);
    expect(snap.users).toEqual([
      {
        name: 'ops',
        arn: `arn:aws:iam::${account}:user/ops`,
        attachedPolicies: [Policy?.Arn],
        inlinePolicies: ['everything'],
        groups: [],
      },
    ]);
    expect(snap.policies.map((p) => [p.id, p.kind, p.attachedTo])).toEqual([
      [`arn:aws:iam::${account}:user/ops/inline/everything`, 'inline', [`arn:aws:iam::${account}:user/ops`]],
      [Policy?.Arn, 'managed', [`arn:aws:iam::${account}:user/ops`]],
    ]);
    const ctx = { ...context, scope: { source: 'aws' as const, id: account } };
    expect(fullAdmin.evaluate(snap, ctx).map((f) => f.status)).toEqual(['fail', 'pass']);
    expect(snap.roles.map((r) => r.name)).toContain('partner');
    expect(roleTrustExternalId.evaluate(snap, ctx).find((f) => f.resource.endsWith('/partner'))?.status).toBe(
      'fail',
    );
  });
});
