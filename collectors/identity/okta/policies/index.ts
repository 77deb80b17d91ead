import type { Collector } from '../../../../core/collector.ts';
import type { OktaSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { OktaPoliciesSnapshot } from './snapshot.ts';

export const oktaPolicies: Collector<OktaPoliciesSnapshot, OktaSession> = {
  id: 'okta.policies',
  source: 'okta',
  description: 'Okta password policies, global session policies and authentication policies with their rules',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
