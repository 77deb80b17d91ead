import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { Wafv2WebAclsSnapshot } from './snapshot.ts';

const permissions = ['wafv2:ListWebACLs', 'wafv2:GetWebACL', 'wafv2:ListLoggingConfigurations'];

export const wafv2WebAcls: CollectorDefinition<Wafv2WebAclsSnapshot> = {
  id: 'aws.wafv2.web-acls',
  source: 'aws',
  description: 'Regional WAFv2 web ACLs: their rules, default action and logging',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
