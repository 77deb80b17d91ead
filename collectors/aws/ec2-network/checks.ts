import type { Check } from '../../../core/collector.ts';
import { perResource } from '../../../core/collector.ts';
import type { Ec2NetworkSnapshot, NetworkAcl, SecurityGroup, SgRule } from './snapshot.ts';

export const ADMIN_PORTS = [22, 3389];
/** SQL Server, Oracle, MySQL, PostgreSQL, Redis, Elasticsearch/OpenSearch, Memcached, Cassandra, MongoDB. */
export const DATABASE_PORTS = [1433, 1521, 3306, 5432, 6379, 9200, 9300, 11211, 9042, 27017];
const WEB_PORTS = [80, 443];

const WORLD = new Set(['0.0.0.0/0', '::/0']);
const world = (r: SgRule) => r.sources.filter((s) => WORLD.has(s));
const allTraffic = (protocol: string) => protocol === '-1' || protocol === 'all';
const allPorts = (r: { protocol: string; fromPort: number | null; toPort: number | null }) =>
  allTraffic(r.protocol) ||
  ((r.protocol === 'tcp' || r.protocol === '6') && (r.fromPort ?? 0) <= 1 && (r.toPort ?? 65535) >= 65535);
const admitsTcp = (r: SgRule, port: number) =>
  allTraffic(r.protocol) ||
  ((r.protocol === 'tcp' || r.protocol === '6') && (r.fromPort ?? 0) <= port && port <= (r.toPort ?? 65535));
const portLabel = (r: SgRule) =>
  allTraffic(r.protocol)
    ? 'all traffic'
    : `${r.protocol}/${r.fromPort === r.toPort ? r.fromPort : `${r.fromPort}-${r.toPort}`}`;

const groups = (s: Ec2NetworkSnapshot) => s.securityGroups;
const groupId = (g: SecurityGroup) => g.id;

/** Each world-open ingress rule of `g` that `matches`, described ("0.0.0.0/0 on tcp/22"). */
function worldOpen(g: SecurityGroup, matches: (r: SgRule) => boolean): string[] {
  return g.ingress
    .filter((r) => world(r).length > 0 && matches(r))
    .map((r) => `${world(r).join(', ')} on ${portLabel(r)}`);
}

const portsCheck = (ports: readonly number[], what: string) => (g: SecurityGroup) => {
  const open = worldOpen(g, (r) => ports.some((p) => admitsTcp(r, p)));
  return [
    open.length === 0,
    open.length === 0 ? `no ${what} port open to the internet` : `${g.id} allows ${open.join('; ')}`,
  ] as const;
};

export const adminPorts = perResource(
  {
    id: 'aws.ec2.security-group-admin-ports',
    title: 'Security groups do not open administrative ports (SSH, RDP) to the internet',
    severity: 'critical',
    remediation:
      'Remove ingress from 0.0.0.0/0 and ::/0 on ports 22 and 3389; reach hosts through SSM Session Manager or a bastion.',
    procedure:
      "Reads every security group's ingress rules (DescribeSecurityGroups). Passes a group unless a rule admits 0.0.0.0/0 or ::/0 to tcp/22 or tcp/3389 (directly, by a port range, or by allowing all traffic).",
  },
  groups,
  groupId,
  portsCheck(ADMIN_PORTS, 'administrative'),
);

export const databasePorts = perResource(
  {
    id: 'aws.ec2.security-group-database-ports',
    title: 'Security groups do not open database ports to the internet',
    severity: 'high',
    remediation:
      "Remove world-open ingress on database ports; admit only the application tier's security group.",
    procedure: `Reads every security group's ingress rules (DescribeSecurityGroups). Passes a group unless a rule admits 0.0.0.0/0 or ::/0 to a database port (tcp ${DATABASE_PORTS.join(', ')}).`,
  },
  groups,
  groupId,
  portsCheck(DATABASE_PORTS, 'database'),
);

export const allPortsOpen = perResource(
  {
    id: 'aws.ec2.security-group-all-ports',
    title: 'Security groups do not admit all traffic from the internet',
    severity: 'high',
    remediation:
      'Replace the all-traffic (or 0-65535) ingress rule from 0.0.0.0/0 or ::/0 with rules for the ports the service needs.',
    procedure:
      "Reads every security group's ingress rules (DescribeSecurityGroups). Passes a group unless a rule admits 0.0.0.0/0 or ::/0 on all protocols or on the whole TCP port range.",
  },
  groups,
  groupId,
  (g) => {
    const open = worldOpen(g, allPorts);
    return [
      open.length === 0,
      open.length === 0 ? 'no all-traffic rule from the internet' : `${g.id} allows ${open.join('; ')}`,
    ];
  },
);

const NAMED_PORTS = new Set([...WEB_PORTS, ...ADMIN_PORTS, ...DATABASE_PORTS]);
/** Whether the rule opens a port that is neither a web port nor one the admin/database checks judge. */
const opensOtherPort = (r: SgRule) => {
  if (allPorts(r) || r.protocol === 'icmp' || r.protocol === 'icmpv6' || r.protocol === '1') return false;
  const from = r.fromPort ?? 0;
  const to = r.toPort ?? 65535;
  const named = [...NAMED_PORTS].filter((p) => from <= p && p <= to).length;
  return to - from + 1 > named;
};

