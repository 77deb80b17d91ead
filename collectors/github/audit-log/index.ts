import type { Collector } from '../../../core/collector.ts';
import type { GitHubSession } from '../session.ts';
import { checks } from './checks.ts';
import { collect, permissions } from './collect.ts';
import type { AuditLogSnapshot } from './snapshot.ts';

export const auditLog: Collector<AuditLogSnapshot, GitHubSession> = {
  id: 'github.audit-log',
  source: 'github',
  description:
    'Recent organization policy changes from the audit log (GitHub Enterprise Cloud only; elsewhere recorded as not available)',
  regional: false,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  collect,
  checks,
};
