import {
  AttachPolicyCommand,
  CreateOrganizationCommand,
  CreatePolicyCommand,
  ListRootsCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { describe, expect, it } from 'vitest';
import {
  allFeatures,
  denyLeave,
  regionGuardrail,
  scpsAttached,
} from '../../../collectors/aws/organizations/checks.ts';
import { collect } from '../../../collectors/aws/organizations/collect.ts';
import type { OrganizationsSnapshot, ScpSnapshot } from '../../../collectors/aws/organizations/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { parseDocument } from '../../../collectors/aws/shared/policy-document.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { at, globalContext as context } from './detection-fixtures.ts';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const full: ScpSnapshot = {
  id: 'p-FullAWSAccess',
  name: 'FullAWSAccess',
  awsManaged: true,
  targets: ['r-root'],
  statements: parseDocument(doc({ Effect: 'Allow', Action: '*', Resource: '*' })),
};
const guardrails: ScpSnapshot = {
  id: 'p-guard',
  name: 'guardrails',
  awsManaged: false,
  targets: ['r-root'],
  statements: parseDocument(
    doc(
      { Effect: 'Deny', Action: 'organizations:Leave*', Resource: '*' },
      {
        Effect: 'Deny',
        NotAction: ['iam:*', 'sts:*'],
        Resource: '*',
        Condition: { StringNotEquals: { 'aws:RequestedRegion': ['eu-west-1'] } },
      },
    ),
  ),
};
const organization = { id: 'o-1', managementAccountId: '111122223333', featureSet: 'ALL' };
const good: OrganizationsSnapshot = { organization, scps: [full, guardrails] };
const bad: OrganizationsSnapshot = {
  organization: { ...organization, featureSet: 'CONSOLIDATED_BILLING' },
  scps: [full, { ...guardrails, targets: [] }],
};

describe('aws.organizations checks', () => {
  it.each([scpsAttached, denyLeave, regionGuardrail, allFeatures])(
    '$id passes the guarded organization and fails the other',
    (check) => {
      expect(check.evaluate(good, context)[0]?.status).toBe('pass');
      expect(check.evaluate(bad, context)[0]?.status).toBe('fail');
    },
  );

  it('outside an organization, and in a member account that may not read SCPs, the checks are not applicable', () => {
    const none: OrganizationsSnapshot = { organization: null, scps: [] };
    expect(
      [scpsAttached, denyLeave, regionGuardrail, allFeatures].map(
        (c) => c.evaluate(none, context)[0]?.status,
      ),
    ).toEqual(Array(4).fill('not_applicable'));
    const member: OrganizationsSnapshot = {
      organization: { ...organization, managementAccountId: '999988887777' },
      scps: { unknown: 'AccessDeniedException (HTTP 400)' },
    };
    expect(denyLeave.evaluate(member, context)[0]?.status).toBe('not_applicable');
    const management: OrganizationsSnapshot = {
      organization,
      scps: { unknown: 'AccessDeniedException (HTTP 400)' },
    };
    expect(denyLeave.evaluate(management, context)[0]).toMatchObject({
      status: 'fail',
      reason: 'service control policies could not be read: AccessDeniedException (HTTP 400)',
    });
  });

  it('the region guardrail is required unless the configuration says otherwise', () => {
    expect(
      regionGuardrail.evaluate(bad, { ...context, settings: at({ regionGuardrail: false }) })[0]?.status,
    ).toBe('not_applicable');
  });
});

describeAws('aws.organizations collect (moto)', () => {
  it('an account outside any organization is recorded as such', async () => {
    expect(await collect(new AwsSession())).toEqual({ organization: null, scps: [] });
  });

  it('reads the organization and its SCPs with their targets', async () => {
    const orgs = new OrganizationsClient(awsConfig());
    await orgs.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const { Roots = [] } = await orgs.send(new ListRootsCommand({}));
    const { Policy } = await orgs.send(
      new CreatePolicyCommand({
        Name: 'deny-leave',
        Description: 'guardrail',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: doc({ Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }),
      }),
    );
    await orgs.send(new AttachPolicyCommand({ PolicyId: Policy?.PolicySummary?.Id, TargetId: Roots[0]?.Id }));
    const calls: string[] = [];
    const session = new AwsSession({ onCall: (s, op) => calls.push(`${s}:${op}`) });
    const account = await session.accountId();
    const snap = await collect(session);
    expect(snap.organization).toMatchObject({ managementAccountId: account, featureSet: 'ALL' });
    expect(Array.isArray(snap.scps)).toBe(true);
    const scps = snap.scps as ScpSnapshot[];
    expect(scps.map((p) => [p.name, p.awsManaged, p.targets])).toEqual([
      ['FullAWSAccess', true, [Roots[0]?.Id, account]],
      ['deny-leave', false, [Roots[0]?.Id]],
    ]);
    const ctx = { ...context, scope: { source: 'aws' as const, id: account } };
    expect([scpsAttached, denyLeave, regionGuardrail].map((c) => c.evaluate(snap, ctx)[0]?.status)).toEqual([
      'pass',
      'pass',
      'fail',
    ]);
    expect(calls.filter((c) => c.startsWith('Organizations:'))).toEqual([
      'Organizations:DescribeOrganization',
      'Organizations:ListPolicies',
      'Organizations:DescribePolicy',
      'Organizations:ListTargetsForPolicy',
      'Organizations:DescribePolicy',
      'Organizations:ListTargetsForPolicy',
    ]);
  });
});
