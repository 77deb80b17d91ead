import type { Collector } from '../../../core/collector.ts';
import type { AwsSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { Wafv2WebAclsSnapshot } from './snapshot.ts';

export const wafv2WebAcls: Collector<Wafv2WebAclsSnapshot, AwsSession> = {
  id: 'aws.wafv2.web-acls',
  source: 'aws',
  description: 'Regional WAFv2 web ACLs: their rules, default action and logging',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
