import {
  AuthorizeSecurityGroupIngressCommand,
  CreateFlowLogsCommand,
  CreateNetworkAclCommand,
  CreateNetworkAclEntryCommand,
  CreateNetworkInterfaceCommand,
  CreateSecurityGroupCommand,
  CreateSubnetCommand,
  CreateVpcCommand,
  EC2Client,
  ModifySubnetAttributeCommand,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { adminPorts, naclAdminPorts, otherPorts } from '../../../collectors/aws/ec2-network/checks.ts';
import { ec2Network as ec2NetworkDefinition } from '../../../collectors/aws/ec2-network/index.ts';
import type { Ec2NetworkSnapshot, SecurityGroup } from '../../../collectors/aws/ec2-network/snapshot.ts';
import { AwsSession } from '../../../collectors/aws/session.ts';
import { awsConfig, describeAws } from '../../support/aws.ts';
import { awsContext, everyCheckOnFixtures } from '../../support/check-fixtures.ts';
import { runnable } from '../../support/runnable.ts';

const ec2Network = runnable(ec2NetworkDefinition);

const sg = (id: string, over: Partial<SecurityGroup> = {}): SecurityGroup => ({
  id,
  name: id,
  vpcId: 'vpc-1',
  ingress: [],
  egress: [{ protocol: '-1', fromPort: null, toPort: null, sources: ['0.0.0.0/0'] }],
  attachments: 1,
  ...over,
});
const tcp = (from: number, to: number, ...sources: string[]) => ({
  protocol: 'tcp',
  fromPort: from,
  toPort: to,
  sources,
});
const acl = (action: 'allow' | 'deny') => ({
  id: `acl-${action}`,
  vpcId: 'vpc-1',
  isDefault: false,
  subnetIds: ['subnet-1'],
  entries: [
    { ruleNumber: 100, egress: false, protocol: '6', action, cidr: '0.0.0.0/0', fromPort: 22, toPort: 22 },
    {
      ruleNumber: 200,
      egress: false,
      protocol: '-1',
      action: 'allow' as const,
      cidr: '0.0.0.0/0',
      fromPort: null,
      toPort: null,
    },
    {
      ruleNumber: 32767,
      egress: false,
      protocol: '-1',
      action: 'deny' as const,
      cidr: '0.0.0.0/0',
      fromPort: null,
      toPort: null,
    },
  ].map((e) =>
    action === 'deny' ? { ...e, action: e.ruleNumber === 200 ? ('deny' as const) : e.action } : e,
  ),
});

const good: Ec2NetworkSnapshot = {
  securityGroups: [
    sg('sg-web', { ingress: [tcp(443, 443, '0.0.0.0/0', '::/0'), tcp(22, 22, '10.0.0.0/8', 'sg-bastion')] }),
    sg('sg-default', { name: 'default', ingress: [], egress: [] }),
  ],
  networkAcls: [acl('deny')],
  vpcs: [{ id: 'vpc-1', isDefault: false, cidr: '10.0.0.0/16', activeFlowLogs: ['fl-1'] }],
  subnets: [{ id: 'subnet-1', vpcId: 'vpc-1', mapPublicIpOnLaunch: false }],
  publicEndpoints: [],
};
const bad: Ec2NetworkSnapshot = {
  securityGroups: [
    sg('sg-open', {
      ingress: [
        { protocol: '-1', fromPort: null, toPort: null, sources: ['::/0'] },
        tcp(3306, 3306, '0.0.0.0/0'),
        tcp(8080, 8080, '0.0.0.0/0'),
      ],
      attachments: 0,
    }),
    sg('sg-default', {
      name: 'default',
      ingress: [
        { protocol: '-1', fromPort: null, toPort: null, sources: ['0.0.0.0/0'] },
        tcp(1024, 65535, '0.0.0.0/0'),
      ],
      attachments: 0,
    }),
  ],
  networkAcls: [acl('allow')],
  vpcs: [{ id: 'vpc-1', isDefault: true, cidr: '172.31.0.0/16', activeFlowLogs: [] }],
  subnets: [{ id: 'subnet-1', vpcId: 'vpc-1', mapPublicIpOnLaunch: true }],
  publicEndpoints: [],
};

describe('aws.ec2.network checks', () => {
  everyCheckOnFixtures('aws.ec2.network', good, bad);

  it('names the rule that failed, with its source and port', () => {
    const [finding] = adminPorts.evaluate(
      { ...good, securityGroups: [sg('sg-9', { ingress: [tcp(20, 25, '0.0.0.0/0')] })] },
      awsContext(),
    );
    expect(finding).toMatchObject({
      status: 'fail',
      resource: 'sg-9',
      reason: 'sg-9 allows 0.0.0.0/0 on tcp/20-25',
    });
  });

  it('internet ports: web ports pass; a range that holds other ports fails; all-port rules are left to their own check', () => {
    const verdict = (ingress: SecurityGroup['ingress']) =>
      otherPorts.evaluate({ ...good, securityGroups: [sg('sg-x', { ingress })] }, awsContext())[0]?.status;
    expect(verdict([tcp(80, 80, '0.0.0.0/0'), tcp(443, 443, '::/0')])).toBe('pass');
    expect(verdict([tcp(80, 443, '0.0.0.0/0')])).toBe('fail');
    expect(verdict([{ protocol: '-1', fromPort: null, toPort: null, sources: ['0.0.0.0/0'] }])).toBe('pass');
    expect(verdict([tcp(22, 22, '0.0.0.0/0')])).toBe('pass');
  });

  it('network ACLs are read in rule-number order: a deny ahead of a broad allow closes the port', () => {
    const order = (first: 'allow' | 'deny') => ({
      ...acl('allow'),
      entries: [
        {
          ruleNumber: 90,
          egress: false,
          protocol: '6',
          action: first,
          cidr: '0.0.0.0/0',
          fromPort: 22,
          toPort: 22,
        },
        {
          ruleNumber: 95,
          egress: false,
          protocol: '6',
          action: 'deny' as const,
          cidr: '0.0.0.0/0',
          fromPort: 3389,
          toPort: 3389,
        },
        {
          ruleNumber: 100,
          egress: false,
          protocol: '-1',
          action: 'allow' as const,
          cidr: '0.0.0.0/0',
          fromPort: null,
          toPort: null,
        },
      ],
    });
    const reasons = (first: 'allow' | 'deny') =>
      naclAdminPorts
        .evaluate({ ...good, networkAcls: [order(first)] }, awsContext())
        .map((f) => [f.status, f.reason]);
    expect(reasons('deny')).toEqual([['pass', 'admin ports denied from the internet']]);
    expect(reasons('allow')).toEqual([['fail', 'acl-allow admits tcp/22 from the internet']]);
  });
});

describeAws('aws.ec2.network collect (moto)', () => {
  it('reads groups, ACLs, VPCs, flow logs, subnets and interfaces with one paginated call each', async () => {
    const ec2 = new EC2Client(awsConfig());
    const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }));
    const VpcId = Vpc?.VpcId ?? '';
    const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId, CidrBlock: '10.8.1.0/24' }));
    await ec2.send(
      new ModifySubnetAttributeCommand({ SubnetId: Subnet?.SubnetId, MapPublicIpOnLaunch: { Value: true } }),
    );
    const open = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'ssh-open', Description: 'x', VpcId }),
    );
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: open.GroupId,
        IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }],
      }),
    );
    await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'idle', Description: 'x', VpcId }));
    await ec2.send(
      new CreateNetworkInterfaceCommand({ SubnetId: Subnet?.SubnetId, Groups: [open.GroupId ?? ''] }),
    );
    await ec2.send(
      new CreateFlowLogsCommand({
        ResourceIds: [VpcId],
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogGroupName: 'flow-logs',
        DeliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/flow-logs',
      }),
    );
    const aclId = (await ec2.send(new CreateNetworkAclCommand({ VpcId }))).NetworkAcl?.NetworkAclId;
    await ec2.send(
      new CreateNetworkAclEntryCommand({
        NetworkAclId: aclId,
        RuleNumber: 100,
        Protocol: '6',
        RuleAction: 'allow',
        Egress: false,
        CidrBlock: '0.0.0.0/0',
        PortRange: { From: 3389, To: 3389 },
      }),
    );

    const calls: string[] = [];
    const session = new AwsSession({ onCall: (service, op) => calls.push(`${service}.${op}`) });
    const scope = { source: 'aws' as const, id: '123456789012', region: 'us-east-1' };
    const snap = await ec2Network.collect(session, scope);
    expect(calls.sort()).toEqual(
      [
        'DescribeFlowLogs',
        'DescribeNetworkAcls',
        'DescribeNetworkInterfaces',
        'DescribeSecurityGroups',
        'DescribeSubnets',
        'DescribeVpcs',
      ].map((op) => `EC2.${op}`),
    );
    const byName = Object.fromEntries(
      snap.securityGroups.filter((g) => g.vpcId === VpcId).map((g) => [g.name, g]),
    );
    expect(byName['ssh-open']).toMatchObject({
      attachments: 1,
      ingress: [{ protocol: 'tcp', fromPort: 22, toPort: 22, sources: ['0.0.0.0/0'] }],
    });
    expect(byName.idle?.attachments).toBe(0);
    const defaultGroup = byName.default?.id ?? '';
    expect(byName.default?.egress).toEqual([
      { protocol: '-1', fromPort: null, toPort: null, sources: ['0.0.0.0/0'] },
    ]);
    expect(snap.vpcs.find((v) => v.id === VpcId)?.activeFlowLogs).toHaveLength(1);
    expect(snap.subnets.find((s) => s.id === Subnet?.SubnetId)?.mapPublicIpOnLaunch).toBe(true);
    expect(snap.networkAcls.find((a) => a.id === aclId)?.entries).toContainEqual(
      expect.objectContaining({
        ruleNumber: 100,
        action: 'allow',
        cidr: '0.0.0.0/0',
        fromPort: 3389,
        toPort: 3389,
        egress: false,
      }),
    );

    const context = awsContext(new Date(), 'us-east-1');
    const verdict = (id: string, resource: string) =>
      ec2Network.checks
        .find((c) => c.id === id)
        ?.evaluate(snap, context)
        .find((f) => f.resource === resource)?.status;
    expect(verdict('aws.ec2.security-group-admin-ports', open.GroupId ?? '')).toBe('fail');
    expect(verdict('aws.ec2.security-group-unused', byName.idle?.id ?? '')).toBe('fail');
    expect(verdict('aws.ec2.default-security-group-closed', defaultGroup)).toBe('fail');
    expect(verdict('aws.ec2.network-acl-admin-ports', aclId ?? '')).toBe('fail');
    expect(verdict('aws.ec2.vpc-flow-logs', VpcId)).toBe('pass');
  });
});