export const otherPorts = perResource(
  {
    id: 'aws.ec2.security-group-internet-ports',
    title: 'Security groups admit internet traffic only to web ports',
    severity: 'medium',
    remediation:
      'Put internet-facing services behind a load balancer on 80/443, and restrict other ports to known sources.',
    procedure:
      "Reads every security group's ingress rules (DescribeSecurityGroups). Passes a group unless a TCP or UDP rule admits 0.0.0.0/0 or ::/0 to a port other than 80 and 443 (administrative, database and all-port rules are judged by their own checks).",
  },
  groups,
  groupId,
  (g) => {
    const open = worldOpen(g, opensOtherPort);
    return [
      open.length === 0,
      open.length === 0 ? 'internet ingress only on web ports, if any' : `${g.id} allows ${open.join('; ')}`,
    ];
  },
);

export const defaultGroupClosed = perResource(
  {
    id: 'aws.ec2.default-security-group-closed',
    title: 'Default security groups restrict all traffic',
    severity: 'medium',
    remediation:
      'Remove every inbound and outbound rule from the default security group of each VPC; use purpose-made groups.',
    procedure:
      'Reads the security group named "default" of every VPC (DescribeSecurityGroups). Passes it when it has no inbound and no outbound rule.',
  },
  (s: Ec2NetworkSnapshot) => s.securityGroups.filter((g) => g.name === 'default'),
  groupId,
  (g) => [
    g.ingress.length === 0 && g.egress.length === 0,
    g.ingress.length === 0 && g.egress.length === 0
      ? 'no rules'
      : `default group ${g.id} of ${g.vpcId} has ${g.ingress.length} inbound and ${g.egress.length} outbound rules`,
  ],
);

export const unusedGroups = perResource(
  {
    id: 'aws.ec2.security-group-unused',
    title: 'Security groups are in use',
    severity: 'low',
    remediation: 'Delete security groups no network interface uses, so rule reviews cover only live rules.',
    procedure:
      'Reads every security group and every network interface (DescribeSecurityGroups, DescribeNetworkInterfaces). Passes a non-default group attached to at least one interface.',
  },
  (s: Ec2NetworkSnapshot) => s.securityGroups.filter((g) => g.name !== 'default'),
  groupId,
  (g) => [
    g.attachments > 0,
    g.attachments > 0
      ? `attached to ${g.attachments} interface(s)`
      : `${g.id} (${g.name}) is attached to no network interface`,
  ],
);

/** Whether world traffic to tcp/`port` is allowed by the first matching world-wide inbound entry. */
function naclAdmits(acl: NetworkAcl, port: number): boolean {
  const first = acl.entries
    .filter((e) => !e.egress && WORLD.has(e.cidr))
    .filter(
      (e) =>
        allTraffic(e.protocol) ||
        ((e.protocol === '6' || e.protocol === 'tcp') &&
          (e.fromPort ?? 0) <= port &&
          port <= (e.toPort ?? 65535)),
    )
    .sort((a, b) => a.ruleNumber - b.ruleNumber)[0];
  return first?.action === 'allow';
}

export const naclAdminPorts = perResource(
  {
    id: 'aws.ec2.network-acl-admin-ports',
    title: 'Network ACLs do not admit administrative ports from the internet',
    severity: 'medium',
    remediation:
      'Add inbound deny entries for tcp/22 and tcp/3389 from 0.0.0.0/0 and ::/0 ahead of the allow entries.',
    procedure:
      'Reads every network ACL (DescribeNetworkAcls) and, in rule-number order, finds the first inbound entry from 0.0.0.0/0 or ::/0 that matches tcp/22 and tcp/3389. Passes when neither is allowed.',
  },
  (s: Ec2NetworkSnapshot) => s.networkAcls,
  (a) => a.id,
  (a) => {
    const open = ADMIN_PORTS.filter((p) => naclAdmits(a, p));
    return [
      open.length === 0,
      open.length === 0
        ? 'admin ports denied from the internet'
        : `${a.id} admits tcp/${open.join(', tcp/')} from the internet`,
    ];
  },
);

export const vpcFlowLogs = perResource(
  {
    id: 'aws.ec2.vpc-flow-logs',
    title: 'VPC flow logs are on for every VPC',
    severity: 'medium',
    remediation: 'Create a flow log for the VPC (all traffic) to CloudWatch Logs or S3.',
    procedure:
      'Reads every VPC and every flow log (DescribeVpcs, DescribeFlowLogs). Passes a VPC with at least one active flow log.',
  },
  (s: Ec2NetworkSnapshot) => s.vpcs,
  (v) => v.id,
  (v) => [
    v.activeFlowLogs.length > 0,
    v.activeFlowLogs.length > 0
      ? `flow log ${v.activeFlowLogs.join(', ')}`
      : `VPC ${v.id} has no active flow log`,
  ],
);

export const subnetPublicIp = perResource(
  {
    id: 'aws.ec2.subnet-auto-public-ip',
    title: 'Subnets do not assign public IP addresses automatically',
    severity: 'low',
    remediation:
      'Turn off "auto-assign public IPv4 address" on the subnet; give public addresses only where a design calls for them.',
    procedure: 'Reads every subnet (DescribeSubnets). Passes a subnet whose MapPublicIpOnLaunch is false.',
  },
  (s: Ec2NetworkSnapshot) => s.subnets,
  (s) => s.id,
  (s) => [
    !s.mapPublicIpOnLaunch,
    s.mapPublicIpOnLaunch
      ? `subnet ${s.id} of ${s.vpcId} gives every instance a public IP`
      : 'no automatic public IP',
  ],
);

export const checks: Check<Ec2NetworkSnapshot>[] = [
  adminPorts,
  databasePorts,
  allPortsOpen,
  otherPorts,
  defaultGroupClosed,
  unusedGroups,
  naclAdminPorts,
  vpcFlowLogs,
  subnetPublicIp,
];
