import type { CollectorDefinition } from '../../../../core/collector.ts';
import { checks } from './checks.ts';
import type { OktaPoliciesSnapshot } from './snapshot.ts';

const permissions = [
  'okta.policies.read (GET /api/v1/policies?type=PASSWORD|OKTA_SIGN_ON|ACCESS_POLICY, GET /api/v1/policies/{id}/rules)',
];

export const oktaPolicies: CollectorDefinition<OktaPoliciesSnapshot> = {
  id: 'okta.policies',
  source: 'okta',
  description: 'Okta password policies, global session policies and authentication policies with their rules',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
