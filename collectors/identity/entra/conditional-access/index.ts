import type { Collector } from '../../../../core/collector.ts';
import type { EntraSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { ConditionalAccessSnapshot } from './snapshot.ts';

export const entraConditionalAccess: Collector<ConditionalAccessSnapshot, EntraSession> = {
  id: 'entra.conditional-access',
  source: 'entra',
  description: 'Microsoft Entra ID Conditional Access policies: who and which apps must use MFA',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
