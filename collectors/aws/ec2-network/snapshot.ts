/** One ingress or egress permission of a security group. `protocol` is `-1` for all, else tcp/udp/icmp/a number. */
export interface SgRule {
  readonly protocol: string;
  readonly fromPort: number | null;
  readonly toPort: number | null;
  /** IPv4/IPv6 CIDR ranges, security group ids and prefix list ids the rule admits. */
  readonly sources: readonly string[];
}

export interface SecurityGroup {
  readonly id: string;
  readonly name: string;
  readonly vpcId: string | null;
  readonly ingress: readonly SgRule[];
  readonly egress: readonly SgRule[];
  /** Network interfaces the group is attached to. */
  readonly attachments: number;
}

export interface NaclEntry {
  readonly ruleNumber: number;
  readonly egress: boolean;
  readonly protocol: string;
  readonly action: 'allow' | 'deny';
  readonly cidr: string;
  readonly fromPort: number | null;
  readonly toPort: number | null;
}

export interface NetworkAcl {
  readonly id: string;
  readonly vpcId: string;
  readonly isDefault: boolean;
  readonly subnetIds: readonly string[];
  readonly entries: readonly NaclEntry[];
}

export interface Vpc {
  readonly id: string;
  readonly isDefault: boolean;
  readonly cidr: string;
  /** Ids of the flow logs delivering for this VPC (status ACTIVE). */
  readonly activeFlowLogs: readonly string[];
}

export interface Subnet {
  readonly id: string;
  readonly vpcId: string;
  readonly mapPublicIpOnLaunch: boolean;
}

/** A network interface reachable from the internet: inventory evidence of what is exposed. */
export interface PublicEndpoint {
  readonly interfaceId: string;
  readonly publicIp: string;
  readonly type: string;
  readonly description: string;
  readonly securityGroups: readonly string[];
}

export interface Ec2NetworkSnapshot {
  readonly securityGroups: readonly SecurityGroup[];
  readonly networkAcls: readonly NetworkAcl[];
  readonly vpcs: readonly Vpc[];
  readonly subnets: readonly Subnet[];
  readonly publicEndpoints: readonly PublicEndpoint[];
}
