import {
  EC2Client,
  type IpPermission,
  paginateDescribeFlowLogs,
  paginateDescribeNetworkAcls,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcs,
} from '@aws-sdk/client-ec2';
import type { Scope } from '../../../core/model.ts';
import { all } from '../pages.ts';
import type { AwsSession } from '../session.ts';
import type { Ec2NetworkSnapshot, SgRule } from './snapshot.ts';

const rule = (p: IpPermission): SgRule => ({
  protocol: p.IpProtocol ?? '-1',
  fromPort: p.FromPort ?? null,
  toPort: p.ToPort ?? null,
  sources: [
    ...(p.IpRanges ?? []).map((r) => r.CidrIp ?? ''),
    ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6 ?? ''),
    ...(p.UserIdGroupPairs ?? []).map((g) => g.GroupId ?? ''),
    ...(p.PrefixListIds ?? []).map((l) => l.PrefixListId ?? ''),
  ].filter(Boolean),
});

export async function collect(session: AwsSession, scope: Scope): Promise<Ec2NetworkSnapshot> {
  const client = session.client(EC2Client, scope.region);
  const [groups, acls, vpcs, flowLogs, subnets, interfaces] = await Promise.all([
    all(paginateDescribeSecurityGroups({ client }, {}), (p) => p.SecurityGroups),
    all(paginateDescribeNetworkAcls({ client }, {}), (p) => p.NetworkAcls),
    all(paginateDescribeVpcs({ client }, {}), (p) => p.Vpcs),
    all(paginateDescribeFlowLogs({ client }, {}), (p) => p.FlowLogs),
    all(paginateDescribeSubnets({ client }, {}), (p) => p.Subnets),
    all(paginateDescribeNetworkInterfaces({ client }, {}), (p) => p.NetworkInterfaces),
  ]);
  const attachments = new Map<string, number>();
  for (const eni of interfaces)
    for (const g of eni.Groups ?? [])
      if (g.GroupId) attachments.set(g.GroupId, (attachments.get(g.GroupId) ?? 0) + 1);
  return {
    securityGroups: groups.map((g) => ({
      id: g.GroupId ?? '',
      name: g.GroupName ?? '',
      vpcId: g.VpcId ?? null,
      ingress: (g.IpPermissions ?? []).map(rule),
      egress: (g.IpPermissionsEgress ?? []).map(rule),
      attachments: attachments.get(g.GroupId ?? '') ?? 0,
    })),
    networkAcls: acls.map((a) => ({
      id: a.NetworkAclId ?? '',
      vpcId: a.VpcId ?? '',
      isDefault: a.IsDefault ?? false,
      subnetIds: (a.Associations ?? []).map((s) => s.SubnetId ?? '').filter(Boolean),
      entries: (a.Entries ?? []).map((e) => ({
        ruleNumber: e.RuleNumber ?? 32767,
        egress: e.Egress ?? false,
        protocol: e.Protocol ?? '-1',
        action: e.RuleAction === 'allow' ? 'allow' : 'deny',
        cidr: e.CidrBlock ?? e.Ipv6CidrBlock ?? '',
        fromPort: e.PortRange?.From ?? null,
        toPort: e.PortRange?.To ?? null,
      })),
    })),
    vpcs: vpcs.map((v) => ({
      id: v.VpcId ?? '',
      isDefault: v.IsDefault ?? false,
      cidr: v.CidrBlock ?? '',
      activeFlowLogs: flowLogs
        .filter((f) => f.ResourceId === v.VpcId && (f.FlowLogStatus ?? 'ACTIVE') === 'ACTIVE')
        .map((f) => f.FlowLogId ?? ''),
    })),
    subnets: subnets.map((s) => ({
      id: s.SubnetId ?? '',
      vpcId: s.VpcId ?? '',
      mapPublicIpOnLaunch: s.MapPublicIpOnLaunch ?? false,
    })),
    publicEndpoints: interfaces
      .filter((eni) => eni.Association?.PublicIp)
      .map((eni) => ({
        interfaceId: eni.NetworkInterfaceId ?? '',
        publicIp: eni.Association?.PublicIp ?? '',
        type: eni.InterfaceType ?? 'interface',
        description: eni.Description ?? '',
        securityGroups: (eni.Groups ?? []).map((g) => g.GroupId ?? ''),
      })),
  };
}
