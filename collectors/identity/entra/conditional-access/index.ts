import type { CollectorDefinition } from '../../../../core/collector.ts';
import { checks } from './checks.ts';
import type { ConditionalAccessSnapshot } from './snapshot.ts';

const permissions = ['Policy.Read.All (GET /identity/conditionalAccess/policies)'];

export const entraConditionalAccess: CollectorDefinition<ConditionalAccessSnapshot> = {
  id: 'entra.conditional-access',
  source: 'entra',
  description: 'Microsoft Entra ID Conditional Access policies: who and which apps must use MFA',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
