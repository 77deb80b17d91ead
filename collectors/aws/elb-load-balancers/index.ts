import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { ElbLoadBalancersSnapshot } from './snapshot.ts';

const permissions = [
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeLoadBalancerPolicies',
  'wafv2:GetWebACLForResource',
];

export const elbLoadBalancers: CollectorDefinition<ElbLoadBalancersSnapshot> = {
  id: 'aws.elb.load-balancers',
  source: 'aws',
  description:
    'Load balancers (ELBv2 and classic): listeners and their TLS policies, access logs, deletion protection, header handling, and the web ACL of each application load balancer',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
