import type { CollectorDefinition } from '../../../core/collector.ts';
import { checks } from './checks.ts';
import type { AuditLogSnapshot } from './snapshot.ts';

/** GitHub App permissions, named as in an App manifest (docs/sources/github.md maps classic token scopes). */
const permissions = ['organization_administration:read'];

export const auditLog: CollectorDefinition<AuditLogSnapshot> = {
  id: 'github.audit-log',
  source: 'github',
  description:
    'Recent organization policy changes from the audit log (GitHub Enterprise Cloud only; elsewhere recorded as not available)',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
