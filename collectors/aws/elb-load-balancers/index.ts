import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { ElbLoadBalancersSnapshot } from './snapshot.ts';

export const elbLoadBalancers: Collector<ElbLoadBalancersSnapshot, AwsSession> = {
  id: 'aws.elb.load-balancers',
  source: 'aws',
  description:
    'Load balancers (ELBv2 and classic): listeners and their TLS policies, access logs, deletion protection, header handling, and the web ACL of each application load balancer',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
