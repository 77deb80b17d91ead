import type { CollectorDefinition } from '../../../core/collector.ts';
import { keyManagerPermissions } from '../customer-keys.ts';
import { checks } from './checks.ts';
import type { BackupSnapshot } from './snapshot.ts';

const permissions = [
  'backup:ListBackupPlans',
  'backup:GetBackupPlan',
  'backup:ListBackupSelections',
  'backup:GetBackupSelection',
  'backup:ListBackupVaults',
  'backup:ListProtectedResources',
  'backup:ListRestoreTestingPlans',
  ...keyManagerPermissions,
];

export const backup: CollectorDefinition<BackupSnapshot> = {
  id: 'aws.backup',
  source: 'aws',
  description: 'AWS Backup plans, selections, vaults, protected resources and restore testing plans',
  regional: true,
  defaultSchedule: 'rate(1 day)',
  schemaVersion: 1,
  permissions,
  checks,
};
